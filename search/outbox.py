"""The outbox of index changes: record them with the write, claim them, settle them.

A change is recorded as a `PendingChange` row in the transaction that makes it, so it
commits or rolls back with it. A drain claims due rows in a short transaction (`SELECT …
FOR UPDATE SKIP LOCKED`, so two drains never take the same row, then a lease written on
the rows), syncs their records with no transaction open (a save of the same record
never waits on Elasticsearch), then settles: the rows it still holds are deleted when
their records reached the index, and put back with a growing delay when they did not.

A record is synced by one drain at a time: a drain does not claim a record whose rows
another holds (`claim`), so two workers never write two reads of it in the wrong order.

Why a lease rather than row locks held through the sync: a lock would make a save of
the same record wait on Elasticsearch, and on SQLite hold the whole database. A worker
killed mid-batch leaves its rows claimed until the lease ends; they are then due again.
A drain that outlived its lease (another drain may have synced the rows since, possibly
before this one's older read reached the engine) records the records again, so a later
sync has the last word. See docs/decisions/005-an-outbox-for-the-index.md.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone

from .failures import MAX_ERROR_LENGTH, retry_delay
from .models import PendingChange

DEFAULT_LEASE = timedelta(minutes=2)


def lease() -> timedelta:
    """How long a drain holds the rows it claimed (`SEARCH_SYNC_LEASE_SECONDS`): longer
    than a batch takes, so a live drain keeps its rows, short enough that a dead
    worker's rows are soon due again."""
    seconds = getattr(settings, "SEARCH_SYNC_LEASE_SECONDS", None)
    return timedelta(seconds=seconds) if seconds else DEFAULT_LEASE


def record(kind: str, keys: Iterable[object]) -> None:
    """Record that the records `keys` of `kind` changed: one insert, in the current
    transaction (or its own, in autocommit)."""
    rows = [PendingChange(kind=kind, object_id=str(key)) for key in keys]
    if len(rows) == 1:
        record_one(kind, rows[0].object_id)
    elif rows:
        PendingChange.objects.bulk_create(rows, batch_size=1000)


def record_one(kind: str, key: str) -> None:
    """Record one change: what every save pays, so a plain `INSERT` written once rather
    than the ORM's bulk insert compiled each time (a third of the save's added cost)."""
    now = timezone.now()
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        cursor.execute(_insert_one_sql(connection.vendor), [kind, key, now, now])


@cache
def _insert_one_sql(vendor: str) -> str:
    quote = transaction.get_connection().ops.quote_name
    table = quote(PendingChange._meta.db_table)
    columns = ", ".join(
        quote(PendingChange._meta.get_field(name).column)
        for name in ("kind", "object_id", "created_at", "next_attempt_at", "attempts", "last_error")
    )
    return f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, 0, '')"


def record_failed(kind: str, errors: dict[str, str], attempts: int = 1) -> None:
    """Record records whose sync failed outside the outbox (a direct sync task, a retry):
    pending, due again after the delay of their `attempts`-th failure."""
    due = timezone.now() + retry_delay(attempts)
    PendingChange.objects.bulk_create(
        [
            PendingChange(
                kind=kind,
                object_id=key,
                attempts=attempts,
                next_attempt_at=due,
                last_error=error[:MAX_ERROR_LENGTH],
            )
            for key, error in errors.items()
        ],
        batch_size=1000,
    )


@dataclass
class Claim:
    """Rows a drain holds: their ids by record, and the token written on them."""

    token: uuid.UUID
    rows: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def keys_by_kind(self) -> dict[str, list[str]]:
        keys: dict[str, list[str]] = {}
        for kind, key in self.rows:
            keys.setdefault(kind, []).append(key)
        return keys

    def ids(self) -> list[int]:
        return [row_id for ids in self.rows.values() for row_id in ids]


# The key of the PostgreSQL advisory lock claims are taken under (any constant; this one
# spells "outbox").
CLAIM_LOCK = 0x6F7574626F78


def claim(limit: int) -> Claim | None:
    """Claim up to `limit` records with a due change (the oldest due first), with every
    row of those records no other drain holds. None when nothing is due.

    A record another drain holds (a row of it claimed, its lease running) is left alone,
    even for its newer rows: two drains syncing one record at once could write their
    reads in the wrong order, the older last. Its newer rows wait for the holder to
    settle, then are due. Claims are taken one at a time (a transaction-level advisory
    lock on PostgreSQL, a few milliseconds each), so a drain always sees the claims of
    the others; the syncs themselves run side by side.
    """
    now = timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        _serialize_claims()
        held_elsewhere = PendingChange.objects.filter(
            kind=OuterRef("kind"),
            object_id=OuterRef("object_id"),
            claim__isnull=False,
            next_attempt_at__gt=now,
        )
        due = list(
            PendingChange.objects.select_for_update(skip_locked=True)
            .filter(next_attempt_at__lte=now)
            .exclude(Exists(held_elsewhere))
            .order_by("next_attempt_at", "id")
            .values_list("kind", "object_id")[: limit * 4]
        )
        records = list(dict.fromkeys(due))[:limit]
        if not records:
            return None
        keys_by_kind: dict[str, list[str]] = {}
        for kind, key in records:
            keys_by_kind.setdefault(kind, []).append(key)
        by_record = Q()
        for kind, keys in keys_by_kind.items():
            by_record |= Q(kind=kind, object_id__in=keys)
        rows = list(
            PendingChange.objects.select_for_update(skip_locked=True)
            .filter(by_record)
            .filter(Q(claim__isnull=True) | Q(next_attempt_at__lte=now))
            .values_list("id", "kind", "object_id")
        )
        held = Claim(token)
        for row_id, kind, key in rows:
            held.rows.setdefault((kind, key), []).append(row_id)
        PendingChange.objects.filter(id__in=held.ids()).update(
            claim=token, next_attempt_at=now + lease()
        )
    return held


def _serialize_claims() -> None:
    """Take the claims' lock until the end of the transaction. Without it, two drains
    claiming at once would each miss the other's uncommitted claim, and could take rows
    of the same record. SQLite writes one transaction at a time anyway."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CLAIM_LOCK])


def settle(held: Claim, failed: dict[tuple[str, str], str]) -> None:
    """End a claim: delete the rows of the records that reached the index; put those of
    the failed ones (`failed`: (kind, key) -> error) back with a growing delay; record
    again the records whose rows this drain no longer held (its lease ended)."""
    now = timezone.now()
    with transaction.atomic():
        still_held = {
            row.id: row
            for row in PendingChange.objects.select_for_update().filter(
                id__in=held.ids(), claim=held.token
            )
        }
        done: list[int] = []
        retried: list[PendingChange] = []
        lost: dict[str, set[str]] = {}
        for record_key, ids in held.rows.items():
            mine = [still_held[row_id] for row_id in ids if row_id in still_held]
            if len(mine) < len(ids):
                lost.setdefault(record_key[0], set()).add(record_key[1])
            error = failed.get(record_key)
            if error is None:
                done.extend(row.id for row in mine)
                continue
            for row in mine:
                row.attempts += 1
                row.next_attempt_at = now + retry_delay(row.attempts)
                row.last_error = error[:MAX_ERROR_LENGTH]
                row.claim = None
                retried.append(row)
        PendingChange.objects.filter(id__in=done).delete()
        PendingChange.objects.bulk_update(
            retried, ["attempts", "next_attempt_at", "last_error", "claim"]
        )
        for kind, keys in lost.items():
            record(kind, keys)


def make_due(kind: str | None = None) -> int:
    """Make every pending change (of `kind`) due now, as if its delay had passed; returns
    how many records that concerns. Rows a drain holds keep their lease."""
    rows = PendingChange.objects.filter(claim__isnull=True)
    if kind:
        rows = rows.filter(kind=kind)
    records = rows.values("kind", "object_id").distinct().count()
    rows.update(next_attempt_at=timezone.now())
    return records


def next_due() -> datetime | None:
    """When the earliest pending change is due (a lease's end counts), or None."""
    return PendingChange.objects.aggregate(due=Min("next_attempt_at"))["due"]


def summary() -> dict[str, int | None]:
    """What /healthz reports: how many changes are pending and the oldest one's age in
    seconds (None when there is none)."""
    totals = PendingChange.objects.aggregate(pending=Count("id"), oldest=Min("created_at"))
    oldest = totals["oldest"]
    age = None if oldest is None else max(int((timezone.now() - oldest).total_seconds()), 0)
    return {"pending": totals["pending"], "oldest_pending_seconds": age}
