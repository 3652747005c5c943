"""Keeping the archive index in step with the database: the entry points that record a
change (`enqueue_sync`, `enqueue_sync_many`) and the background tasks.

A change is recorded in the outbox (`search.outbox`) inside the transaction that makes
it, and that is all the save does. With the database queue (production), every
`manage.py db_worker` process drains the outbox beside its tasks, looking for due
changes every `--interval` (`search.drain.OutboxDrainer`): pending changes drain with
no new write, after a worker restart or an Elasticsearch outage, and several workers
drain together. With the immediate backend (development without a worker, tests) the
drain runs in-process after commit (`drain_pending_changes`).
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django_tasks import task
from django_tasks_db import DatabaseBackend

from . import engine, outbox
from .drain import drain
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
    """Sync every record with a due pending change (`search.drain`). Never raises for
    the engine. What the immediate backend runs after a commit; the database queue's
    workers drain the outbox by themselves (`manage.py db_worker`), so a save queues no
    task there."""
    return str(drain())


def workers_poll_the_outbox() -> bool:
    """Whether `manage.py db_worker` processes drain the outbox (the database queue), so
    that a change needs no nudge: they look for due changes every `--interval`."""
    return isinstance(drain_pending_changes.get_backend(), DatabaseBackend)


def queue_drain() -> None:
    """Have the due changes drained soon: nothing to do when the workers poll the outbox
    (the database queue); otherwise (the immediate backend of development and tests)
    drain here, now."""
    if not workers_poll_the_outbox():
        drain_pending_changes.enqueue()


@dataclass(frozen=True)
class _ChangeRecorded:
    """After commit: nudge the drain (`queue_drain`: nothing when workers poll the
    outbox). One per record per transaction, which is also how `enqueue_sync` knows it
    already recorded the record in this transaction."""

    kind: str
    pk: str

    def __call__(self) -> None:
        queue_drain()


def enqueue_sync(kind: str, pk: object) -> None:
    """Record that a record changed, in the current transaction, for the index.

    One small insert into the outbox (`search.PendingChange`): it commits with the change
    or rolls back with it, so a committed change is never lost and a rolled-back one
    leaves no trace; the save never waits on Elasticsearch, and does nothing more (the
    records of other kinds that show it are the worker's to find: `search.dependents`).
    One row per record per transaction: a save followed by its many-to-many changes
    records it once (the drain re-reads the final state). Nothing is recorded without an
    engine (`ELASTICSEARCH_URL` unset): there is no index to keep.
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
        except Exception:  # the failure stays recorded for staff: never raise
            logger.exception("Could not record the retry of %s %s", kind, keys)
    return outcome
