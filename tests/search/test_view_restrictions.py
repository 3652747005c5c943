"""A page made private (a Wagtail view restriction on it or on an ancestor) leaves the
archive, and comes back when it is public again, on the real Elasticsearch."""

import pytest
from wagtail.models import PageViewRestriction

from search import engine
from search.index import alias_name, refresh
from search.registry import registry
from tests.factories import publish_policy_version

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]


def total(client, text: str) -> int:
    return client.get("/search/", {"q": text}).context["results"].total


def is_indexed(version) -> bool:
    refresh()
    document_id = registry.get("policy_version").document_id(version.pk)
    return engine.get_client().exists(index=alias_name(), id=document_id).body


def test_a_password_on_the_parent_removes_the_version_and_removing_it_restores_it(
    client, home_page, archive_index, index_on_commit
):
    with index_on_commit():
        version = publish_policy_version(home_page, "Version confidentielle", "A guarded text.")
    assert total(client, "guarded") == 1

    with index_on_commit():
        restriction = PageViewRestriction.objects.create(
            page=version.get_parent(),
            restriction_type=PageViewRestriction.PASSWORD,
            password="shared-secret",
        )

    assert total(client, "guarded") == 0
    assert not is_indexed(version)

    with index_on_commit():
        restriction.delete()

    assert total(client, "guarded") == 1
    assert is_indexed(version)


def test_a_restriction_on_the_version_itself_keeps_it_out_while_it_changes(
    client, home_page, archive_index, index_on_commit
):
    with index_on_commit():
        version = publish_policy_version(home_page, "Members only", "A text for members.")
        other = publish_policy_version(home_page, "Open version", "A text for everyone.")

    with index_on_commit():
        restriction = PageViewRestriction.objects.create(
            page=version, restriction_type=PageViewRestriction.LOGIN
        )
    assert not is_indexed(version)
    assert is_indexed(other)  # only the restricted section leaves the index

    with index_on_commit():
        restriction.restriction_type = PageViewRestriction.PASSWORD
        restriction.password = "shared-secret"
        restriction.save()

    assert not is_indexed(version)
    assert total(client, "text") == 1


def test_a_restriction_on_a_section_with_a_nested_one_keeps_it_private(
    client, home_page, archive_index, index_on_commit
):
    """Removing one of two restrictions over a version leaves it private, so absent."""
    with index_on_commit():
        version = publish_policy_version(home_page, "Doubly guarded", "A nested text.")
        outer = PageViewRestriction.objects.create(
            page=version.get_parent(), restriction_type=PageViewRestriction.LOGIN
        )
        inner = PageViewRestriction.objects.create(
            page=version, restriction_type=PageViewRestriction.LOGIN
        )

    with index_on_commit():
        inner.delete()
    assert not is_indexed(version)

    with index_on_commit():
        outer.delete()
    assert is_indexed(version)
