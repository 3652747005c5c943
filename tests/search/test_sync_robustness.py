"""Index updates that fail (Elasticsearch down or refusing) are recorded, retried with
growing delays (the change stays pending in the outbox: see
tests/security/test_durable_sync.py for outages past any delay), cleared by a later
success, listed for staff in the admin and retried on demand. "Down" is a real closed
port, not a mock."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from search import engine
from search.drain import DrainReport, drain
from search.failures import FIRST_RETRY_DELAY
from search.index import alias_name, refresh
from search.models import IndexFailure, PendingChange
from search.registry import registry
from search.tasks import sync_document, sync_documents
from tests.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]

CLOSED_PORT = "http://127.0.0.1:9"
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
FAILURES_URL = "/admin/search/failures/"


@pytest.fixture
def engine_down(archive_index, settings):
    """Elasticsearch unreachable (nothing listens on the port); `restore()` brings it
    back. `archive_index` comes first: its clean-up needs the real engine."""
    real_url = settings.ELASTICSEARCH_URL

    class Switch:
        def restore(self) -> None:
            settings.ELASTICSEARCH_URL = real_url

    settings.ELASTICSEARCH_URL = CLOSED_PORT
    settings.ELASTICSEARCH_TIMEOUT = 1.0
    return Switch()


def is_indexed(kind: str, pk: object) -> bool:
    refresh()
    document_id = registry.get(kind).document_id(pk)
    return engine.get_client().exists(index=alias_name(), id=document_id)


def test_a_failed_update_is_recorded_never_raised_and_cleared_by_a_success(
    engine_down, run_on_commit
):
    with run_on_commit():
        organization = OrganizationFactory(name="Saved while the engine is down")

    [failure] = IndexFailure.objects.all()
    assert (failure.kind, failure.object_id, failure.attempts) == (
        "organization",
        str(organization.pk),
        1,
    )
    assert "ConnectionError" in failure.error
    first_failed_at = failure.first_failed_at

    with run_on_commit():
        organization.name = "Saved again while the engine is down"
        organization.save()

    failure.refresh_from_db()
    assert failure.attempts == 2
    assert failure.first_failed_at == first_failed_at
    assert failure.last_failed_at > first_failed_at

    engine_down.restore()
    with run_on_commit():
        organization.save()

    assert not IndexFailure.objects.exists()
    assert is_indexed("organization", organization.pk)


def drain_when_due() -> DrainReport:
    """Play a worker once the pending changes' delay has passed: make them due, drain."""
    PendingChange.objects.update(next_attempt_at=timezone.now())
    return drain()


def test_retries_are_deferred_with_growing_delays(engine_down, settings, run_on_commit):
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}
    with run_on_commit():
        organization = OrganizationFactory(name="Never reaches the index")
    assert not DBTaskResult.objects.filter(task_path__startswith="search.").exists()
    before = timezone.now()

    assert drain().engine_failed  # what a worker finds: the first attempt

    [change] = PendingChange.objects.all()
    assert (change.kind, change.object_id, change.claim) == (
        "organization",
        str(organization.pk),
        None,
    )
    assert before + FIRST_RETRY_DELAY <= change.next_attempt_at
    assert change.next_attempt_at <= timezone.now() + FIRST_RETRY_DELAY
    assert drain().synced == drain().failed == 0  # not due yet: left alone

    delays = []
    for _attempt in range(3):
        attempted_at = timezone.now()
        assert drain_when_due().failed == 1
        change.refresh_from_db()
        delays.append(change.next_attempt_at - attempted_at)

    # Four attempts so far: the first and three retries, each waiting twice as long.
    for delay, expected in zip(delays, [2, 4, 8], strict=True):
        assert abs(delay - FIRST_RETRY_DELAY * expected) < timedelta(seconds=5)
    assert IndexFailure.objects.get().attempts == 4
    assert PendingChange.objects.get().attempts == 4


def test_a_retry_that_succeeds_clears_the_failure(engine_down, settings):
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}
    organization = OrganizationFactory(name="Reaches the index on the retry")
    sync_document.call("organization", str(organization.pk))
    assert IndexFailure.objects.get().attempts == 1

    engine_down.restore()
    assert drain_when_due().synced == 1

    assert not IndexFailure.objects.exists()
    assert not PendingChange.objects.exists()
    assert is_indexed("organization", organization.pk)


def test_a_bulk_update_records_every_record_for_a_retry(engine_down, settings):
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}
    organizations = OrganizationFactory.create_batch(3)
    pks = [str(organization.pk) for organization in organizations]

    assert sync_documents.call("organization", pks) == "failed 3"

    assert sorted(IndexFailure.objects.values_list("object_id", "attempts")) == sorted(
        (pk, 1) for pk in pks
    )
    failed = PendingChange.objects.filter(attempts=1)
    assert sorted(failed.values_list("object_id", flat=True)) == sorted(pks)

    engine_down.restore()
    drain_when_due()
    assert not IndexFailure.objects.exists()
    assert not PendingChange.objects.exists()
    assert all(is_indexed("organization", pk) for pk in pks)


def test_without_deferred_runs_the_failure_waits_for_the_retry_command(engine_down):
    # The immediate backend (tests, development) cannot defer: nothing is queued.
    organizations = OrganizationFactory.create_batch(2)
    for organization in organizations:
        sync_document.call("organization", str(organization.pk))
    assert IndexFailure.objects.count() == 2
    assert not DBTaskResult.objects.exists()

    call_command("search_index", "retry", stdout=(down := _Output()))
    assert "Retried 2 records; 2 still failing." in down.text
    assert set(IndexFailure.objects.values_list("attempts", flat=True)) == {2}

    engine_down.restore()
    call_command("search_index", "retry", stdout=(up := _Output()))

    assert "Retried 2 records; 0 still failing." in up.text
    assert not IndexFailure.objects.exists()
    assert all(is_indexed("organization", organization.pk) for organization in organizations)


class _Output:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


# ----------------------------------------------------------------- admin report ---


@pytest.fixture
def recorded_failure(engine_down):
    organization = OrganizationFactory(name="Listed for staff")
    sync_document.call("organization", str(organization.pk))
    engine_down.restore()
    return IndexFailure.objects.get()


def admin_user(*codenames: str):
    user = UserFactory()
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    return user


def test_staff_with_the_permission_see_the_failures_and_the_menu_item(client, recorded_failure):
    client.force_login(admin_user("view_indexfailure"))

    response = client.get(FAILURES_URL)

    assert response.status_code == 200
    assert list(response.context["failures"]) == [recorded_failure]
    content = response.content.decode()
    assert "ConnectionError" in content
    assert "Retry now" in content
    assert FAILURES_URL in client.get("/admin/").content.decode()  # the Reports menu


def test_superusers_see_the_failures(client, recorded_failure):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    assert client.get(FAILURES_URL).status_code == 200


def test_staff_without_the_permission_are_refused_and_nothing_is_retried(client, recorded_failure):
    client.force_login(admin_user())

    get = client.get(FAILURES_URL)
    post = client.post(FAILURES_URL)

    for response in (get, post):
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    assert IndexFailure.objects.get() == recorded_failure
    assert FAILURES_URL not in client.get("/admin/").content.decode()


def test_retry_now_syncs_the_failed_records(client, recorded_failure):
    client.force_login(admin_user("view_indexfailure"))

    response = client.post(FAILURES_URL)

    assert response.status_code == 302
    assert response["Location"] == FAILURES_URL
    assert not IndexFailure.objects.exists()
    assert is_indexed("organization", recorded_failure.object_id)
