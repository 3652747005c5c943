"""No update is lost: a change is recorded in the database with the write (the outbox)
and leaves it only once Elasticsearch has it; a worker killed mid-batch loses nothing
(its work is picked up again after a restart, with no new write: workers poll the
outbox); an outage longer than any retry budget drains by itself when the engine
returns; /healthz tells how far behind the index is.

The worker is a real `manage.py db_worker` process on the test database, killed with
SIGKILL; the outage is a real closed port. Waits are bounded loops, never timings."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from organizations.models import Organization
from search import engine, outbox
from search.drain import DrainReport, drain
from search.index import alias_name, refresh
from search.models import PendingChange
from search.reconcile import reconcile
from search.registry import registry
from search.tasks import enqueue_sync_many
from tests.factories import OrganizationFactory, RegionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.elasticsearch]

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
CLOSED_PORT = "http://127.0.0.1:9"
# How many organizations the worker has to index: many batches (search.drain), so that
# it can be killed with some indexed and others not.
MANY = 2400
WAIT_SECONDS = 240.0


def indexed_organizations() -> int:
    refresh()
    return engine.get_client().count(index=alias_name(), query={"term": {"kind": "organization"}})[
        "count"
    ]


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting until {what}")
        time.sleep(0.05)


def database_url() -> str:
    """The test database (not the one DATABASE_URL names) as a URL for the worker."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker() -> subprocess.Popen:
    """`manage.py db_worker` on the test database, the same Elasticsearch and index
    prefix, and a short lease so a killed worker's claims end soon."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.security.worker_settings",
        "DATABASE_URL": database_url(),
        "ELASTICSEARCH_URL": django_settings.ELASTICSEARCH_URL,
        "ELASTICSEARCH_INDEX_PREFIX": django_settings.ELASTICSEARCH_INDEX_PREFIX,
        "SEARCH_SYNC_LEASE_SECONDS": "5",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
        ],
        cwd=django_settings.BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGKILL)
        worker.wait(WAIT_SECONDS)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_no_update(archive_index, settings):
    """Thousands of organizations imported in one transaction, a few renamed one by one;
    the worker is SIGKILLed while some are indexed and others not. Restarted, with no
    new write, it drains everything: reconcile then finds no difference, without
    repair."""
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}  # saves only queue
    region = RegionFactory()
    with transaction.atomic():
        created = Organization.objects.bulk_create(
            Organization(name=f"Durable organization {n}", slug=f"durable-{n}", region=region)
            for n in range(MANY)
        )
        enqueue_sync_many("organization", [organization.pk for organization in created])
    assert PendingChange.objects.count() == MANY

    worker = start_worker()
    try:
        wait_until(lambda: indexed_organizations() > 0, "the worker indexed a first batch")
        for organization in created[:5]:  # saves while it works
            organization.name += " (renamed)"
            organization.save()
        worker.send_signal(signal.SIGKILL)
        worker.wait(WAIT_SECONDS)
    finally:
        stop(worker)

    # Killed mid-way: some organizations indexed, others not, and the rows of the batch
    # in hand still claimed by the dead worker until its lease ends.
    assert 0 < indexed_organizations() < MANY
    assert PendingChange.objects.exists()

    worker = start_worker()
    try:
        wait_until(lambda: not PendingChange.objects.exists(), "the outbox is empty")
    finally:
        stop(worker)

    report = reconcile(kinds=["organization"])
    assert report.checked == MANY
    assert report.in_line, (report.total("missing"), report.total("stale"))
    output = StringIO()
    call_command("search_index", "reconcile", "--no-progress", stdout=output)
    assert "0 missing, 0 stale, 0 orphaned." in output.getvalue()


def play_the_worker() -> DrainReport:
    """What a worker does once the pending changes' delay has passed: it finds them due
    and drains them. A drain that fails leaves them pending, due after a longer delay."""
    PendingChange.objects.update(next_attempt_at=timezone.now())
    return drain()


@pytest.mark.django_db
def test_an_outage_longer_than_any_retry_budget_drains_by_itself(
    archive_index, settings, run_on_commit
):
    """Elasticsearch down through ten attempts (twice the five the sync used to make
    before giving up): the change stays pending, due again after each delay; when the
    engine is back, the next drain of a worker indexes it, no one acting."""
    real_url = settings.ELASTICSEARCH_URL
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    settings.ELASTICSEARCH_TIMEOUT = 1.0
    with run_on_commit():
        organization = OrganizationFactory(name="Saved during a long outage")

    for _attempt in range(10):
        assert play_the_worker().engine_failed

    [change] = PendingChange.objects.all()
    assert (change.kind, change.object_id, change.attempts) == (
        "organization",
        str(organization.pk),
        10,
    )
    assert "ConnectionError" in change.last_error
    assert change.next_attempt_at > timezone.now() + timedelta(minutes=4)

    settings.ELASTICSEARCH_URL = real_url
    assert play_the_worker().synced == 1

    assert not PendingChange.objects.exists()
    document_id = registry.get("organization").document_id(organization.pk)
    refresh()
    assert engine.get_client().exists(index=alias_name(), id=document_id)
    assert reconcile(kinds=["organization"]).in_line


@pytest.mark.django_db(transaction=True)
def test_a_change_is_recorded_in_its_own_transaction_and_only_if_it_commits(settings):
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}
    kept = OrganizationFactory(name="Committed")
    with pytest.raises(RuntimeError), transaction.atomic():
        rolled_back = OrganizationFactory(name="Rolled back")
        # Recorded with the write, once for its save and its sectors together.
        assert PendingChange.objects.filter(object_id=str(rolled_back.pk)).count() == 1
        raise RuntimeError

    assert set(PendingChange.objects.values_list("kind", "object_id")) == {
        ("organization", str(kept.pk))
    }


@pytest.mark.django_db
def test_a_drain_that_outlived_its_lease_does_not_have_the_last_word():
    """A drain slower than its lease: another drain claimed the rows meanwhile and synced
    them. The slow one's older read may reach the engine last, so it records the change
    again rather than deleting it: a later sync writes the record's last state."""
    organization = OrganizationFactory(name="Claimed twice")
    slow = outbox.claim(10)
    PendingChange.objects.update(next_attempt_at=timezone.now())  # its lease ends
    fast = outbox.claim(10)
    outbox.settle(fast, {})
    assert not PendingChange.objects.exists()

    outbox.settle(slow, {})

    [again] = PendingChange.objects.all()
    assert (again.kind, again.object_id) == ("organization", str(organization.pk))


@pytest.mark.django_db
def test_healthz_reports_the_pending_changes_and_the_oldest_age(client, settings, archive_index):
    real_url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    settings.ELASTICSEARCH_TIMEOUT = 1.0
    OrganizationFactory(name="Waiting for the engine")
    PendingChange.objects.update(created_at=timezone.now() - timedelta(minutes=10))

    waiting = client.get("/healthz").json()["search_sync"]

    assert waiting["pending"] == 1
    assert waiting["oldest_pending_seconds"] >= 600
    settings.ELASTICSEARCH_URL = real_url
    call_command("search_index", "drain", stdout=StringIO())
    assert client.get("/healthz").json()["search_sync"] == {
        "pending": 0,
        "oldest_pending_seconds": None,
    }
