"""Background tasks that keep the archive index in step with the database."""

import logging
from dataclasses import dataclass

from django.db import transaction
from django_tasks import task

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
