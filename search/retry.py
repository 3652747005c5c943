"""Retry the recorded failed index updates on demand (the command and the admin)."""

from .models import IndexFailure
from .tasks import SYNC_CHUNK_SIZE, sync_documents


def failed_keys(kind: str | None = None) -> dict[str, list[str]]:
    """The records with a recorded failure, by kind."""
    failures = IndexFailure.objects.order_by("kind", "object_id")
    if kind:
        failures = failures.filter(kind=kind)
    keys: dict[str, list[str]] = {}
    for failure_kind, object_id in failures.values_list("kind", "object_id"):
        keys.setdefault(failure_kind, []).append(object_id)
    return keys


def retry_failures(*, kind: str | None = None, queue: bool = False) -> int:
    """Sync every record with a recorded failure again, a bulk task per chunk: run here
    (`queue=False`, the command, which then reports what still fails) or queued for the
    worker (the admin, whose request must not wait on Elasticsearch). A success clears
    the failure; another failure counts one more attempt. Returns how many were retried."""
    retried = 0
    for failure_kind, keys in failed_keys(kind).items():
        for start in range(0, len(keys), SYNC_CHUNK_SIZE):
            chunk = keys[start : start + SYNC_CHUNK_SIZE]
            if queue:
                sync_documents.enqueue(failure_kind, chunk)
            else:
                sync_documents.call(failure_kind, chunk)
            retried += len(chunk)
    return retried
