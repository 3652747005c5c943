"""Background tasks that keep the archive index in step with the database."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django_tasks import task
from elasticsearch import ApiError, TransportError
from elasticsearch.helpers import bulk

from . import engine
from .failures import clear_failures, record_failures, retry_at
from .index import ensure_index
from .parts import indexed_part_ids
from .registry import SearchableModel, registry

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
    found, failed = _sync(registry.get(kind), [str(pk)])
    if failed:
        return "failed"
    return "indexed" if found else "deleted"


def _sync(searchable: SearchableModel, keys: list[str]) -> tuple[set[str], dict[str, str]]:
    """Re-read the records `keys` and align the index with them in one bulk request;
    record the failures and clear the successes (`search.failures`). Returns the keys
    found in the database and the failed ones with their errors."""
    found = {
        str(instance.pk): instance for instance in searchable.get_queryset().filter(pk__in=keys)
    }
    searchable.prepare(list(found.values()))
    try:
        client = engine.get_client()
        alias = ensure_index()
        actions = sync_actions(client, alias, searchable, keys, found)
        # A document already absent is what a delete wants: a 404 is not an error here.
        # Items refused one by one are collected rather than raised, so the others count.
        _ok, item_errors = bulk(client, actions, ignore_status=404, raise_on_error=False)
        failed = _item_errors(searchable, item_errors)
    except ENGINE_ERRORS as error:
        failed = dict.fromkeys(keys, _describe(error))
    clear_failures(searchable.kind, [pk for pk in keys if pk not in failed])
    if failed:
        _failed(searchable.kind, failed)
    return set(found), failed


def sync_actions(
    client: Any, index: str, searchable: SearchableModel, keys: list[str], found: dict[str, Any]
) -> list[dict]:
    """The bulk actions that align `index` with the database for the records `keys`:
    each one found (`found`, by key) written with its parts, each other one deleted, and
    every part no longer written deleted (see `search.parts`)."""
    actions: list[dict] = []
    written: set[str] = set()
    for pk in keys:
        instance = found.get(pk)
        if instance is None:
            actions.append(
                {"_op_type": "delete", "_index": index, "_id": searchable.document_id(pk)}
            )
            continue
        for document_id, document in searchable.documents(instance):
            written.add(document_id)
            actions.append({"_index": index, "_id": document_id, "_source": document})
    for part_id in sorted(indexed_part_ids(client, index, searchable, keys) - written):
        actions.append({"_op_type": "delete", "_index": index, "_id": part_id})
    return actions


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
    keys = [str(pk) for pk in pks]
    found, failed = _sync(registry.get(kind), keys)
    if len(failed) == len(keys):
        return f"failed {len(keys)}"
    summary = f"indexed {len(found - failed.keys())}, "
    summary += f"deleted {len(set(keys) - found - failed.keys())}"
    return f"{summary}, failed {len(failed)}" if failed else summary


def _item_errors(searchable: SearchableModel, item_errors: list[dict]) -> dict[str, str]:
    """The bulk items Elasticsearch refused, by the key of their record (a part's
    failure is its record's: the next sync rewrites them all). Deleting a document
    already absent is what a delete wants, not a failure."""
    failed: dict[str, str] = {}
    for item in item_errors:
        [(operation, details)] = item.items()
        # `bulk` lists every item that was not a 2xx, even with `ignore_status`.
        if operation == "delete" and details.get("status") == 404:
            continue
        pk = searchable.record_key(str(details.get("_id", "")))
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
