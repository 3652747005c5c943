"""Several workers drain the outbox together: no change lost, none applied out of order.

Real PostgreSQL (committed transactions, each worker thread on its own connection, as
worker processes would be) and a real Elasticsearch. Workers are the drainer that
`manage.py db_worker` runs (`search.drain.OutboxDrainer`); a writer keeps saving the
records they are syncing. Waits are bounded loops, never timings."""

import random
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from organizations.models import Organization
from search import engine, outbox
from search.drain import OutboxDrainer
from search.index import alias_name, refresh
from search.models import PendingChange
from search.reconcile import reconcile
from search.tasks import enqueue_sync_many
from tests.factories import OrganizationFactory, RegionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.elasticsearch]

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
RECORDS = 400
WORKERS = 3
RENAMES = 150
WAIT_SECONDS = 240.0


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting until {what}")
        time.sleep(0.05)


def rename_while_draining(pks: list[int], errors: list[BaseException]) -> None:
    """Save records one transaction at a time, as editors would, while workers drain."""
    rng = random.Random(15)
    try:
        for step in range(RENAMES):
            with transaction.atomic():
                organization = Organization.objects.get(pk=rng.choice(pks))
                organization.name = f"Renamed while draining, step {step}"
                organization.save()
    except BaseException as error:  # reported by the test, not lost in the thread
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_several_workers_drain_a_backlog_with_nothing_lost_or_stale(archive_index, settings):
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}  # saves only record
    region = RegionFactory()
    with transaction.atomic():
        created = Organization.objects.bulk_create(
            Organization(name=f"Backlog organization {n}", slug=f"backlog-{n}", region=region)
            for n in range(RECORDS)
        )
        pks = [organization.pk for organization in created]
        enqueue_sync_many("organization", pks)
        enqueue_sync_many("organization", pks)  # a second save of each
    assert PendingChange.objects.count() == 2 * RECORDS

    drainers = [OutboxDrainer(interval=0.05) for _ in range(WORKERS)]
    errors: list[BaseException] = []
    writer = threading.Thread(target=rename_while_draining, args=(pks, errors))
    for drainer in drainers:
        drainer.start()
    writer.start()
    try:
        writer.join(WAIT_SECONDS)
        wait_until(lambda: not PendingChange.objects.exists(), "the outbox is empty")
    finally:
        for drainer in drainers:
            drainer.stop(WAIT_SECONDS)
    assert not errors
    assert not any(drainer.is_alive() for drainer in drainers)

    # Every record in the index in its last state: the names the writer left included.
    report = reconcile(kinds=["organization"])
    assert report.checked == RECORDS
    assert report.in_line, (report.total("missing"), report.total("stale"))
    refresh()
    names = {
        hit["_source"]["object_id"]: hit["_source"]["title"]
        for hit in engine.get_client().search(
            index=alias_name(), query={"term": {"kind": "organization"}}, size=RECORDS
        )["hits"]["hits"]
    }
    assert names == {str(pk): name for pk, name in Organization.objects.values_list("pk", "name")}


@pytest.mark.django_db
def test_a_record_another_drain_holds_is_not_claimed_even_for_a_newer_change():
    """Drain A holds a record; the record is saved again. Drain B leaves it alone (its
    newer read could otherwise reach the engine before A's older one); once A settled,
    the newer change is due, for whoever claims next."""
    held_record = OrganizationFactory(name="Held by drain A")
    other = OrganizationFactory(name="Free for drain B")
    PendingChange.objects.filter(object_id=str(other.pk)).delete()
    first = outbox.claim(1)
    assert list(first.rows) == [("organization", str(held_record.pk))]
    outbox.record("organization", [held_record.pk, other.pk])  # saved again meanwhile

    second = outbox.claim(10)

    assert list(second.rows) == [("organization", str(other.pk))]
    outbox.settle(first, {})
    third = outbox.claim(10)
    assert list(third.rows) == [("organization", str(held_record.pk))]


@pytest.mark.django_db
def test_a_record_whose_holder_died_is_claimed_once_the_lease_ends():
    organization = OrganizationFactory(name="Held by a dead drain")
    outbox.claim(1)
    outbox.record("organization", [organization.pk])
    assert outbox.claim(10) is None

    PendingChange.objects.filter(claim__isnull=False).update(next_attempt_at=timezone.now())

    taken = outbox.claim(10)
    assert len(taken.rows[("organization", str(organization.pk))]) == 2
