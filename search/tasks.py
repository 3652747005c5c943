"""Keeping the archive index in step with the database: the entry points that record a
change (`enqueue_sync`, `enqueue_sync_many`) and the background tasks.

A change is recorded in the outbox (`search.outbox`) inside the transaction that makes
it; after commit the drain is nudged (`drain_pending_changes`): queued for
`manage.py db_worker` (the database backend), or run in-process (the immediate one). The
drain queues itself again while changes are pending, and the worker queues one when it
starts (`search/management/commands/db_worker.py`), so pending changes drain with no new
write, after a worker restart or an Elasticsearch outage.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from . import engine, outbox
from .drain import drain
from .failures import FIRST_RETRY_DELAY
from .registry import registry
from .sync import ENGINE_ERRORS, SyncOutcome, sync_actions, sync_records

__all__ = [
    "ENGINE_ERRORS",
    "SYNC_CHUNK_SIZE",
    "drain_pending_changes",
    "enqueue_sync",
    "enqueue_sync_many",
    "queue_drain",
    "sync_actions",
    "sync_document",
    "sync_documents",
]

logger = logging.getLogger(__name__)


@task()
def drain_pending_changes() -> str:
    """Sync every record with a due pending change (`search.drain`), then, while changes
    remain pending (failed, or claimed by a worker that may have died), queue the next
    drain for when the earliest is due. Never raises for the engine."""
    not_before = timezone.now()
    try:
        report = drain()
        if report.engine_failed:
            # The changes of later batches are due, but the engine just failed: come back
            # after the first delay rather than try it again batch after batch.
            not_before += FIRST_RETRY_DELAY
        return str(report)
    finally:
        schedule_next_drain(not_before)


def schedule_next_drain(not_before: datetime | None = None) -> None:
    """Queue a drain for when the earliest pending change is due (not before
    `not_before`), if any is pending and the backend can defer (the immediate one cannot:
    the next write or `search_index drain` runs it)."""
    due = outbox.next_due()
    if due is not None and drain_pending_changes.get_backend().supports_defer:
        queue_drain(run_after=max(due, not_before or timezone.now()))


def queue_drain(run_after: datetime | None = None) -> None:
    """Queue a drain (at `run_after`, or now), unless one already queued will run by
    then: a thousand saves make one drain, not a thousand. A drain left RUNNING by a
    killed worker does not count: it will never finish."""
    backend = drain_pending_changes.get_backend()
    if isinstance(backend, DatabaseBackend) and _drain_queued_by(run_after or timezone.now()):
        return
    if run_after is None:
        drain_pending_changes.enqueue()
    else:
        drain_pending_changes.using(run_after=run_after).enqueue()


def _drain_queued_by(when: datetime) -> bool:
    return (
        DBTaskResult.objects.filter(
            task_path=drain_pending_changes.module_path, status=TaskResultStatus.READY
        )
        .filter(Q(run_after=get_date_max()) | Q(run_after__lte=when))
        .exists()
    )


@dataclass(frozen=True)
class _ChangeRecorded:
    """After commit: nudge the drain. One per record per transaction, which is also how
    `enqueue_sync` knows it already recorded the record in this transaction."""

    kind: str
    pk: str

    def __call__(self) -> None:
        queue_drain()


def enqueue_sync(kind: str, pk: object) -> None:
    """Record that a record changed, in the current transaction, for the index.

    One small insert into the outbox (`search.PendingChange`): it commits with the change
    or rolls back with it, so a committed change is never lost and a rolled-back one
    leaves no trace; the save never waits on Elasticsearch. After commit the drain is
    nudged. One row per record per transaction: a save followed by its many-to-many
    changes records it once (the drain re-reads the final state). Nothing is recorded
    without an engine (`ELASTICSEARCH_URL` unset): there is no index to keep.
    """
    if not engine.is_configured():
        return
    callback = _ChangeRecorded(kind, str(pk))
    connection = transaction.get_connection()
    # Django keeps the pending callbacks as (savepoint ids, callback, robust) tuples; a
    # rolled-back savepoint drops its callbacks with its rows.
    if connection.in_atomic_block and any(
        pending == callback for _sids, pending, _robust in connection.run_on_commit
    ):
        return
    outbox.record(kind, [callback.pk])
    transaction.on_commit(callback, robust=True)


# Kept for callers that chunk their own work; recording many changes is one bulk insert.
SYNC_CHUNK_SIZE = 500


@dataclass(frozen=True)
class _ChangesRecorded:
    kind: str
    count: int

    def __call__(self) -> None:
        queue_drain()


def enqueue_sync_many(kind: str, pks: Iterable[object]) -> None:
    """Record that many records changed, in the current transaction: for bulk writes,
    which send no model signals. One bulk insert, one nudge of the drain after commit
    (`robust=True`: a failure to queue is logged, never raised into the import that
    committed; the changes are recorded all the same)."""
    if not engine.is_configured():
        return
    keys = [str(pk) for pk in pks]
    if not keys:
        return
    outbox.record(kind, keys)
    transaction.on_commit(_ChangesRecorded(kind, len(keys)), robust=True)


@task()
def sync_document(kind: str, pk: str) -> str:
    """Bring one record's search document in line with the database, now.

    Not what saves use (they record a pending change): for direct use (tests, a shell),
    and for tasks queued by earlier versions. It re-reads the row; when Elasticsearch is
    down or refuses, the record is recorded in the outbox (due after a delay) and for
    staff; it never raises.
    """
    if not engine.is_configured():
        return "skipped"
    outcome = _sync_now(kind, [str(pk)])
    if outcome.failed:
        return "failed"
    return "indexed" if outcome.found else "deleted"


@task()
def sync_documents(kind: str, pks: list[str]) -> str:
    """Bring many records' search documents in line with the database at once: the bulk
    counterpart of `sync_document`. The rows are read in one query (through the
    registry's public queryset), found ones are written and missing ones (deleted, or
    no longer public) are deleted from the index, in one bulk request."""
    if not engine.is_configured():
        return "skipped"
    keys = [str(pk) for pk in pks]
    outcome = _sync_now(kind, keys)
    failed = outcome.failed
    if len(failed) == len(keys):
        return f"failed {len(keys)}"
    summary = f"indexed {len(outcome.found - failed.keys())}, "
    summary += f"deleted {len(set(keys) - outcome.found - failed.keys())}"
    return f"{summary}, failed {len(failed)}" if failed else summary


def _sync_now(kind: str, keys: list[str]) -> SyncOutcome:
    outcome = sync_records(registry.get(kind), keys)
    if outcome.failed:
        try:
            outbox.record_failed(kind, outcome.failed)
            schedule_next_drain()
        except Exception:  # the failure stays recorded for staff: never raise
            logger.exception("Could not record the retry of %s %s", kind, keys)
    return outcome
