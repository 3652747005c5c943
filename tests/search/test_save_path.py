"""The save path of index sync: a save records one change row, and the worker finds the
records of other kinds that show the saved one, only when what they show changed.
Real engines."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import engine
from search.drain import drain
from search.index import alias_name, refresh
from search.models import PendingChange
from search.registry import registry
from search.sync import sync_records
from tests.factories import ForumFactory, OrganizationFactory, ProgrammeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def stored(kind: str, pk) -> dict:
    refresh()
    document_id = registry.get(kind).document_id(pk)
    return engine.get_client().get(index=alias_name(), id=document_id)["_source"]


@pytest.fixture
def convenor(archive_index, index_on_commit):
    """An organization that convenes a forum and funds a programme, all indexed."""
    with index_on_commit():
        organization = OrganizationFactory(name="Convening organization", kind="government")
        ForumFactory(convenor=organization)
        ProgrammeFactory(funder=organization)
    assert not PendingChange.objects.exists()
    return organization


def save_queries(organization, settings, django_capture_on_commit_callbacks) -> list[str]:
    """The SQL of one save of `organization`, what runs after its commit included."""
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        organization.save()
    return [query["sql"] for query in queries.captured_queries]


def test_a_save_costs_one_insert_whatever_shows_the_record(
    convenor, settings, django_capture_on_commit_callbacks
):
    """With a forum and a programme showing it, a save with index sync runs the queries
    of the same save without it, plus the insert of its change: no look-up of the records
    that show it, no task queued."""
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}
    real_url = settings.ELASTICSEARCH_URL
    convenor.name = "Renamed convenor"

    settings.ELASTICSEARCH_URL = ""
    without = save_queries(convenor, settings, django_capture_on_commit_callbacks)
    settings.ELASTICSEARCH_URL = real_url
    with_sync = save_queries(convenor, settings, django_capture_on_commit_callbacks)

    assert len(with_sync) == len(without) + 1
    [extra] = [sql for sql in with_sync if "search_pendingchange" in sql]
    assert extra.startswith("INSERT")
    [change] = PendingChange.objects.all()
    assert (change.kind, change.object_id) == ("organization", str(convenor.pk))


def pending_kinds() -> set[str]:
    return set(PendingChange.objects.values_list("kind", flat=True))


def test_a_change_the_dependents_do_not_show_leaves_them_alone(convenor):
    convenor.summary_en = "A summary no forum or programme shows."
    convenor.save()
    PendingChange.objects.all().delete()

    outcome = sync_records(registry.get("organization"), [str(convenor.pk)])

    assert not outcome.failed
    assert not PendingChange.objects.exists()
    assert "A summary no forum" in stored("organization", convenor.pk)["body"]


def test_a_change_the_dependents_show_records_theirs_before_the_write(convenor):
    convenor.name = "Renamed convenor"
    convenor.save()
    PendingChange.objects.all().delete()

    sync_records(registry.get("organization"), [str(convenor.pk)])

    assert pending_kinds() == {"forum", "programme"}
    recorded = PendingChange.objects.count()
    # Synced again, the index now shows the new name: nothing more to record.
    sync_records(registry.get("organization"), [str(convenor.pk)])
    assert PendingChange.objects.count() == recorded

    drained = drain()
    assert not drained.failed
    forum = convenor.fora_convened.get()
    assert "Renamed convenor" in stored("forum", forum.pk)["body"]


def test_an_anonymous_brief_keeps_its_author_unnamed_when_the_author_is_renamed(
    brief, index_on_commit
):
    """The worker re-syncs the briefs an organization sent when it is renamed: those
    published without its name are rebuilt as such, neither name nor facets."""
    with index_on_commit():
        anonymous = brief("Unsigned brief", "On autonomy.", publication="anonymous")
    author = anonymous.organization
    assert author.name not in stored("submission", anonymous.pk)["body"]

    with index_on_commit():
        author.name = "A name that must not leak"
        author.save()

    document = stored("submission", anonymous.pk)
    assert "A name that must not leak" not in document["body"]
    assert document["organization"] == []
    assert "sector" not in document or document["sector"] == []
    assert not PendingChange.objects.exists()
