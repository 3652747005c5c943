"""The representation burden: what sitting at tables costs each organization.

Computed in the database for the whole catalogue in one query (`with_burden` annotates
an Organization queryset with correlated subqueries), so the dashboard, the CSV export
and one organization's page read the same numbers, and no code loops over organizations
issuing queries. The formula and its reasons are in docs/burden.md.

Over the rolling window of `BURDEN_WINDOW_MONTHS` months ending on `as_of`:

- active seats and distinct fora: terms held on `as_of`;
- meeting hours per month: the duration of the meetings attended, per month;
- travel hours per month: the travel time of the in-person meetings attended;
- unsupported hours per month: meeting and travel hours in seats that come with no
  support at all (no per diem, no travel costs, no release time);
- hours per staff FTE: meeting and travel hours per month per full-time equivalent;
- burden index: (meeting + travel + unsupported) hours per month, per staff FTE with a
  floor of `BURDEN_MIN_FTE` — unsupported hours count twice, because the organization
  pays for them out of its own mission;
- overloaded: index ≥ `BURDEN_OVERLOAD_INDEX`, or active seats ≥ `BURDEN_OVERLOAD_SEATS`.
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, TruncMonth

from organizations.models import Organization

from .models import Attendance, MeetingMode, SeatTerm

HOURS = DecimalField(max_digits=12, decimal_places=2)


@dataclass(frozen=True)
class Window:
    """The months the burden is measured over: (start, as_of]."""

    as_of: datetime.date
    months: int

    @property
    def start(self) -> datetime.date:
        return self.as_of - relativedelta(months=self.months)


def window(as_of: datetime.date | None = None, months: int | None = None) -> Window:
    return Window(
        as_of=as_of or datetime.date.today(), months=months or settings.BURDEN_WINDOW_MONTHS
    )


def _attended_in(period: Window) -> QuerySet:
    return Attendance.objects.filter(
        term__organization=OuterRef("pk"),
        attended=True,
        meeting__held_on__gt=period.start,
        meeting__held_on__lte=period.as_of,
    ).values("term__organization")


def _sum_of(attended: QuerySet, expression) -> Coalesce:
    total = attended.annotate(total=Sum(expression, output_field=HOURS)).values("total")
    return Coalesce(Cast(Subquery(total), FloatField()), Value(0.0))


UNSUPPORTED = (
    Q(term__seat__per_diem=0)
    & Q(term__seat__travel_allowance=0)
    & Q(term__seat__release_time_hours=0)
)
TRAVEL = Case(
    When(meeting__mode=MeetingMode.IN_PERSON, then=F("meeting__travel_hours")),
    default=Value(0),
    output_field=HOURS,
)


def with_burden(queryset: QuerySet, period: Window) -> QuerySet:
    """`queryset` of organizations, each annotated with its burden figures."""
    held = SeatTerm.objects.active_on(period.as_of).filter(organization=OuterRef("pk"))
    seats = held.values("organization").annotate(n=Count("pk")).values("n")
    fora = held.values("organization").annotate(n=Count("seat__forum", distinct=True)).values("n")
    attended = _attended_in(period)
    months = Value(float(period.months))
    fte = Greatest(
        Coalesce(Cast("staff_fte", FloatField()), Value(0.0)), Value(settings.BURDEN_MIN_FTE)
    )
    annotated = queryset.annotate(
        active_seats=Coalesce(Subquery(seats), 0),
        distinct_fora=Coalesce(Subquery(fora), 0),
        meeting_hours_per_month=_sum_of(attended, F("meeting__duration_hours")) / months,
        travel_hours_per_month=_sum_of(attended, TRAVEL) / months,
        unsupported_hours_per_month=_sum_of(
            attended.filter(UNSUPPORTED), F("meeting__duration_hours") + TRAVEL
        )
        / months,
    )
    return annotated.annotate(
        hours_per_fte=Case(
            When(
                staff_fte__gt=0,
                then=(F("meeting_hours_per_month") + F("travel_hours_per_month"))
                / Cast("staff_fte", FloatField()),
            ),
            default=None,
            output_field=FloatField(),
        ),
        burden_index=ExpressionWrapper(
            (
                F("meeting_hours_per_month")
                + F("travel_hours_per_month")
                + F("unsupported_hours_per_month")
            )
            / fte,
            output_field=FloatField(),
        ),
    ).annotate(
        overloaded=Case(
            When(
                Q(burden_index__gte=settings.BURDEN_OVERLOAD_INDEX)
                | Q(active_seats__gte=settings.BURDEN_OVERLOAD_SEATS),
                then=Value(True),
            ),
            default=Value(False),
        )
    )


def monthly_hours(organization: Organization, period: Window) -> list[tuple[datetime.date, float]]:
    """Meeting and travel hours attended per month over the window, one query; months
    without meetings appear with zero."""
    rows = (
        Attendance.objects.filter(
            term__organization=organization,
            attended=True,
            meeting__held_on__gt=period.start,
            meeting__held_on__lte=period.as_of,
        )
        .annotate(month=TruncMonth("meeting__held_on"))
        .values("month")
        .annotate(hours=Sum(F("meeting__duration_hours") + TRAVEL, output_field=HOURS))
    )
    by_month = {row["month"]: float(row["hours"]) for row in rows}
    first = (period.start + relativedelta(months=1)).replace(day=1)
    months = [first + relativedelta(months=n) for n in range(period.months)]
    return [(month, by_month.get(month, 0.0)) for month in months]
