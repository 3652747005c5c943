"""Retry the pending index changes now, rather than after their delay (the command and
the admin's "retry now")."""

from . import outbox
from .drain import drain
from .models import IndexFailure
from .tasks import queue_drain


def retry_failures(*, kind: str | None = None, queue: bool = False) -> int:
    """Make every pending change (of `kind`) due now and drain the outbox: here
    (`queue=False`, the command, which then reports what still fails) or in the worker
    (`queue=True`, the admin, whose request must not wait on Elasticsearch). A record
    listed as failed with no pending change (recorded by an earlier version) is recorded
    again first. A success clears the failure; another failure counts one more attempt.
    Returns how many records were retried."""
    listed = IndexFailure.objects.all()
    if kind:
        listed = listed.filter(kind=kind)
    for failure_kind, object_id in listed.values_list("kind", "object_id"):
        if not outbox.PendingChange.objects.filter(kind=failure_kind, object_id=object_id).exists():
            outbox.record(failure_kind, [object_id])
    retried = outbox.make_due(kind)
    if queue:
        queue_drain()
    else:
        drain()
    return retried
