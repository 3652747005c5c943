"""Failed index updates: record them, clear them, and retry them a bounded number of times.

An update fails when Elasticsearch is down or refuses a request. The saving request never
sees it (updates run after commit, in a task); instead the record is written down as an
`IndexFailure`, and the task is queued again later with a growing delay, at most
`SEARCH_SYNC_MAX_ATTEMPTS` attempts in all. A backend that cannot defer a task (the
immediate one, in development and tests) gets no automatic retry: the failure stays
listed for `manage.py search_index retry`, the admin's "retry now" or a reconcile repair.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .models import IndexFailure

DEFAULT_MAX_ATTEMPTS = 5
# The first automatic retry waits this long; each later one twice as long as the last.
FIRST_RETRY_DELAY = timedelta(seconds=30)
# Long enough for any stack trace or bulk error we keep; the admin shows the start.
MAX_ERROR_LENGTH = 4000


def max_attempts() -> int:
    return getattr(settings, "SEARCH_SYNC_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)


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
    """How long to wait after the `attempts`-th failure: 30 s, 1 min, 2 min, 4 min…"""
    return FIRST_RETRY_DELAY * (2 ** max(attempts - 1, 0))


def retry_at(attempts: int) -> datetime | None:
    """When to retry after the `attempts`-th failure, or None when the attempts are used
    up (the failure stays listed for staff)."""
    if attempts >= max_attempts():
        return None
    return timezone.now() + retry_delay(attempts)
