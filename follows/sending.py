"""Pending notices made into e-mails: one per reader per pass for readers who want to know
as it happens, one digest per reader per day or week for the others, whatever the number
of their follows.

Each pass (`send_due`) takes the readers who are due a chunk at a time, locking their
rows (`skip_locked`: two passes never write to one reader), and in one transaction per
chunk:

- reads their pending notices and describes every record at once (`follows.subjects`);
- checks each notice against what the reader may open *now* (the record published, and
  public or readable by the account: `search.readers.principals`); the others are
  WITHHELD, never sent, never retried;
- creates one `Delivery` per reader (key `digest:<reader>:<period end>` or
  `immediate:<reader>:<last notice>`), already SENDING, and marks its notices SENT with
  it, and moves the reader's `digest_until` to the period's end.

After the commit the chunk's e-mails are written from what is in memory and sent over
one SMTP connection (`follows.mail.deliver`). A crash between the commit and the SMTP
conversation leaves the rows SENDING — never sent again by themselves — and the notices
SENT: a record is never announced twice. The queries of a chunk do not depend on how
many notices or follows its readers have.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import default_task_backend, task

from search.readers import may_read, principals

from .mail import Rendered, Withheld, deliver, due, renderer, send_many
from .models import (
    Cadence,
    Delivery,
    DeliveryKind,
    DeliveryState,
    Notice,
    NoticeState,
    Subscriber,
)
from .subjects import Subject, describe

CHUNK = 500


def chunk_size() -> int:
    return int(getattr(settings, "FOLLOWS_SEND_CHUNK", CHUNK))


def digest_hour() -> int:
    return int(getattr(settings, "FOLLOWS_DIGEST_HOUR", 6))


def period_end(cadence: str, now: datetime.datetime) -> datetime.datetime:
    """The end of the last full period of `cadence` at `now`: today's digest hour (or
    yesterday's, before it), for a weekly digest the last Monday's. An immediate reader's
    period ends now."""
    if cadence == Cadence.IMMEDIATE:
        return now
    local = timezone.localtime(now)
    end = local.replace(hour=digest_hour(), minute=0, second=0, microsecond=0)
    if end > local:
        end -= datetime.timedelta(days=1)
    if cadence == Cadence.WEEKLY:
        end -= datetime.timedelta(days=end.weekday())
    return end


def due_readers(now: datetime.datetime):
    """The readers receiving e-mail who have pending notices and whose period is over:
    an immediate reader at every pass, a digest reader once per period."""
    pending = Notice.objects.filter(
        subscriber=OuterRef("pk"), state=NoticeState.PENDING, created_at__lte=now
    )
    daily, weekly = period_end(Cadence.DAILY, now), period_end(Cadence.WEEKLY, now)
    cadence_due = (
        Q(cadence=Cadence.IMMEDIATE)
        | Q(cadence=Cadence.DAILY) & (Q(digest_until__isnull=True) | Q(digest_until__lt=daily))
        | Q(cadence=Cadence.WEEKLY) & (Q(digest_until__isnull=True) | Q(digest_until__lt=weekly))
    )
    return Subscriber.objects.receiving().filter(cadence_due).filter(Exists(pending))


@dataclass
class Item:
    """One line of an e-mail: what happened to which record."""

    what: str
    title: str
    url: str
    kind_label: str


@dataclass
class Group:
    """The lines one follow brought."""

    label: str
    items: list[Item] = field(default_factory=list)


def visible(subject: Subject | None, tokens: tuple[str, ...]) -> bool:
    """Whether a reader with these reader tokens may open the record now."""
    return bool(subject and subject.published and may_read(subject.readers, tokens))


def send_due(now: datetime.datetime | None = None) -> int:
    """Make and send the e-mails due at `now`, then the queued ones and the failed ones due
    again; the number of e-mails sent. Idempotent: a second pass in the same period finds
    nothing to send."""
    now = now or timezone.now()
    sent = 0
    after = 0
    while True:
        prepared = _prepare_chunk(now, after)
        if prepared is None:
            break
        after, claimed, rendered = prepared
        sent += deliver(claimed, rendered, now)
    last = 0
    while True:
        pks = list(
            due(now).filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[: chunk_size()]
        )
        if not pks:
            break
        last = pks[-1]
        sent += send_many(pks, now)
    return sent


def _prepare_chunk(
    now: datetime.datetime, after: int
) -> tuple[int, list[Delivery], dict[int, Rendered]] | None:
    """One chunk of due readers, from the one after `after`: their deliveries created
    SENDING and their notices settled, committed; the e-mails written. None when no
    reader is left."""
    with transaction.atomic():
        readers = list(
            due_readers(now)
            .filter(pk__gt=after)
            .select_related("user")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")[: chunk_size()]
        )
        if not readers:
            return None
        notices = list(
            Notice.objects.filter(
                subscriber__in=readers, state=NoticeState.PENDING, created_at__lte=now
            )
            .select_related("follow")
            .order_by("subscriber_id", "follow_id", "created_at", "pk")
        )
        by_reader: dict[int, list[Notice]] = defaultdict(list)
        for notice in notices:
            by_reader[notice.subscriber_id].append(notice)
        subjects = {notice.subject for notice in notices}
        described: dict[str, dict[str, Subject]] = {}
        for language in {reader.language for reader in readers}:
            with translation.override(language):
                described[language] = describe(subjects)

        deliveries: list[Delivery] = []
        groups: dict[str, list[Group]] = {}
        shown: dict[str, list[int]] = {}
        withheld: list[int] = []
        for reader in readers:
            tokens = _Tokens(reader)
            seen = described[reader.language]
            kept = []
            for notice in by_reader.get(reader.pk, []):
                subject = seen.get(notice.subject)
                if visible(subject, tokens.of(subject)):
                    kept.append(notice)
                else:
                    withheld.append(notice.pk)
            if reader.cadence != Cadence.IMMEDIATE:
                reader.digest_until = period_end(reader.cadence, now)
            if not kept:
                continue
            if reader.cadence == Cadence.IMMEDIATE:
                key, kind = (
                    f"immediate:{reader.pk}:{max(n.pk for n in kept)}",
                    DeliveryKind.IMMEDIATE,
                )
            else:
                key = f"digest:{reader.pk}:{reader.digest_until.isoformat()}"
                kind = DeliveryKind.DIGEST
            deliveries.append(
                Delivery(
                    key=key,
                    kind=kind,
                    state=DeliveryState.SENDING,
                    attempts=1,
                    subscriber=reader,
                    email=reader.email,
                    language=reader.language,
                    created_at=now,
                )
            )
            with translation.override(reader.language):
                groups[key] = _groups(kept, seen)
            shown[key] = [notice.pk for notice in kept]

        existing = set(
            Delivery.objects.filter(key__in=[d.key for d in deliveries]).values_list(
                "key", flat=True
            )
        )
        # A key an earlier pass made for the same period: its notices stay pending for the
        # next period rather than go in a second e-mail with the same key.
        deliveries = [d for d in deliveries if d.key not in existing]
        announced = [pk for d in deliveries for pk in shown[d.key]]
        Delivery.objects.bulk_create(deliveries)
        if withheld:
            Notice.objects.filter(pk__in=withheld).update(state=NoticeState.WITHHELD)
        if announced:
            Notice.objects.filter(pk__in=announced).update(
                state=NoticeState.SENT,
                delivery=Subquery(
                    Delivery.objects.filter(
                        pk__in=[d.pk for d in deliveries], subscriber=OuterRef("subscriber")
                    ).values("pk")[:1]
                ),
            )
        Subscriber.objects.bulk_update(
            [r for r in readers if r.cadence != Cadence.IMMEDIATE], ["digest_until"]
        )
    rendered = {}
    for delivery in deliveries:
        with translation.override(delivery.language):
            rendered[delivery.pk] = write(delivery, groups[delivery.key])
    return readers[-1].pk, deliveries, rendered


class _Tokens:
    """A reader's tokens, read only when a restricted record needs them (an address
    without an account reads public records only)."""

    def __init__(self, reader: Subscriber) -> None:
        self.reader = reader
        self._tokens: tuple[str, ...] | None = None

    def of(self, subject: Subject | None) -> tuple[str, ...]:
        if subject is None or subject.readers is None or self.reader.user_id is None:
            return ()
        if self._tokens is None:
            self._tokens = principals(self.reader.user)
        return self._tokens


def _groups(notices: list[Notice], described: dict[str, Subject]) -> list[Group]:
    """The notices as lines grouped by the follow that found them, in the active
    language."""
    groups: dict[Any, Group] = {}
    for notice in notices:
        follow = notice.follow
        label = (follow.label or follow.target) if follow else _("Other news")
        group = groups.setdefault(notice.follow_id, Group(label=label))
        subject = described[notice.subject]
        group.items.append(
            Item(
                what=str(notice.get_kind_display()),
                title=subject.title,
                url=subject.url,
                kind_label=subject.kind_label,
            )
        )
    return list(groups.values())


def write(delivery: Delivery, groups: list[Group]) -> Rendered:
    """A digest or an as-it-happens e-mail, in the active language."""
    from .tokens import manage_url, unsubscribe_url

    count = sum(len(group.items) for group in groups)
    if delivery.kind == DeliveryKind.DIGEST:
        subject = ngettext(
            "Concertation: %(count)d new item you follow",
            "Concertation: %(count)d new items you follow",
            count,
        ) % {"count": count}
    elif count == 1:
        item = groups[0].items[0]
        subject = _("Concertation: %(what)s — %(title)s") % {"what": item.what, "title": item.title}
    else:
        subject = _("Concertation: %(count)d new items you follow") % {"count": count}
    context = {
        "delivery": delivery,
        "groups": groups,
        "count": count,
        "digest": delivery.kind == DeliveryKind.DIGEST,
        "manage_url": manage_url(delivery.subscriber),
        "unsubscribe_url": unsubscribe_url(delivery.subscriber),
        "site_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
    }
    return Rendered(
        subject=subject,
        text=render_to_string("follows/email/notices.txt", context),
        html=render_to_string("follows/email/notices.html", context),
    )


@renderer(DeliveryKind.DIGEST)
@renderer(DeliveryKind.IMMEDIATE)
def render_notices(delivery: Delivery) -> Rendered:
    """A digest read back from its notices (a retry, or the staff's "send again"): the
    records described now, those the reader may no longer open left out."""
    notices = list(
        delivery.notices.select_related("follow").order_by("follow_id", "created_at", "pk")
    )
    described = describe({notice.subject for notice in notices})
    tokens = _Tokens(delivery.subscriber)
    kept = [n for n in notices if visible(described[n.subject], tokens.of(described[n.subject]))]
    if not kept:
        # Nothing in it the reader may still open: given up at once, with the reason.
        raise Withheld(_("Nothing in this e-mail may be shown to its reader any more."))
    return write(delivery, _groups(kept, described))


@task()
def send_due_task() -> int:
    """One pass of `send_due`."""
    return send_due()


def notify_seconds() -> int:
    return int(getattr(settings, "FOLLOWS_NOTIFY_SECONDS", 300))


def notify_once(now: datetime.datetime | None = None) -> dict[str, int]:
    """One pass of everything that tells readers: detection (happenings and notices,
    then saved searches), invitations and reminders, then sending. A step whose module
    is not installed is skipped."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    detection = _optional("follows.detection")
    if detection is not None:
        counts["notices"] = detection.detect(now=now)
        counts["matches"] = detection.match_saved_searches(now=now)
    invitations = _optional("follows.invitations")
    if invitations is not None:
        today = timezone.localdate(now)
        counts["invitations"] = invitations.queue_invitations(today=today)
        counts["reminders"] = invitations.queue_reminders(today=today)
    counts["sent"] = send_due(now)
    return counts


def _optional(name: str):
    import importlib

    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise
        return None


@task()
def notify_periodically() -> dict[str, int]:
    """`notify_once`, then queue itself `FOLLOWS_NOTIFY_SECONDS` later when the task
    backend can run tasks later (the database queue can): enqueued once in production,
    it detects and sends by itself, digests included (each goes when its period is over).
    Without such a backend, run `manage.py notify --every SECONDS` (or from cron)."""
    counts = notify_once()
    if default_task_backend.supports_defer:
        later = timezone.now() + datetime.timedelta(seconds=notify_seconds())
        notify_periodically.using(run_after=later).enqueue()
    return counts
