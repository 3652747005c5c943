"""Load the demo fora from `fora.json`: where the demo organizations represent the sector,
and what it costs them.

`fora.json` holds the roundtables, coalitions and intermediary structures at every
level, their seats (the support a seat comes with is named from `supports`: CAD per
meeting, release hours per month) and who held each seat, oldest first. Holders are
demo organizations named by their key in `organizations/demo/keys.csv`. A term's
`since_months_ago` and `until_months_ago` count months before the day the demo is
loaded (so the burden window always has meetings in it); left out, they are the forum's
own start and end (the bodies of the story keep the sources' dates). A forum's
`cadence` says how it meets: meetings a year, hours each, the return travel time of an
in-person meeting and the share held online. The figures are tuned so that, with the
default settings, exactly two organizations come out overloaded, each by one rule: a
regional table by its number of seats, a national advocacy coalition by its burden index.

Seats' holders go through `consultations.fora.services.assign_seat`, so the
one-holder-at-a-time rule is checked as in the admin; then `history_years` of meetings
before `today` and who attended them from which seat (a share `attendance_rate` of
them). Meetings and attendances are written with one `bulk_create` each: they are over a
thousand rows, nothing listens to their saves, and the holder of the day is chosen here
as `confirm_attendance` would check it. Random but deterministic (`seed`), so the burden
figures — and who comes out overloaded — are the same on every load for a given `today`.
"""

import datetime
import json
import random
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction

from organizations.demo import names_by_key
from organizations.models import Constituency, Organization, Region, Sector

from ..models import Attendance, Forum, Meeting, MeetingMode, Seat, SeatDesignation, SeatTerm
from ..services import assign_seat

DATA = Path(__file__).resolve().parent / "fora.json"


@cache
def fora_data() -> dict[str, Any]:
    """The content of `fora.json`."""
    return json.loads(DATA.read_text(encoding="utf-8"))


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def load_fora(organizations: dict[str, Organization], today: datetime.date) -> None:
    """Create the demo fora, seats, terms, meetings and attendances. `organizations` are
    the demo organizations by name; does nothing when the demo fora are already there."""
    if Forum.objects.filter(slug__in=[spec["slug"] for spec in fora_data()["fora"]]).exists():
        return
    with transaction.atomic():
        _Loader(organizations, today).load()


class _Loader:
    def __init__(self, organizations: dict[str, Organization], today: datetime.date) -> None:
        self.organizations = organizations
        self.today = today
        self.data = fora_data()
        self.names = names_by_key()
        self.rng = random.Random(self.data["seed"])
        self.regions = {r.code: r for r in Region.objects.all()}
        self.sectors = {s.code: s for s in Sector.objects.all()}
        self.constituencies = {c.code: c for c in Constituency.objects.all()}

    def load(self) -> None:
        meetings: list[Meeting] = []
        seats_of: dict[int, list[list[SeatTerm]]] = {}
        for spec in self.data["fora"]:
            forum = self._forum(spec)
            seats_of[forum.pk] = [self._seat(forum, spec, seat) for seat in spec["seats"]]
            meetings += self._meetings(forum, spec)
        Meeting.objects.bulk_create(meetings)
        rate = self.data["attendance_rate"]
        attendances = [
            Attendance(meeting=meeting, term=term, attended=self.rng.random() < rate)
            for meeting in meetings
            for terms in seats_of[meeting.forum_id]
            for term in terms
            if term.is_active(meeting.held_on)
        ]
        Attendance.objects.bulk_create(attendances, batch_size=1000)

    def organization(self, key: str) -> Organization:
        try:
            return self.organizations[self.names[key]]
        except KeyError:
            raise ValueError(f"Demo fora: no demo organization {key!r}.") from None

    def _forum(self, spec: dict[str, Any]) -> Forum:
        forum = Forum.objects.create(
            name=spec["name"],
            slug=spec["slug"],
            level=spec["level"],
            kind=spec["kind"],
            convenor=self.organization(spec["convenor"]),
            region=self.regions[spec["region"]] if spec["region"] else None,
            active_from=_date(spec["active_from"]),
            active_until=_date(spec["active_until"]),
            description=spec["description"],
        )
        forum.sectors.set([self.sectors[code] for code in spec["sectors"]])
        return forum

    def _seat(
        self, forum: Forum, spec: dict[str, Any], seat_spec: dict[str, Any]
    ) -> list[SeatTerm]:
        """The seat and its holders, oldest first."""
        support = self.data["supports"][seat_spec["support"]]
        designation = seat_spec["designation"]
        seat = Seat.objects.create(
            forum=forum,
            label=seat_spec["label"],
            designation=designation,
            sector=(
                self.sectors[seat_spec["code"]] if designation == SeatDesignation.SECTOR else None
            ),
            constituency=(
                self.constituencies[seat_spec["code"]]
                if designation == SeatDesignation.CONSTITUENCY
                else None
            ),
            per_diem=Decimal(support["per_diem"]),
            travel_allowance=Decimal(support["travel"]),
            release_time_hours=Decimal(support["release_hours"]),
        )
        active_from, active_until = _date(spec["active_from"]), _date(spec["active_until"])
        return [
            assign_seat(
                seat,
                self.organization(term["holder"]),
                starts_on=max(self._day(term.get("since_months_ago"), active_from), active_from),
                ends_on=self._day(term.get("until_months_ago"), active_until),
                delegate=term.get("delegate", ""),
            )
            for term in seat_spec["terms"]
        ]

    def _day(self, months_ago: int | None, otherwise: datetime.date | None) -> datetime.date | None:
        """A term's date: so many months before today, or else the forum's own."""
        if months_ago is not None:
            return self.today - relativedelta(months=months_ago)
        return otherwise

    def _meetings(self, forum: Forum, spec: dict[str, Any]) -> list[Meeting]:
        cadence = spec["cadence"]
        active_from, active_until = _date(spec["active_from"]), _date(spec["active_until"])
        horizon = self.today - relativedelta(years=self.data["history_years"])
        if active_until and active_until <= horizon:
            start = active_from  # a body of the past: its whole life
        else:
            start = max(active_from, horizon)
        end = min(active_until or self.today, self.today)
        meetings = []
        for held_on in self._dates(start, end, cadence["meetings_a_year"]):
            online = self.rng.random() < cadence["online_share"]
            hours = max(1.0, cadence["hours"] + self.rng.choice((-0.5, 0, 0, 0.5)))
            meetings.append(
                Meeting(
                    forum=forum,
                    held_on=held_on,
                    duration_hours=Decimal(str(hours)),
                    mode=MeetingMode.ONLINE if online else MeetingMode.IN_PERSON,
                    travel_hours=Decimal(0) if online else Decimal(str(cadence["travel_hours"])),
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
