"""Background tasks that keep the archive index in step with the database."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django_tasks import task
from elasticsearch.helpers import bulk

from . import engine
from .index import ensure_index
from .registry import registry

logger = logging.getLogger(__name__)


@task()
def sync_document(kind: str, pk: str) -> str:
    """Bring one record's search document in line with the database.

    The task re-reads the row rather than trusting what was sent when it was queued, so
    two quick saves leave the index holding the last one, and a record deleted or
    unpublished meanwhile is removed from the index.
    """
    if not engine.is_configured():
        return "skipped"
    searchable = registry.get(kind)
    instance = searchable.get_queryset().filter(pk=pk).first()
    client = engine.get_client()
    alias = ensure_index()
    document_id = searchable.document_id(pk)
    if instance is None:
        client.options(ignore_status=404).delete(index=alias, id=document_id)
        return "deleted"
    client.index(index=alias, id=document_id, document=searchable.to_document(instance))
    return "indexed"


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
    found = {
        str(instance.pk): instance for instance in searchable.get_queryset().filter(pk__in=pks)
    }
    alias = ensure_index()
    actions: list[dict] = []
    for pk in pks:
        instance = found.get(str(pk))
        document_id = searchable.document_id(pk)
        if instance is None:
            actions.append({"_op_type": "delete", "_index": alias, "_id": document_id})
        else:
            actions.append(
                {"_index": alias, "_id": document_id, "_source": searchable.to_document(instance)}
            )
    # A document already absent is what a delete wants: a 404 is not an error here.
    bulk(engine.get_client(), actions, ignore_status=404)
    return f"indexed {len(found)}, deleted {len(pks) - len(found)}"


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
