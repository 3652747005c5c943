"""Demo fora: where the demo organizations represent the sector, and what it costs them.

Loads the tables of `consultations.fora.demo.demo_fora_data`: fora at every level, their seats and
holders (through `consultations.fora.services.assign_seat`, so the one-holder-at-a-time rule is
checked as in the admin), then two years of meetings before `today` and who attended
them from which seat. Meetings and attendances are written with one `bulk_create` each:
they are over a thousand rows and nothing listens to their saves. Random but
deterministic (a fixed seed), so the burden figures — and who comes out overloaded —
are the same on every load for a given `today`.
"""

import datetime
import random
from collections.abc import Iterator
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction

from organizations.demo import names_by_key
from organizations.models import Constituency, Organization, Region, Sector

from ..models import Attendance, Forum, Meeting, MeetingMode, Seat, SeatDesignation, SeatTerm
from ..services import assign_seat
from .demo_fora_data import ATTENDANCE_RATE, FORA, SEED, ForumSpec, SeatSpec

NAMES = names_by_key()
HISTORY_YEARS = 2


def load_fora(organizations: dict[str, Organization], today: datetime.date) -> None:
    """Create the demo fora, seats, terms, meetings and attendances. `organizations` are
    the demo organizations by name; does nothing when the demo fora are already there."""
    if Forum.objects.filter(slug__in=[spec.slug for spec in FORA]).exists():
        return
    with transaction.atomic():
        _Loader(organizations, today).load()


class _Loader:
    def __init__(self, organizations: dict[str, Organization], today: datetime.date) -> None:
        self.organizations = organizations
        self.today = today
        self.rng = random.Random(SEED)
        self.regions = {r.code: r for r in Region.objects.all()}
        self.sectors = {s.code: s for s in Sector.objects.all()}
        self.constituencies = {c.code: c for c in Constituency.objects.all()}

    def load(self) -> None:
        meetings: list[Meeting] = []
        seats_of: dict[int, list[list[SeatTerm]]] = {}
        for spec in FORA:
            forum = self._forum(spec)
            seats_of[forum.pk] = [self._seat(forum, spec, seat) for seat in spec.seats]
            meetings += self._meetings(forum, spec)
        Meeting.objects.bulk_create(meetings)
        attendances = [
            Attendance(meeting=meeting, term=term, attended=self.rng.random() < ATTENDANCE_RATE)
            for meeting in meetings
            for terms in seats_of[meeting.forum_id]
            for term in terms
            if term.is_active(meeting.held_on)
        ]
        Attendance.objects.bulk_create(attendances, batch_size=1000)

    def organization(self, key: str) -> Organization:
        try:
            return self.organizations[NAMES[key]]
        except KeyError:
            raise ValueError(f"Demo fora: no demo organization {key!r}.") from None

    def _forum(self, spec: ForumSpec) -> Forum:
        forum = Forum.objects.create(
            name=spec.name,
            slug=spec.slug,
            level=spec.level,
            kind=spec.kind,
            convenor=self.organization(spec.convenor),
            region=self.regions[spec.region] if spec.region else None,
            active_from=spec.active_from,
            active_until=spec.active_until,
            description=spec.description,
        )
        forum.sectors.set([self.sectors[code] for code in spec.sectors])
        return forum

    def _seat(self, forum: Forum, spec: ForumSpec, seat_spec: SeatSpec) -> list[SeatTerm]:
        """The seat and its holders, oldest first."""
        support = seat_spec.support
        seat = Seat.objects.create(
            forum=forum,
            label=seat_spec.label,
            designation=seat_spec.designation,
            sector=(
                self.sectors[seat_spec.code]
                if seat_spec.designation == SeatDesignation.SECTOR
                else None
            ),
            constituency=(
                self.constituencies[seat_spec.code]
                if seat_spec.designation == SeatDesignation.CONSTITUENCY
                else None
            ),
            per_diem=Decimal(support.per_diem),
            travel_allowance=Decimal(support.travel),
            release_time_hours=Decimal(support.release_hours),
        )
        return [
            assign_seat(
                seat,
                self.organization(term.holder),
                starts_on=max(self._day(term.since, spec.active_from), spec.active_from),
                ends_on=self._day(term.until, spec.active_until),
                delegate=term.delegate,
            )
            for term in seat_spec.terms
        ]

    def _day(
        self, when: int | datetime.date | None, otherwise: datetime.date | None
    ) -> datetime.date | None:
        """A term's date: months before today, a date, or else the forum's own."""
        if isinstance(when, int):
            return self.today - relativedelta(months=when)
        return when if when is not None else otherwise

    def _meetings(self, forum: Forum, spec: ForumSpec) -> list[Meeting]:
        cadence = spec.cadence
        horizon = self.today - relativedelta(years=HISTORY_YEARS)
        if spec.active_until and spec.active_until <= horizon:
            start = spec.active_from  # a body of the past: its whole life
        else:
            start = max(spec.active_from, horizon)
        end = min(spec.active_until or self.today, self.today)
        meetings = []
        for held_on in self._dates(start, end, cadence.per_year):
            online = self.rng.random() < cadence.online
            hours = max(1.0, cadence.hours + self.rng.choice((-0.5, 0, 0, 0.5)))
            meetings.append(
                Meeting(
                    forum=forum,
                    held_on=held_on,
                    duration_hours=Decimal(str(hours)),
                    mode=MeetingMode.ONLINE if online else MeetingMode.IN_PERSON,
                    travel_hours=Decimal(0) if online else Decimal(str(cadence.travel)),
                )
            )
        return meetings

    def _dates(
        self, start: datetime.date, end: datetime.date, per_year: int
    ) -> Iterator[datetime.date]:
        """About `per_year` weekdays a year in [start, end], a few days either side of a
        regular rhythm."""
        step = 365 / per_year
        offset = self.rng.uniform(0, step)
        while (day := start + datetime.timedelta(days=round(offset))) <= end:
            day += datetime.timedelta(days=self.rng.randint(-3, 3))
            if day.weekday() >= 5:  # Saturday or Sunday: the Friday before
                day -= datetime.timedelta(days=day.weekday() - 4)
            if start <= day <= end:
                yield day
            offset += step
