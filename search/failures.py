"""Failed index updates: record them for staff, clear them, and say when to try again.

An update fails when Elasticsearch is down or refuses a request. The saving request never
sees it (updates run after commit, from the outbox); the change stays pending in the
outbox (`search.PendingChange`) and is tried again with a growing delay, capped, for as
long as it takes: it is never given up (`search.drain`). Meanwhile the record is written
down as an `IndexFailure` (first and last failure, attempts, last error), which staff see
in the admin; any later success for the record clears it.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from .models import IndexFailure

# The first automatic retry waits this long; each later one twice as long as the last,
# up to the longest delay: once Elasticsearch is back, the outbox drains within it.
FIRST_RETRY_DELAY = timedelta(seconds=30)
LONGEST_RETRY_DELAY = timedelta(minutes=5)
# Long enough for any stack trace or bulk error we keep; the admin shows the start.
MAX_ERROR_LENGTH = 4000


def record_failures(kind: str, errors: dict[str, str]) -> dict[str, int]:
    """Record that each record of `errors` (key -> error text) failed once more; returns
    each key's attempt count so far. Two queries, however many records."""
    if not errors:
        return {}
    now = timezone.now()
    existing = {
        failure.object_id: failure
        for failure in IndexFailure.objects.filter(kind=kind, object_id__in=list(errors))
    }
    rows = []
    for object_id, error in errors.items():
        previous = existing.get(object_id)
        rows.append(
            IndexFailure(
                kind=kind,
                object_id=object_id,
                error=error[:MAX_ERROR_LENGTH],
                attempts=(previous.attempts + 1) if previous else 1,
                first_failed_at=previous.first_failed_at if previous else now,
                last_failed_at=now,
            )
        )
    IndexFailure.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["error", "attempts", "last_failed_at"],
    )
    return {row.object_id: row.attempts for row in rows}


def clear_failures(kind: str, object_ids: Iterable[str]) -> None:
    """These records' documents are in line again: forget their failures."""
    keys = [str(object_id) for object_id in object_ids]
    if keys:
        IndexFailure.objects.filter(kind=kind, object_id__in=keys).delete()


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 30 s, 1 min, 2 min, 4 min, then
    5 min each time, without end."""
    if attempts >= 5:
        return LONGEST_RETRY_DELAY
    return min(FIRST_RETRY_DELAY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY_DELAY)
