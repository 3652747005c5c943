"""What happened to the public record since the last pass, and who is to be told.

`detect()` looks for what became public since its last pass (`DetectionMark`), records
each happening once (`Happening`, unique on kind and subject) with the follow targets it
concerns (`HappeningTarget`), then makes one `Notice` for each reader following one of
those targets, all in one statement (`INSERT … SELECT … ON CONFLICT DO NOTHING`): a pass
costs the same queries whatever the number of follows and readers.

Where a record says when it became public, that moment is read (Wagtail's
`first_published_at`/`last_published_at`, a round's `state_changed_at`, a brief's round
closing); where it does not (meetings, seat terms, allocations), the recent records not
yet recorded as a happening are (an anti-join on the happenings' unique index): meetings
and seat terms dated in the last `RECENT_DAYS` days or to come, allocations recorded
since detection's first pass. Nothing made public before that first pass — the earliest
follow — is ever announced, so following does not bring the whole archive in the first
e-mail.

Drafts never make a happening; restricted records may (a brief in a private round):
whether each reader may open the record is decided when the e-mail is made
(`follows.subjects`, `follows.sending`).

`match_saved_searches()` (`follows.matching`) runs the saved searches; the tasks below
wrap both for the worker and the `notify` command.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import CharField, Exists, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat, Left, Length
from django.utils import timezone
from django_tasks import task
from wagtail.models import Page

from consultations.fora.models import Attendance, Meeting, SeatTerm
from consultations.models import (
    ConsultationRoundPage,
    PolicyPage,
    PolicyVersionPage,
    PositionPage,
    Submission,
)
from consultations.models.cosignature import PositionCoSignature, SubmissionCoSignature
from consultations.models.round import RoundState
from consultations.models.submission import Publication
from organizations.funding.models import Allocation

from .matching import match_saved_searches
from .models import (
    DetectionMark,
    Follow,
    FollowKind,
    Happening,
    HappeningKind,
    HappeningTarget,
    Listing,
    Notice,
    NoticeState,
    Subscriber,
)
from .targets import listing_target, record_target

__all__ = [
    "LOOKBACK",
    "RECENT_DAYS",
    "detect",
    "detect_task",
    "match_saved_searches",
    "match_saved_searches_task",
]

MARK = "detection"
# Each pass reads again what changed in this time before the last one: a record saved in
# a transaction that had not committed when the last pass read is found by the next.
# What is read twice is recorded once (unique happenings).
LOOKBACK = datetime.timedelta(minutes=10)
# Meetings, seat terms starting or ending: those dated this many days back at most are
# news when they are recorded (an old meeting entered for the record is not), whenever
# they were recorded (they say only their dates), detection's first pass included.
RECENT_DAYS = 30
# Happenings whose notices one statement makes (its parameters stay few).
CHUNK = 500

ROUND_HAPPENINGS = {
    RoundState.OPEN: HappeningKind.ROUND_OPENED,
    RoundState.CLOSED: HappeningKind.ROUND_CLOSED,
    RoundState.REPORT_PUBLISHED: HappeningKind.REPORT_PUBLISHED,
    RoundState.RESPONSE_PUBLISHED: HappeningKind.RESPONSE_PUBLISHED,
}


@dataclass
class Found:
    """A happening found by a detector, before it is recorded."""

    kind: str
    subject: str
    occurred_at: datetime.datetime
    targets: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Window:
    """What a pass reads: public since `since` (timestamps), dated from `first_day` to
    `today` (records with dates only); `origin` is the first pass."""

    origin: datetime.datetime
    since: datetime.datetime
    now: datetime.datetime
    first_day: datetime.date
    today: datetime.date


def detect(now: datetime.datetime | None = None) -> int:
    """Record what became public since the last pass and make the notices of its
    followers; returns the number of notices made. Idempotent: a second pass
    records nothing new and tells no one twice. Passes are serialized by a lock on the
    mark's row."""
    now = now or timezone.now()
    with transaction.atomic():
        mark = _locked_mark(now)
        since = max(mark.origin, mark.until - LOOKBACK)
        today = timezone.localdate(now)
        window = Window(
            origin=mark.origin,
            since=since,
            now=now,
            first_day=today - datetime.timedelta(RECENT_DAYS),
            today=today,
        )
        found = [
            *released_versions(window),
            *round_changes(window),
            *published_briefs(window),
            *published_positions(window),
            *seat_changes(window),
            *added_meetings(window),
            *published_allocations(window),
        ]
        recorded = record_happenings(found, now)
        made = make_notices(recorded, now)
        if now > mark.until:
            mark.until = now
            mark.save(update_fields=["until"])
    return made


def _locked_mark(now: datetime.datetime) -> DetectionMark:
    """The mark's row, locked until the pass commits. Its first pass starts from the
    earliest follow (nothing older is anyone's news), or now when there is none."""
    mark = DetectionMark.objects.select_for_update().filter(name=MARK).first()
    if mark is not None:
        return mark
    earliest = Follow.objects.aggregate(first=Min("created_at"))["first"]
    origin = min(earliest, now) if earliest else now
    DetectionMark.objects.get_or_create(name=MARK, defaults={"origin": origin, "until": origin})
    return DetectionMark.objects.select_for_update().get(name=MARK)


# The detectors: each reads the new records of one kind with what its targets need, in
# a fixed number of queries.


def released_versions(window: Window) -> list[Found]:
    """Policy versions published and released (never internal) since the last pass and
    new to the archive (first published, or released, after detection's first pass: a
    correction of an old version republished is no news). About the policy, in each of
    its languages. A version's translation is the same version: its subject is the
    first released page of its translations."""
    versions = (
        PolicyVersionPage.objects.released()
        .filter(last_published_at__gt=window.since)
        .filter(
            Q(first_published_at__gt=window.origin)
            | Q(release_date__gte=timezone.localdate(window.origin))
        )
        .annotate(
            subject_pk=_first_of_translations(PolicyVersionPage.objects.released()),
            policy_key=_parent("translation_key"),
        )
        .values("subject_pk", "policy_key", "last_published_at")
    )
    versions = list(versions)
    policies = _page_translations(PolicyPage, {row["policy_key"] for row in versions})
    return [
        Found(
            HappeningKind.PUBLISHED,
            f"policy_version:{row['subject_pk']}",
            row["last_published_at"],
            {record_target("policy", pk) for pk in policies.get(row["policy_key"], ())},
        )
        for row in versions
    ]


def round_changes(window: Window) -> list[Found]:
    """Rounds opened, closed, whose report or response was published since the last
    pass: about the round and its policy, each in all its languages, and for an opening
    the open rounds' listing. A round's state is its record's (decision 011): its
    subject is the record's page, the one the archive search's `consultation_round`
    document of the record has."""
    rounds = list(
        ConsultationRoundPage.objects.records()
        .live()
        .filter(state_changed_at__gt=window.since, state__in=list(ROUND_HAPPENINGS))
        .annotate(policy_key=_parent("translation_key"))
        .values("pk", "translation_key", "policy_key", "state", "state_changed_at")
    )
    translations = _page_translations(
        ConsultationRoundPage, {row["translation_key"] for row in rounds}
    )
    policies = _page_translations(PolicyPage, {row["policy_key"] for row in rounds})
    found = []
    for row in rounds:
        targets = {
            record_target("round", pk) for pk in translations.get(row["translation_key"], ())
        }
        targets |= {record_target("policy", pk) for pk in policies.get(row["policy_key"], ())}
        if row["state"] == RoundState.OPEN:
            targets.add(listing_target(Listing.OPEN_ROUNDS))
        found.append(
            Found(
                ROUND_HAPPENINGS[row["state"]],
                f"consultation_round:{row['pk']}",
                row["state_changed_at"],
                targets,
            )
        )
    return found


def published_briefs(window: Window) -> list[Found]:
    """Briefs made public since the last pass: when their round closed (what publishes
    them), or sent to a round already publishing. About the round and its policy; about
    the organization and its confirmed co-signers only when published with the name (an
    anonymous brief must not tell an organization's followers who wrote it)."""
    briefs = list(
        Submission.objects.published()
        .filter(
            Q(round__state=RoundState.CLOSED, round__state_changed_at__gt=window.since)
            | Q(submitted_at__gt=window.since)
        )
        .annotate(
            round_key=Subquery(
                Page.objects.filter(pk=OuterRef("round_id")).values("translation_key")[:1]
            ),
            policy_key=_parent("translation_key", "round__path"),
            round_changed_at=Subquery(
                ConsultationRoundPage.objects.filter(pk=OuterRef("round_id")).values(
                    "state_changed_at"
                )[:1]
            ),
        )
        .values(
            "pk",
            "organization_id",
            "publication",
            "submitted_at",
            "round_key",
            "policy_key",
            "round_changed_at",
        )
    )
    rounds = _page_translations(ConsultationRoundPage, {row["round_key"] for row in briefs})
    policies = _page_translations(PolicyPage, {row["policy_key"] for row in briefs})
    named = [row["pk"] for row in briefs if row["publication"] == Publication.NAMED]
    co_signers = _pairs(
        SubmissionCoSignature.objects.confirmed()
        .filter(submission__in=named)
        .values_list("submission_id", "organization_id")
    )
    found = []
    for row in briefs:
        targets = {record_target("round", pk) for pk in rounds.get(row["round_key"], ())}
        targets |= {record_target("policy", pk) for pk in policies.get(row["policy_key"], ())}
        if row["publication"] == Publication.NAMED:
            organizations = [row["organization_id"], *co_signers.get(row["pk"], ())]
            targets |= {record_target("organization", pk) for pk in organizations}
        occurred = max(filter(None, [row["submitted_at"], row["round_changed_at"]]))
        found.append(Found(HappeningKind.PUBLISHED, f"submission:{row['pk']}", occurred, targets))
    return found


def published_positions(window: Window) -> list[Found]:
    """Positions first published since the last pass (a moderator published them):
    about the organization, its confirmed co-signers, the policy, and the new positions'
    listing. A translation published later is the same position (its subject is the
    first live page of its translations)."""
    positions = list(
        PositionPage.objects.live()
        .filter(first_published_at__gt=window.since)
        .annotate(
            subject_pk=_first_of_translations(PositionPage.objects.live()),
            policy_key=Subquery(
                Page.objects.filter(pk=OuterRef("policy_id")).values("translation_key")[:1]
            ),
        )
        .values(
            "subject_pk", "translation_key", "organization_id", "policy_key", "first_published_at"
        )
    )
    policies = _page_translations(PolicyPage, {row["policy_key"] for row in positions})
    co_signers = _pairs(
        PositionCoSignature.objects.confirmed()
        .filter(position__translation_key__in=[row["translation_key"] for row in positions])
        .values_list("position__translation_key", "organization_id")
    )
    found = []
    for row in positions:
        organizations = [row["organization_id"], *co_signers.get(row["translation_key"], ())]
        targets = {record_target("organization", pk) for pk in organizations}
        targets |= {record_target("policy", pk) for pk in policies.get(row["policy_key"], ())}
        targets.add(listing_target(Listing.NEW_POSITIONS))
        found.append(
            Found(
                HappeningKind.PUBLISHED,
                f"position:{row['subject_pk']}",
                row["first_published_at"],
                targets,
            )
        )
    return found


def seat_changes(window: Window) -> list[Found]:
    """Seat terms that began (SEAT_CHANGED) or ended (SEAT_ENDED) in the recent days up
    to today and were not announced yet, however late they were recorded: about the
    forum and the organization holding the seat."""
    found = []
    for kind, day in (
        (HappeningKind.SEAT_CHANGED, "starts_on"),
        (HappeningKind.SEAT_ENDED, "ends_on"),
    ):
        terms = (
            SeatTerm.objects.filter(
                **{f"{day}__gte": window.first_day, f"{day}__lte": window.today}
            )
            .exclude(_announced(kind, "seat_term"))
            .values("pk", "seat__forum_id", "organization_id", day)
        )
        for row in terms:
            found.append(
                Found(
                    kind,
                    f"seat_term:{row['pk']}",
                    _start_of(row[day]),
                    {
                        record_target("forum", row["seat__forum_id"]),
                        record_target("organization", row["organization_id"]),
                    },
                )
            )
    return found


def added_meetings(window: Window) -> list[Found]:
    """Meetings added, held recently or to come, not announced yet: about the forum and
    the organizations attending (recorded attendance, or holding one of its seats that
    day)."""
    meetings = list(
        Meeting.objects.filter(held_on__gte=window.first_day)
        .exclude(_announced(HappeningKind.PUBLISHED, "meeting"))
        .values("pk", "forum_id", "held_on")
    )
    if not meetings:
        return []
    attending = _pairs(
        Attendance.objects.filter(
            meeting__in=[row["pk"] for row in meetings], attended=True
        ).values_list("meeting_id", "term__organization_id")
    )
    first = min(row["held_on"] for row in meetings)
    holders = list(
        SeatTerm.objects.filter(seat__forum__in={row["forum_id"] for row in meetings})
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=first))
        .values_list("seat__forum_id", "organization_id", "starts_on", "ends_on")
    )
    found = []
    for row in meetings:
        organizations = set(attending.get(row["pk"], ()))
        organizations |= {
            organization
            for forum, organization, starts_on, ends_on in holders
            if forum == row["forum_id"]
            and starts_on <= row["held_on"]
            and (ends_on is None or ends_on > row["held_on"])
        }
        targets = {record_target("forum", row["forum_id"])}
        targets |= {record_target("organization", pk) for pk in organizations}
        found.append(Found(HappeningKind.PUBLISHED, f"meeting:{row['pk']}", window.now, targets))
    return found


def published_allocations(window: Window) -> list[Found]:
    """Allocations published and not announced yet (an allocation has no publication
    time: drafts become public by a change of status), recorded since detection's first
    pass: about the programme and the organization."""
    allocations = (
        Allocation.objects.published()
        .filter(recorded_at__gte=window.origin)
        .exclude(_announced(HappeningKind.PUBLISHED, "allocation"))
        .values("pk", "programme_id", "organization_id")
    )
    return [
        Found(
            HappeningKind.PUBLISHED,
            f"allocation:{row['pk']}",
            window.now,
            {
                record_target("programme", row["programme_id"]),
                record_target("organization", row["organization_id"]),
            },
        )
        for row in allocations
    ]


# Recording them and telling the followers.


def record_happenings(found: list[Found], now: datetime.datetime) -> list[Happening]:
    """Record the happenings not recorded yet, with their targets; returns those
    recorded now. Two detectors finding the same (kind, subject) make one happening with
    the targets of both."""
    merged: dict[tuple[str, str], Found] = {}
    for item in found:
        key = (str(item.kind), item.subject)
        if key in merged:
            merged[key].targets |= item.targets
        else:
            merged[key] = Found(item.kind, item.subject, item.occurred_at, set(item.targets))
    if not merged:
        return []
    subjects = sorted({subject for _kind, subject in merged})
    existing: set[tuple[str, str]] = set()
    for chunk in _chunks(subjects, CHUNK):
        existing.update(Happening.objects.filter(subject__in=chunk).values_list("kind", "subject"))
    new = [item for key, item in merged.items() if key not in existing]
    happenings = Happening.objects.bulk_create(
        [
            Happening(
                kind=item.kind, subject=item.subject, occurred_at=item.occurred_at, recorded_at=now
            )
            for item in new
        ],
        batch_size=CHUNK,
    )
    HappeningTarget.objects.bulk_create(
        [
            HappeningTarget(happening=happening, target=target)
            for happening, item in zip(happenings, new, strict=True)
            for target in sorted(item.targets)
        ],
        batch_size=CHUNK * 4,
    )
    return happenings


def make_notices(happenings: list[Happening], now: datetime.datetime) -> int:
    """One notice per reader receiving e-mail (`Subscriber.objects.receiving`) who
    follows a target of `happenings`, once per reader, kind and record whatever the
    number of their follows reaching it (the unique constraint, `ON CONFLICT DO
    NOTHING`). One statement per `CHUNK` happenings, none per follow or reader."""
    made = 0
    for chunk in _chunks([happening.pk for happening in happenings], CHUNK):
        made += _insert_notices(chunk, now)
    return made


# The notices of a chunk of happenings, for the follows of their targets by readers
# receiving e-mail; the table names are the models' (a test checks the columns).
INSERT_NOTICES = """
INSERT INTO {notice} (subscriber_id, follow_id, happening_id, kind, subject, state, created_at)
SELECT f.subscriber_id, f.id, h.id, h.kind, h.subject, %s, %s
FROM {happening} h
JOIN {target} t ON t.happening_id = h.id
JOIN {follow} f ON f.target = t.target
JOIN {subscriber} s ON s.id = f.subscriber_id
WHERE h.id IN ({happenings})
  AND f.kind IN (%s, %s)
  AND s.confirmed_at IS NOT NULL AND s.unsubscribed_at IS NULL AND s.suspended_at IS NULL
ORDER BY f.id
ON CONFLICT DO NOTHING
"""


def _insert_notices(happening_pks: list[int], now: datetime.datetime) -> int:
    quote = connection.ops.quote_name
    statement = INSERT_NOTICES.format(
        notice=quote(Notice._meta.db_table),
        happening=quote(Happening._meta.db_table),
        target=quote(HappeningTarget._meta.db_table),
        follow=quote(Follow._meta.db_table),
        subscriber=quote(Subscriber._meta.db_table),
        happenings=", ".join(["%s"] * len(happening_pks)),
    )
    parameters = [NoticeState.PENDING, now, *happening_pks, FollowKind.RECORD, FollowKind.LISTING]
    with connection.cursor() as cursor:
        cursor.execute(statement, parameters)
        return max(cursor.rowcount, 0)


# Helpers.


def _parent(field_name: str, path: str = "path") -> Subquery:
    """A field of the parent page of the page whose tree path is `path` (a version's or
    a round's policy): one annotation for all the rows."""
    return Subquery(
        Page.objects.filter(
            path=Left(OuterRef(path), Length(OuterRef(path)) - Page.steplen)
        ).values(field_name)[:1]
    )


def _first_of_translations(pages: QuerySet) -> Subquery:
    """The first page (lowest key) of the row's translations among `pages`: a record
    and its translations are one subject."""
    return Subquery(
        pages.filter(translation_key=OuterRef("translation_key")).order_by("pk").values("pk")[:1]
    )


def _page_translations(model: type[Page], keys: Iterable) -> dict:
    """Translation key → the keys of every page of `model` in that translation group
    (a follow may name any language's page): one query."""
    keys = [key for key in keys if key is not None]
    if not keys:
        return {}
    return _pairs(
        model.objects.filter(translation_key__in=keys).values_list("translation_key", "pk")
    )


def _pairs(rows: Iterable[tuple]) -> dict:
    grouped: dict = {}
    for key, value in rows:
        grouped.setdefault(key, []).append(value)
    return grouped


def _announced(kind: str, prefix: str) -> Exists:
    """Whether a happening of `kind` about the row (`<prefix>:<pk>`) is recorded: the
    happenings' unique index answers it row by row."""
    return Exists(
        Happening.objects.filter(
            kind=kind,
            subject=Concat(Value(f"{prefix}:"), Cast(OuterRef("pk"), output_field=CharField())),
        )
    )


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@task()
def detect_task() -> int:
    """`detect()` for the worker (`manage.py notify` runs it in turn)."""
    return detect()


@task()
def match_saved_searches_task() -> int:
    """`match_saved_searches()` for the worker."""
    return match_saved_searches()
