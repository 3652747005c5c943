"""Background tasks that keep the archive index in step with the database."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django_tasks import task
from elasticsearch import ApiError, TransportError
from elasticsearch.helpers import bulk

from . import engine
from .failures import clear_failures, record_failures, retry_at
from .index import ensure_index
from .registry import registry

logger = logging.getLogger(__name__)


# What "the engine is down or refused" looks like: no connection or a timeout
# (TransportError), or an error answer (ApiError).
ENGINE_ERRORS = (TransportError, ApiError)


@task()
def sync_document(kind: str, pk: str) -> str:
    """Bring one record's search document in line with the database.

    The task re-reads the row rather than trusting what was sent when it was queued, so
    two quick saves leave the index holding the last one, and a record deleted or
    unpublished meanwhile is removed from the index. When Elasticsearch is down or
    refuses, the failure is recorded and the task queued again later (see
    `search.failures`); it never raises, so a save never fails because of the index.
    """
    if not engine.is_configured():
        return "skipped"
    searchable = registry.get(kind)
    instance = searchable.get_queryset().filter(pk=pk).first()
    document_id = searchable.document_id(pk)
    try:
        client = engine.get_client()
        alias = ensure_index()
        if instance is None:
            client.options(ignore_status=404).delete(index=alias, id=document_id)
            outcome = "deleted"
        else:
            client.index(index=alias, id=document_id, document=searchable.to_document(instance))
            outcome = "indexed"
    except ENGINE_ERRORS as error:
        _failed(kind, {str(pk): _describe(error)})
        return "failed"
    clear_failures(kind, [pk])
    return outcome


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


def _failed(kind: str, errors: dict[str, str]) -> None:
    """Record the failures, and queue one deferred retry per attempt count reached (a
    bulk task's records usually share one). Backends that cannot defer (the immediate
    one) get none: the failures wait for `search_index retry` or a reconcile repair."""
    attempts = record_failures(kind, errors)
    if not sync_documents.get_backend().supports_defer:
        return
    by_attempts: dict[int, list[str]] = {}
    for pk, count in attempts.items():
        by_attempts.setdefault(count, []).append(pk)
    for count, pks in by_attempts.items():
        when = retry_at(count)
        if when is None:
            continue
        try:
            if len(pks) == 1:
                sync_document.using(run_after=when).enqueue(kind, pks[0])
            else:
                sync_documents.using(run_after=when).enqueue(kind, pks)
        except Exception:  # the failure stays recorded for staff: never raise
            logger.exception("Could not queue the retry of %s %s", kind, pks)


@dataclass(frozen=True)
class _SyncAfterCommit:
    kind: str
    pk: str

    def __call__(self) -> None:
        sync_document.enqueue(self.kind, self.pk)


def enqueue_sync(kind: str, pk: object) -> None:
    """Queue an index update for when (and only if) the current transaction commits.

    A rolled-back save therefore leaves no document behind, and the save never waits on
    Elasticsearch. One update per record per transaction: a save followed by its
    many-to-many changes queues a single task (the task re-reads the final state).
    `robust=True`: a failure to enqueue is logged, never raised into the saving request.
    """
    callback = _SyncAfterCommit(kind, str(pk))
    connection = transaction.get_connection()
    # Django keeps the pending callbacks as (savepoint ids, callback, robust) tuples.
    if connection.in_atomic_block and any(
        pending == callback for _sids, pending, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(callback, robust=True)


# How many records one `sync_documents` task re-reads and writes: one query and one bulk
# request per chunk, small enough for a task payload and an Elasticsearch bulk body.
SYNC_CHUNK_SIZE = 500


@task()
def sync_documents(kind: str, pks: list[str]) -> str:
    """Bring many records' search documents in line with the database at once.

    The bulk counterpart of `sync_document`, for writes that bypass the model signals
    (`bulk_create` in the organization import). Like it, it re-reads the rows rather than
    trusting what was queued: the rows are read in one query (through the registry's
    public queryset), found ones are written and missing ones (deleted, or no longer
    public) are deleted from the index, in one bulk request.
    """
    if not engine.is_configured():
        return "skipped"
    searchable = registry.get(kind)
    keys = [str(pk) for pk in pks]
    found = {
        str(instance.pk): instance for instance in searchable.get_queryset().filter(pk__in=keys)
    }
    try:
        alias = ensure_index()
        actions: list[dict] = []
        for pk in keys:
            instance = found.get(pk)
            document_id = searchable.document_id(pk)
            if instance is None:
                actions.append({"_op_type": "delete", "_index": alias, "_id": document_id})
            else:
                actions.append(
                    {
                        "_index": alias,
                        "_id": document_id,
                        "_source": searchable.to_document(instance),
                    }
                )
        # A document already absent is what a delete wants: a 404 is not an error here.
        # Items refused one by one are collected rather than raised, so the others count.
        _ok, item_errors = bulk(
            engine.get_client(), actions, ignore_status=404, raise_on_error=False
        )
    except ENGINE_ERRORS as error:
        _failed(kind, dict.fromkeys(keys, _describe(error)))
        return f"failed {len(keys)}"
    failed = _item_errors(searchable.kind, item_errors)
    clear_failures(kind, [pk for pk in keys if pk not in failed])
    if failed:
        _failed(kind, failed)
    summary = f"indexed {len(found) - len(failed.keys() & found.keys())}, "
    summary += f"deleted {len(keys) - len(found) - len(failed.keys() - found.keys())}"
    return f"{summary}, failed {len(failed)}" if failed else summary


def _item_errors(kind: str, item_errors: list[dict]) -> dict[str, str]:
    """The bulk items Elasticsearch refused, by record key."""
    prefix = f"{kind}:"
    failed: dict[str, str] = {}
    for item in item_errors:
        [(operation, details)] = item.items()
        document_id = str(details.get("_id", ""))
        pk = document_id.removeprefix(prefix)
        failed[pk] = f"{operation} refused ({details.get('status')}): {details.get('error')}"
    return failed


@dataclass(frozen=True)
class _SyncManyAfterCommit:
    kind: str
    pks: tuple[str, ...]

    def __call__(self) -> None:
        sync_documents.enqueue(self.kind, list(self.pks))


def enqueue_sync_many(kind: str, pks: Iterable[object]) -> None:
    """Queue index updates for many records, when (and only if) the transaction commits.

    For bulk writes, which send no model signals: one task per `SYNC_CHUNK_SIZE` records
    rather than one per record. `robust=True`, as in `enqueue_sync`: a failure to enqueue
    is logged, never raised into the import that committed.
    """
    keys = [str(pk) for pk in pks]
    for start in range(0, len(keys), SYNC_CHUNK_SIZE):
        chunk = tuple(keys[start : start + SYNC_CHUNK_SIZE])
        transaction.on_commit(_SyncManyAfterCommit(kind, chunk), robust=True)
