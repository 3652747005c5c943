"""The monthly burden summary: the catalogue read through it gives the definition's
figures, whatever was written since it was built, and the worker brings it back."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from consultations.fora.burden import Sources, catalogue_sums, whole_months, window
from consultations.fora.burden_summary import refresh_all
from consultations.fora.models import (
    Attendance,
    BurdenDay,
    BurdenMonth,
    Meeting,
    Seat,
    SummarizedMonth,
)
from tests.factories import OrganizationFactory
from tests.fora.test_burden import (
    AS_OF,
    by_catalogue,
    by_definition,
    edge_cases,  # noqa: F401 - the fixture
)

pytestmark = pytest.mark.django_db

PERIODS = [
    window(AS_OF, 12),
    window(datetime.date(2002, 6, 15), 12),
    window(AS_OF, 3),
    # March 2001 and March 2002 in part: 2002-03-01 in, 2002-03-03 out.
    window(datetime.date(2002, 3, 2), 12),
]


def assert_as_defined() -> None:
    for period in PERIODS:
        assert by_catalogue(period) == by_definition(period)


def fresh() -> set[datetime.date]:
    return set(SummarizedMonth.objects.filter(fresh=True).values_list("month", flat=True))


def test_whole_months_of_a_window():
    assert whole_months(window(AS_OF, 12)) == [datetime.date(2002, m, 1) for m in range(1, 13)]
    # (2001-06-15, 2002-06-15]: July to May whole, June 2001 and 2002 in part.
    assert whole_months(window(datetime.date(2002, 6, 15), 12)) == [
        *[datetime.date(2001, month, 1) for month in range(7, 13)],
        *[datetime.date(2002, month, 1) for month in range(1, 6)],
    ]
    assert whole_months(window(datetime.date(2002, 2, 27), 1)) == []


def test_read_through_the_summary_as_defined(edge_cases):  # noqa: F811
    months = refresh_all()

    assert datetime.date(2002, 3, 1) in months
    assert fresh() == set(months)
    assert BurdenMonth.objects.exists()
    assert_as_defined()


def test_the_summary_counts_in_the_hours(edge_cases):  # noqa: F811
    """A summary row that disagrees with the records shows in the figures: the catalogue
    does read the summary for fresh months, and the records for the others."""
    refresh_all()
    row = BurdenMonth.objects.filter(month=datetime.date(2002, 2, 1)).first()
    recorded = catalogue_sums(window(AS_OF, 12)).hours[row.organization_id][0]
    BurdenMonth.objects.filter(pk=row.pk).update(meeting_hundredths=row.meeting_hundredths + 12000)

    assert catalogue_sums(window(AS_OF, 12)).hours[row.organization_id][0] == recorded + 120

    SummarizedMonth.objects.filter(month=row.month).update(fresh=False)
    assert catalogue_sums(window(AS_OF, 12)).hours[row.organization_id][0] == recorded


def test_where_each_day_of_a_window_is_read_from():
    """Fresh whole months from the month rows, the fresh months covered in part from
    the day rows, the rest from the records."""
    period = window(datetime.date(2002, 4, 1), 3)  # (2002-01-01, 2002-04-01]
    months = [datetime.date(2002, month, 1) for month in (1, 2, 3, 4)]

    every = Sources.of(period, months)
    assert every.whole == months[1:3]
    assert every.days == [
        (datetime.date(2002, 1, 1), datetime.date(2002, 1, 31)),
        (datetime.date(2002, 3, 31), datetime.date(2002, 4, 1)),
    ]
    assert every.records == []
    none = Sources.of(period, [])
    assert none.whole == none.days == []
    # Consecutive months read from the records are one range.
    assert none.records == [(datetime.date(2002, 1, 1), datetime.date(2002, 4, 1))]
    some = Sources.of(period, [months[0], months[2]])
    assert (some.whole, some.days) == ([months[2]], [every.days[0]])
    assert some.records == [
        (datetime.date(2002, 1, 31), datetime.date(2002, 2, 28)),
        (datetime.date(2002, 3, 31), datetime.date(2002, 4, 1)),
    ]
    # A window shorter than a month: two months in part, none whole, one range of days.
    short = Sources.of(window(datetime.date(2002, 2, 27), 1), months)
    assert short.whole == [] and short.days == [
        (datetime.date(2002, 1, 27), datetime.date(2002, 2, 27))
    ]


def test_the_part_months_count_in_from_the_day_rows(edge_cases):  # noqa: F811
    """A day row that disagrees with the records shows in a window covering its month in
    part, while the month is fresh; stale, the month is read from the records."""
    refresh_all()
    period = window(datetime.date(2002, 4, 1), 3)  # April 2002 in part: its first day
    row = BurdenDay.objects.get(day=datetime.date(2002, 4, 1))
    recorded = catalogue_sums(period).hours[row.organization_id][0]
    BurdenDay.objects.filter(pk=row.pk).update(meeting_hundredths=F("meeting_hundredths") + 12000)

    assert catalogue_sums(period).hours[row.organization_id][0] == recorded + 120
    assert catalogue_sums(window(AS_OF, 12)).hours[row.organization_id][0] != recorded + 120

    SummarizedMonth.objects.filter(month=datetime.date(2002, 4, 1)).update(fresh=False)
    assert catalogue_sums(period).hours[row.organization_id][0] == recorded


def test_a_month_rebuilt_has_day_rows_adding_up_to_its_month_rows(edge_cases):  # noqa: F811
    refresh_all()

    for month in BurdenMonth.objects.all():
        days = BurdenDay.objects.filter(
            organization_id=month.organization_id,
            day__year=month.month.year,
            day__month=month.month.month,
        )
        for name in ("meeting", "travel", "unsupported"):
            column = f"{name}_hundredths"
            assert sum(getattr(day, column) for day in days) == getattr(month, column)
    assert BurdenDay.objects.count() >= BurdenMonth.objects.count() > 0


@pytest.mark.parametrize(
    "change",
    [
        "attendance recorded",
        "attendance missed",
        "attendance deleted",
        "meeting moved",
        "meeting online",
        "seat supported",
        "term holder",
    ],
)
def test_a_write_marks_its_months_stale_and_the_worker_rebuilds_them(
    edge_cases,  # noqa: F811
    change,
    django_capture_on_commit_callbacks,
):
    """Right after the write the figures are still the definition's (the stale months read
    from the records); after the commit the worker's refresh makes them fresh again."""
    refresh_all()
    attendance = Attendance.objects.select_related("meeting", "term__seat").get(
        meeting__held_on=datetime.date(2002, 2, 2)
    )
    meeting, term = attendance.meeting, attendance.term
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        if change == "attendance recorded":
            extra = Meeting.objects.create(
                forum=meeting.forum,
                held_on=datetime.date(2002, 8, 8),
                duration_hours=5,
                mode="online",
                travel_hours=0,
            )
            Attendance.objects.create(meeting=extra, term=term, attended=True)
            touched = {datetime.date(2002, 8, 1)}
        elif change == "attendance missed":
            attendance.attended = False
            attendance.save()
            touched = {datetime.date(2002, 2, 1)}
        elif change == "attendance deleted":
            attendance.delete()
            touched = {datetime.date(2002, 2, 1)}
        elif change == "meeting moved":
            meeting.held_on = datetime.date(2002, 11, 2)
            meeting.save()
            touched = {datetime.date(2002, 2, 1), datetime.date(2002, 11, 1)}
        elif change == "meeting online":
            meeting.mode, meeting.travel_hours = "online", 0
            meeting.save()
            touched = {datetime.date(2002, 2, 1)}
        elif change == "seat supported":
            seat = Seat.objects.get(pk=term.seat_id)
            seat.travel_allowance = 0
            seat.save()
            touched = {datetime.date(2002, 2, 1), datetime.date(2002, 3, 1)}
        else:
            other = OrganizationFactory(name="New holder", staff_fte=Decimal(1))
            term.organization = other
            term.save()
            touched = {datetime.date(2002, 2, 1), datetime.date(2002, 3, 1)}

        assert touched <= set(whole_months(PERIODS[0])) - fresh()
        assert_as_defined()

    assert callbacks  # the refresh is queued for after the commit
    for callback in callbacks:
        callback()  # the immediate task backend runs the refresh here
    assert touched <= fresh()
    assert_as_defined()


def test_the_summary_holds_hundredths_of_an_hour(edge_cases):  # noqa: F811
    """Staffed's March 2002: 1.5 hours online (no travel) from a seat with travel costs;
    February: 6 hours and 8 of travel. Exact integers, no rounding."""
    refresh_all()
    staffed = {
        row.month.month: row
        for row in BurdenMonth.objects.filter(organization__name="Staffed", month__year=2002)
    }

    assert (staffed[3].meeting_hundredths, staffed[3].travel_hundredths) == (150, 0)
    assert (staffed[2].meeting_hundredths, staffed[2].travel_hundredths) == (600, 800)
    assert staffed[1].unsupported_hundredths == 375  # 2.5 + 1.25, an unsupported seat


def test_same_queries_with_or_without_the_summary(edge_cases):  # noqa: F811
    with CaptureQueriesContext(connection) as without:
        catalogue_sums(window(AS_OF, 12))
    refresh_all()

    with CaptureQueriesContext(connection) as through:
        catalogue_sums(window(AS_OF, 12))

    assert len(through) == len(without)
    assert sum(query["sql"].startswith(("SELECT", "(SELECT")) for query in through) == 3
