"""Who holds which seat, read for the public pages: a forum's seats with their holders
and vacancies, and an organization's seats with the hours they cost it.

Each page reads a fixed number of queries whatever the number of seats, terms or fora
(the terms are prefetched or annotated, then sorted into periods in Python).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Prefetch, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from organizations.models import Organization

from .burden import Window
from .models import Forum, Meeting, MeetingMode, Seat, SeatTerm

RECENT_MEETINGS = 10
_HOURS = DecimalField(max_digits=12, decimal_places=2)


def _periods(
    terms: list[SeatTerm], day: datetime.date
) -> tuple[list[SeatTerm], list[SeatTerm], list[SeatTerm]]:
    """(held on `day`, ended by then, not yet begun), in the order given."""
    current = [term for term in terms if term.is_active(day)]
    past = [term for term in terms if term.ends_on is not None and term.ends_on <= day]
    upcoming = [term for term in terms if term.starts_on > day]
    return current, past, upcoming


@dataclass(frozen=True)
class SeatHolders:
    """One seat of a forum: its holder on the day (None: vacant), and the others."""

    seat: Seat
    holder: SeatTerm | None
    past: list[SeatTerm]
    upcoming: list[SeatTerm]

    @classmethod
    def of(cls, seat: Seat, day: datetime.date) -> "SeatHolders":
        current, past, upcoming = _periods(list(seat.terms.all()), day)
        return cls(seat=seat, holder=current[0] if current else None, past=past, upcoming=upcoming)

    @property
    def vacant(self) -> bool:
        return self.holder is None


def fora_for_page() -> QuerySet[Forum]:
    """A forum with everything its page shows but the meetings: convenor and region,
    sectors, seats with their sector or constituency, and every term with its holder."""
    terms = SeatTerm.objects.select_related("organization").order_by("-starts_on")
    seats = Seat.objects.select_related("sector", "constituency").prefetch_related(
        Prefetch("terms", queryset=terms)
    )
    return Forum.objects.select_related("convenor", "region").prefetch_related(
        "sectors", Prefetch("seats", queryset=seats.order_by("label", "pk"))
    )


def seats_of(forum: Forum, day: datetime.date) -> list[SeatHolders]:
    return [SeatHolders.of(seat, day) for seat in forum.seats.all()]


def recent_meetings(forum: Forum, limit: int = RECENT_MEETINGS) -> list[Meeting]:
    """The latest meetings, each with the number of seats whose holder attended."""
    attended = Count("attendances", filter=Q(attendances__attended=True))
    return list(forum.meetings.annotate(attendees=attended).order_by("-held_on")[:limit])


@dataclass(frozen=True)
class OrganizationSeats:
    """An organization's seat terms split by period on the window's last day, each
    annotated with the meetings it attended from that seat in the window and their hours
    (`meetings_attended`, `meeting_hours`, `travel_hours`)."""

    active: list[SeatTerm]
    past: list[SeatTerm]
    upcoming: list[SeatTerm]

    @classmethod
    def of(cls, organization: Organization, period: Window) -> "OrganizationSeats":
        in_window = Q(
            attendances__attended=True,
            attendances__meeting__held_on__gt=period.start,
            attendances__meeting__held_on__lte=period.as_of,
        )
        travel = Case(
            When(
                attendances__meeting__mode=MeetingMode.IN_PERSON,
                then=F("attendances__meeting__travel_hours"),
            ),
            default=Value(Decimal(0)),
            output_field=_HOURS,
        )
        terms = (
            SeatTerm.objects.filter(organization=organization)
            .select_related("seat__forum", "seat__sector", "seat__constituency")
            .annotate(
                meetings_attended=Count("attendances", filter=in_window),
                meeting_hours=Coalesce(
                    Sum("attendances__meeting__duration_hours", filter=in_window),
                    Value(Decimal(0)),
                    output_field=_HOURS,
                ),
                travel_hours=Coalesce(
                    Sum(travel, filter=in_window), Value(Decimal(0)), output_field=_HOURS
                ),
            )
            .order_by("-starts_on", "seat__forum__name", "seat__label")
        )
        return cls(*_periods(list(terms), period.as_of))

    @property
    def fora(self) -> list[Forum]:
        """The distinct fora of the active seats, by name."""
        fora = {term.seat.forum.pk: term.seat.forum for term in self.active}
        return sorted(fora.values(), key=lambda forum: forum.name.casefold())

    def __bool__(self) -> bool:
        return bool(self.active or self.past or self.upcoming)
