"""The representation burden: what sitting at tables costs each organization.

Two ways to the same figures, whose formula and reasons are in docs/burden.md:

- `with_burden` annotates an Organization queryset with correlated subqueries: the
  definition written as SQL, filterable and orderable in the database, cheap for a few
  organizations (one organization's page) but slow over the catalogue (14 subqueries per
  organization: 10 s at 10,000 organizations);
- `catalogue_sums` reads the whole catalogue's sums in two grouped queries (the attended
  hours, one pass over the window's attendance; the seats held) and `Sums.of` works each
  organization's figures out in Python with the very same arithmetic, so the dashboard
  and the export read every organization in a fixed number of queries and in well under
  a second (docs/decisions/, tests comparing both on varied data).

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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
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


@dataclass(slots=True)  # not frozen: a frozen dataclass is slow to build by thousands
class Burden:
    """One organization's figures, as `with_burden` annotates them."""

    active_seats: int
    distinct_fora: int
    meeting_hours_per_month: float
    travel_hours_per_month: float
    unsupported_hours_per_month: float
    hours_per_fte: float | None
    burden_index: float
    overloaded: bool


NO_HOURS = (Decimal(0), Decimal(0), Decimal(0))


@dataclass(frozen=True)
class Sums:
    """The catalogue's sums over a window, by organization id: the seats held on `as_of`
    and the distinct fora they are at; the meeting, travel and unsupported hours attended
    (exact decimals, as the database sums them). An organization absent from both has no
    seat and no hours."""

    period: Window
    seats: dict[int, tuple[int, int]]
    hours: dict[int, tuple[Decimal, Decimal, Decimal]]
    # The settings, read once for the catalogue rather than once per organization.
    min_fte: float = field(default_factory=lambda: settings.BURDEN_MIN_FTE)
    overload_index: float = field(default_factory=lambda: settings.BURDEN_OVERLOAD_INDEX)
    overload_seats: int = field(default_factory=lambda: settings.BURDEN_OVERLOAD_SEATS)

    def of(self, pk: int, staff_fte: Decimal | None) -> Burden:
        """The figures of organization `pk`, worked out as `with_burden`'s SQL does: the
        same order of operations on the same double-precision numbers, so that the
        results are equal, not merely close."""
        seats, fora = self.seats.get(pk, (0, 0))
        months = float(self.period.months)
        meeting, travel, unsupported = self.hours.get(pk, NO_HOURS)
        meeting, travel, unsupported = (
            float(meeting) / months,
            float(travel) / months,
            float(unsupported) / months,
        )
        fte = float(staff_fte) if staff_fte is not None else None
        index = (meeting + travel + unsupported) / max(fte or 0.0, self.min_fte)
        return Burden(
            active_seats=seats,
            distinct_fora=fora,
            meeting_hours_per_month=meeting,
            travel_hours_per_month=travel,
            unsupported_hours_per_month=unsupported,
            hours_per_fte=(meeting + travel) / fte if fte and fte > 0 else None,
            burden_index=index,
            overloaded=index >= self.overload_index or seats >= self.overload_seats,
        )


@contextmanager
def _without_jit() -> Iterator[None]:
    """PostgreSQL's JIT compiles a grouped query over a large catalogue for longer than
    the query then runs (docs/burden.md): switch it off for the queries inside, in their
    own transaction. Other databases have no JIT."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def attended_hours(days: Q, by_day: bool = False) -> QuerySet:
    """(organization id, meeting, travel and unsupported hours) of the meetings attended
    on `days` (a condition on `meeting__held_on`), one row per organization (with
    `by_day`, per organization and day, the day second): the raw sums, exact decimals,
    that the catalogue and the monthly summary are built from."""
    keys = ["term__organization", *(["meeting__held_on"] if by_day else [])]
    return (
        Attendance.objects.filter(days, attended=True)
        .order_by()
        .values(*keys)
        .annotate(
            # Not named after a field: `meeting` would shadow the relation in TRAVEL.
            meeting_hours=Sum("meeting__duration_hours", output_field=HOURS),
            travel_hours=Sum(TRAVEL, output_field=HOURS),
            unsupported_hours=Coalesce(
                Sum(
                    F("meeting__duration_hours") + TRAVEL,
                    filter=UNSUPPORTED,
                    output_field=HOURS,
                ),
                Value(Decimal(0)),
                output_field=HOURS,
            ),
        )
        .values_list(*keys, "meeting_hours", "travel_hours", "unsupported_hours")
    )


def whole_months(period: Window) -> list[datetime.date]:
    """The calendar months (their first days) lying entirely inside the window."""
    month = (period.start + datetime.timedelta(days=1)).replace(day=1)
    if month <= period.start:
        month += relativedelta(months=1)
    months = []
    while month + relativedelta(months=1) - datetime.timedelta(days=1) <= period.as_of:
        months.append(month)
        month += relativedelta(months=1)
    return months


def months_touched(period: Window) -> list[datetime.date]:
    """Every calendar month (its first day) with at least one day in the window."""
    month, months = (period.start + datetime.timedelta(days=1)).replace(day=1), []
    while month <= period.as_of:
        months.append(month)
        month += relativedelta(months=1)
    return months


Days = tuple[datetime.date, datetime.date]  # (after, until]: the days after, to until
DAY_ZERO = datetime.date(1, 1, 1)


def _in(days: list[Days], field: str = "meeting__held_on") -> Q:
    """The `days` ranges as a condition on `field`: the ranges themselves, so that the
    database looks up those days only; an empty range (still a query) when none."""
    condition = Q(**{f"{field}__gt": DAY_ZERO, f"{field}__lte": DAY_ZERO})
    for after, until in days:
        condition |= Q(**{f"{field}__gt": after, f"{field}__lte": until})
    return condition


@dataclass(frozen=True)
class Sources:
    """Where each day of a window is read from: the whole months the summary holds
    fresh (`BurdenMonth`), the days of the fresh months the window covers in part, its
    first and last (`BurdenDay`), and every other day from the attendance records."""

    whole: list[datetime.date]
    days: list[Days]
    records: list[Days]

    @classmethod
    def of(cls, period: Window, fresh: list[datetime.date]) -> "Sources":
        """Split `period` given the `fresh` months (any order)."""
        whole_ones, whole, days, records = set(whole_months(period)), [], [], []
        for month in months_touched(period):
            last = month + relativedelta(months=1) - datetime.timedelta(days=1)
            span = (max(period.start, month - datetime.timedelta(days=1)), min(period.as_of, last))
            if month not in fresh:
                _extend(records, span)
            elif month in whole_ones:
                whole.append(month)
            else:
                _extend(days, span)
        return cls(whole=whole, days=days, records=records)


def _extend(spans: list[Days], span: Days) -> None:
    """Add `span` to `spans`, joined to the last one when they meet: one range for
    consecutive months, which the database looks up in one index scan."""
    if spans and spans[-1][1] == span[0]:
        spans[-1] = (spans[-1][0], span[1])
    else:
        spans.append(span)


def _seats_held(period: Window) -> QuerySet:
    """(organization id, seats, distinct fora) of the terms held on `as_of`."""
    return (
        SeatTerm.objects.active_on(period.as_of)
        .order_by()
        .values("organization")
        .annotate(seats=Count("pk"), fora=Count("seat__forum", distinct=True))
        .values_list("organization", "seats", "fora")
    )


class _Hours(Func):
    """Hundredths of an hour (an integer sum) as hours: an exact decimal on PostgreSQL
    (numeric division), the nearest double on SQLite, made a two-decimal Decimal by the
    field's converter."""

    template = "(%(expressions)s / 100.0)"
    output_field = HOURS


def _summarized(period: Window) -> list[datetime.date]:
    """The months touching the window that the summary holds fresh, in order."""
    from .models import SummarizedMonth

    return list(
        SummarizedMonth.objects.filter(month__in=months_touched(period), fresh=True)
        .order_by("month")
        .values_list("month", flat=True)
    )


def _hours(period: Window, summarized: list[datetime.date]) -> QuerySet:
    """(organization id, meeting, travel, unsupported hours) rows whose sums by
    organization are the window's hours (`Sources`): the attendance records of the days
    in months not `summarized` (fresh), the summary's day rows of the fresh months the
    window covers in part, and its month rows of the fresh whole months (an organization
    may have a row of each)."""
    from .models import BurdenDay, BurdenMonth

    sources = Sources.of(period, summarized)
    from_records = attended_hours(_in(sources.records))
    summed = {
        name: _Hours(Sum(f"{name}_hundredths")) for name in ("meeting", "travel", "unsupported")
    }
    columns = ("organization", "meeting", "travel", "unsupported")
    from_days = (
        BurdenDay.objects.filter(_in(sources.days, "day"))
        .order_by()
        .values("organization")
        .annotate(**summed)
        .values_list(*columns)
    )
    from_months = (
        BurdenMonth.objects.filter(month__in=sources.whole)
        .order_by()
        .values("organization")
        .annotate(**summed)
        .values_list(*columns)
    )
    return from_records.union(from_days, from_months, all=True)


def catalogue_sums(period: Window) -> Sums:
    """The sums of every organization over `period`, in three queries whatever the size
    of the catalogue (plus, on PostgreSQL, the statements that turn JIT off): the seats
    held; the window's whole months that the monthly summary holds fresh; and the hours,
    in one statement adding the summary's rows for those months to the attendance
    records of the rest of the window (its first and last part months, and any month
    not yet or no longer summarized). Without a summary that is the attendance records
    of the whole window."""
    with _without_jit():
        seats = {pk: (n, fora) for pk, n, fora in _seats_held(period)}
        hours: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
        for pk, meeting, travel, unsupported in _hours(period, _summarized(period)):
            before = hours.get(pk, NO_HOURS)
            hours[pk] = (
                before[0] + Decimal(meeting),
                before[1] + Decimal(travel),
                before[2] + Decimal(unsupported),
            )
    return Sums(period=period, seats=seats, hours=hours)


# The columns of `figures_sql`'s table, in its order.
FIGURE_COLUMNS = (
    "id",
    "name",
    "slug",
    "staff_fte",
    "region_id",
    "active_seats",
    "distinct_fora",
    "meeting_hours_per_month",
    "travel_hours_per_month",
    "unsupported_hours_per_month",
    "hours_per_fte",
    "burden_index",
    "overloaded",
)


def _summary_rows(sources: Sources) -> tuple[str, list]:
    """The summary's rows (organization id, meeting, travel, unsupported hundredths) of
    the fresh whole months and of the days of the fresh months covered in part, not
    summed: the statement sums them once, by organization."""
    from .models import BurdenDay, BurdenMonth

    columns = "organization_id, meeting_hundredths, travel_hundredths, unsupported_hundredths"
    months = ", ".join(["%s"] * len(sources.whole))
    in_months = f"month IN ({months})" if sources.whole else "1 = 0"
    in_days = " OR ".join(["(day > %s AND day <= %s)"] * len(sources.days)) or "1 = 0"
    sql = f"""SELECT {columns} FROM {BurdenMonth._meta.db_table} WHERE {in_months}
        UNION ALL
        SELECT {columns} FROM {BurdenDay._meta.db_table} WHERE {in_days}"""
    return sql, [*sources.whole, *(day for span in sources.days for day in span)]


def figures_sql(period: Window, summarized: list[datetime.date]) -> tuple[str, list]:
    """Every organization's figures over `period` as SQL: common table expressions
    ending in `figures`, one row per organization with `FIGURE_COLUMNS` (`overloaded`
    1 or 0), and their parameters, for a statement that sorts, pages or sums them in the
    database (`burden_report.dashboard`). The sums are `catalogue_sums`' queries (the
    seats held, and the hours through the `summarized` months); the figures are worked
    out with `with_burden`'s operations in its order on the same double-precision
    numbers, so they are equal to the definition, not merely close. Plain SQL that
    PostgreSQL and SQLite both run."""
    sources = Sources.of(period, summarized)
    seats_sql, seats_params = _seats_held(period).query.sql_with_params()
    records_sql, records_params = attended_hours(_in(sources.records)).query.sql_with_params()
    summary_sql, summary_params = _summary_rows(sources)
    organizations = Organization._meta.db_table
    fte = "CAST(o.staff_fte AS DOUBLE PRECISION)"

    def hours(name: str) -> str:
        # The exact sum (hundredths / 100.0 is exact in PostgreSQL's numeric), as a
        # double divided by the months: with_burden's COALESCE(CAST(SUM)) / months.
        total = f"COALESCE(summed.{name} / 100.0, 0) + COALESCE(records.{name}, 0)"
        return f"CAST({total} AS DOUBLE PRECISION) / %s AS {name}"

    sql = f"""
        held (id, seats, fora) AS ({seats_sql}),
        records (id, meeting, travel, unsupported) AS ({records_sql}),
        summary (id, meeting, travel, unsupported) AS ({summary_sql}),
        summed AS (
            SELECT id, SUM(meeting) AS meeting, SUM(travel) AS travel,
                SUM(unsupported) AS unsupported
            FROM summary GROUP BY id
        ),
        per_month AS (
            SELECT o.id, o.name, o.slug, o.staff_fte, o.region_id,
                COALESCE(held.seats, 0) AS active_seats,
                COALESCE(held.fora, 0) AS distinct_fora,
                {hours("meeting")}, {hours("travel")}, {hours("unsupported")},
                CASE WHEN o.staff_fte > 0 THEN {fte} END AS fte,
                CASE WHEN COALESCE({fte}, 0.0) > %s THEN {fte} ELSE %s END AS floored
            FROM {organizations} o
            LEFT JOIN held ON held.id = o.id
            LEFT JOIN summed ON summed.id = o.id
            LEFT JOIN records ON records.id = o.id
        ),
        indexed AS (
            SELECT id, name, slug, staff_fte, region_id, active_seats, distinct_fora,
                meeting, travel, unsupported,
                (meeting + travel) / fte AS hours_per_fte,
                (meeting + travel + unsupported) / floored AS burden_index
            FROM per_month
        ),
        figures AS (
            SELECT id, name, slug, staff_fte, region_id, active_seats, distinct_fora,
                meeting AS meeting_hours_per_month, travel AS travel_hours_per_month,
                unsupported AS unsupported_hours_per_month, hours_per_fte, burden_index,
                CASE WHEN burden_index >= %s OR active_seats >= %s THEN 1 ELSE 0 END
                    AS overloaded
            FROM indexed
        )"""
    months = float(period.months)
    params = [
        *seats_params,
        *records_params,
        *summary_params,
        months,
        months,
        months,
        float(settings.BURDEN_MIN_FTE),
        float(settings.BURDEN_MIN_FTE),
        float(settings.BURDEN_OVERLOAD_INDEX),
        int(settings.BURDEN_OVERLOAD_SEATS),
    ]
    return sql, params


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
