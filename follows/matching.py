"""Saved searches: the records newly found by each, announced once to each follower.

Every distinct saved query is run through the archive search (`search.service`, the
engine or its database fallback, as the results page) once per set of readers: the
followers of a query are grouped by their reader tokens (anonymous addresses read
public records only; an account reads what `search.readers.principals` grants it), so
a restricted record is only ever found for those who could open it on the site.

"New" is what the follow has not been checked against yet (`Follow.checked_until`, or
since it was created), found two ways, newest first:
- records *dated* since then (a new organization, a brief sent, a version released);
- records that *became public* since then whatever their date, as detection recorded
  them (`Happening.recorded_at`): a brief dated the day it was sent but published when
  its round closed, a position stated last week and published by a moderator today.
Each hit becomes a `Notice(kind=PUBLISHED, happening=None, subject=<record document
id>)` (a policy section's hit is its version's); the notices' unique constraint keeps a
record announced once to a reader, whichever follows and searches found it.
"""

import datetime
import logging
from dataclasses import replace

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import QueryDict
from django.utils import timezone
from wagtail.models import Page

from concertation.parameters import ParameterError
from consultations.models import ConsultationRoundPage, PolicyVersionPage, PositionPage
from search.forms import MAX_PAGE_SIZE
from search.query import ArchiveQuery
from search.readers import principals
from search.registry import registry
from search.service import search_archive

from .models import Follow, FollowKind, Happening, HappeningKind, Notice, Subscriber

logger = logging.getLogger(__name__)

# What a saved search checks again of the time before its last check, for records
# detection recorded in a transaction still open then (told once all the same).
MARGIN = datetime.timedelta(minutes=10)
# Records a saved search announces in one pass at most (the newest): a search matching
# hundreds of new records a day is no alert.
MAX_HITS = MAX_PAGE_SIZE
# The records made public since a search's last check it looks among at most (the most
# recent), and how far back it looks when it was not checked for long (a refused query).
MAX_RECENT = 1000
LONGEST_WAIT = datetime.timedelta(days=30)

# Page kinds whose translations are one record: a hit on any of them is announced as the
# subject detection uses (rounds: their record, the first page; versions and positions:
# their first published page).
PAGE_KINDS: dict[str, type[Page]] = {
    "consultation_round": ConsultationRoundPage,
    "policy_version": PolicyVersionPage,
    "position": PositionPage,
}
# Among a record's pages, those its subject may be (`follows.detection`): any of a
# round's (the record is the first), a version's released ones, a position's live ones.
FIRST_PAGES = {
    "consultation_round": lambda: ConsultationRoundPage.objects.all(),
    "policy_version": lambda: PolicyVersionPage.objects.released(),
    "position": lambda: PositionPage.objects.live(),
}


def match_saved_searches(now: datetime.datetime | None = None) -> int:
    """Run every saved search of the readers receiving e-mail for what it newly finds,
    make their notices and move their follows' `checked_until` to `now`; returns the
    number of notices made. A saved query the search now refuses (a filter value gone)
    is skipped and logged, and checked again at the next pass."""
    now = now or timezone.now()
    follows = list(
        Follow.objects.filter(kind=FollowKind.SEARCH, subscriber__in=Subscriber.objects.receiving())
        .select_related("subscriber__user")
        .order_by("pk")
    )
    groups: dict[tuple[str, tuple[str, ...]], list[Follow]] = {}
    tokens: dict[int, tuple[str, ...]] = {}
    for follow in follows:
        user = follow.subscriber.user
        if user is not None and user.pk not in tokens:
            tokens[user.pk] = principals(user)
        readers = tokens[user.pk] if user is not None else ()
        groups.setdefault((follow.query, readers), []).append(follow)
    if not groups:
        return 0
    earliest = min(_since(follow) for follow in follows)
    became_public = _became_public(max(earliest, now - LONGEST_WAIT) - MARGIN)
    found_for: list[tuple[Follow, str]] = []
    checked: list[int] = []
    for (query, readers), members in groups.items():
        try:
            found = _found(query, readers, min(_since(follow) for follow in members), became_public)
        except ParameterError as error:
            logger.warning("Saved search %r is refused by the search now: %s", query, error)
            continue
        for follow in members:
            since = _since(follow)
            found_for += [
                (follow, subject)
                for subject, (dated, published) in found.items()
                if _is_new(dated, published, since)
            ]
            checked.append(follow.pk)
    notices = _notices(found_for, now)
    with transaction.atomic():
        # Those already told of a record (by another search, or a follow through
        # detection) are skipped by the unique constraint.
        Notice.objects.bulk_create(notices, ignore_conflicts=True, batch_size=1000)
        Follow.objects.filter(pk__in=checked).update(checked_until=now)
        return Notice.objects.filter(
            created_at=now, happening__isnull=True, kind=HappeningKind.PUBLISHED
        ).count()


def _notices(found_for: list[tuple[Follow, str]], now: datetime.datetime) -> list[Notice]:
    """One notice per reader and record, whichever of their searches found it."""
    notices: dict[tuple[int, str], Notice] = {}
    for follow, subject in found_for:
        notices.setdefault(
            (follow.subscriber_id, subject),
            Notice(
                subscriber_id=follow.subscriber_id,
                follow=follow,
                kind=HappeningKind.PUBLISHED,
                subject=subject,
                created_at=now,
            ),
        )
    return list(notices.values())


def _since(follow: Follow) -> datetime.datetime:
    return follow.checked_until or follow.created_at


def _became_public(since: datetime.datetime) -> dict[str, datetime.datetime]:
    """Document id → when detection recorded it public, for the happenings recorded
    since `since` about an indexed record (a page record under each of its
    translations' ids, which the search may find instead)."""
    indexed = set(registry.kinds())
    recorded: dict[str, datetime.datetime] = {}
    for subject, at in Happening.objects.filter(recorded_at__gt=since).values_list(
        "subject", "recorded_at"
    ):
        if subject.partition(":")[0] in indexed:
            recorded[subject] = max(at, recorded.get(subject, at))
    for kind, model in PAGE_KINDS.items():
        pks = [
            int(subject.partition(":")[2]) for subject in recorded if subject.startswith(f"{kind}:")
        ]
        if not pks:
            continue
        groups = model.objects.filter(
            translation_key__in=model.objects.filter(pk__in=pks).values("translation_key")
        ).values_list("pk", "translation_key")
        by_key: dict = {}
        for pk, key in groups:
            by_key.setdefault(key, []).append(pk)
        for pks_of_group in by_key.values():
            at = max(
                (recorded[f"{kind}:{pk}"] for pk in pks_of_group if f"{kind}:{pk}" in recorded),
                default=None,
            )
            if at is not None:
                for pk in pks_of_group:
                    recorded.setdefault(f"{kind}:{pk}", at)
    return recorded


def _found(
    query: str,
    readers: tuple[str, ...],
    since: datetime.datetime,
    became_public: dict[str, datetime.datetime],
) -> dict[str, tuple[datetime.date | None, datetime.datetime | None]]:
    """The records `query` finds for `readers` dated since `since`, or among those that
    became public since: subject → (the record's date, when it became public)."""
    saved = ArchiveQuery.from_params(QueryDict(query))
    base = replace(saved, readers=readers, sort="-date", page=1, size=MAX_HITS, facets=())
    first_day = timezone.localdate(since)
    date_from = max(saved.date_from, first_day) if saved.date_from else first_day
    hits: dict[str, tuple[datetime.date | None, datetime.datetime | None]] = {}
    if not saved.date_to or saved.date_to >= date_from:
        for hit in search_archive(replace(base, date_from=date_from)).hits:
            hits[_document_id(hit.kind, hit.object_id)] = (_day(hit.date), None)
    recent = sorted(
        (at, document_id) for document_id, at in became_public.items() if at > since - MARGIN
    )[-MAX_RECENT:]
    if recent:
        # `uid`, the document id, filters like a facet (a keyword of every document).
        uids = tuple(document_id for _at, document_id in recent)
        for hit in search_archive(replace(base, filters={**saved.filters, "uid": uids})).hits:
            document_id = _document_id(hit.kind, hit.object_id)
            dated = hits.get(document_id, (_day(hit.date), None))[0]
            hits[document_id] = (dated, became_public.get(document_id))
    return _as_subjects(hits)


def _is_new(
    dated: datetime.date | None, published: datetime.datetime | None, since: datetime.datetime
) -> bool:
    """Whether a hit is news to a follow checked until `since`: it became public after
    (less the margin), or it is dated on or after that day."""
    if published is not None and published > since - MARGIN:
        return True
    return dated is not None and dated >= timezone.localdate(since)


def _document_id(kind: str, object_id: str) -> str:
    """The record's document id of a hit: a part's (a policy section, a response point)
    is its record's."""
    for searchable in registry:
        if searchable.part_kind and kind == searchable.part_kind:
            return searchable.document_id(object_id.partition(":")[0])
    return f"{kind}:{object_id}"


def _as_subjects(hits: dict) -> dict:
    """The hits under the subjects detection uses: a page record's translations are one
    record (its first page), so a reader is told of it once, in whichever language the
    search found it. One query per page kind found."""
    subjects: dict = {}
    renamed: dict[str, str] = {}
    for kind, model in PAGE_KINDS.items():
        pks = [int(key.partition(":")[2]) for key in hits if key.startswith(f"{kind}:")]
        if not pks:
            continue
        first = FIRST_PAGES[kind]().filter(translation_key=OuterRef("translation_key"))
        rows = (
            model.objects.filter(pk__in=pks)
            .annotate(first=Subquery(first.order_by("pk").values("pk")[:1]))
            .values_list("pk", "first")
        )
        for pk, first_pk in rows:
            renamed[f"{kind}:{pk}"] = f"{kind}:{first_pk or pk}"
    for key, (dated, published) in hits.items():
        subject = renamed.get(key, key)
        previous = subjects.get(subject)
        if previous is not None:
            dated = max(filter(None, [dated, previous[0]]), default=None)
            published = max(filter(None, [published, previous[1]]), default=None)
        subjects[subject] = (dated, published)
    return subjects


def _day(value: str) -> datetime.date | None:
    """A hit's date (ISO 8601, a date or a date and time) as a day in the site's time
    zone."""
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_aware(moment):
        return timezone.localdate(moment)
    return moment.date()


__all__ = ["LONGEST_WAIT", "MARGIN", "MAX_HITS", "MAX_RECENT", "match_saved_searches"]
