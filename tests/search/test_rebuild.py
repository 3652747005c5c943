"""The rebuild command fills a new index and swaps the alias to it."""

import pytest
from django.core.management import call_command

from search import engine
from search.index import alias_name, indices_behind_alias
from tests.factories import OrganizationFactory, publish_policy_version

pytestmark = pytest.mark.django_db


@pytest.mark.elasticsearch
def test_rebuild_indexes_everything_and_swaps_the_alias(client, home_page, archive_index):
    # Written without running the after-commit hooks: only the rebuild can index them.
    OrganizationFactory.create_batch(3, summary_en="rebuilt from the database")
    publish_policy_version(home_page, "Rebuilt version", "rebuilt from the database")
    publish_policy_version(home_page, "Draft", "rebuilt from the database", publish=False)
    [before] = indices_behind_alias()

    call_command("search_index", "rebuild", "--no-progress")

    [after] = indices_behind_alias()
    assert after != before
    assert not engine.get_client().indices.exists(index=before)
    # Three organizations, the version and its one section.
    assert engine.get_client().count(index=alias_name())["count"] == 5
    assert client.get("/search/", {"q": "rebuilt"}).context["results"].total == 5


def test_rebuild_refuses_without_elasticsearch(settings):
    from django.core.management.base import CommandError

    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL"):
        call_command("search_index", "rebuild", "--no-progress")
