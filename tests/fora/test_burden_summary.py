"""The monthly burden summary: the catalogue read through it gives the definition's
figures, whatever was written since it was built, and the worker brings it back."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations.fora.burden import catalogue_sums, whole_months, window
from consultations.fora.burden_summary import refresh_all
from consultations.fora.models import Attendance, BurdenMonth, Meeting, Seat, SummarizedMonth
from tests.factories import OrganizationFactory
from tests.fora.test_burden import (
    AS_OF,
    by_catalogue,
    by_definition,
    edge_cases,  # noqa: F401 - the fixture
)

pytestmark = pytest.mark.django_db

PERIODS = [window(AS_OF, 12), window(datetime.date(2002, 6, 15), 12), window(AS_OF, 3)]


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
    BurdenMonth.objects.filter(pk=row.pk).update(meeting_hours=row.meeting_hours + 120)

    assert catalogue_sums(window(AS_OF, 12)).hours[row.organization_id][0] == recorded + 120

    SummarizedMonth.objects.filter(month=row.month).update(fresh=False)
    assert catalogue_sums(window(AS_OF, 12)).hours[row.organization_id][0] == recorded


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


def test_same_queries_with_or_without_the_summary(edge_cases):  # noqa: F811
    with CaptureQueriesContext(connection) as without:
        catalogue_sums(window(AS_OF, 12))
    refresh_all()

    with CaptureQueriesContext(connection) as through:
        catalogue_sums(window(AS_OF, 12))

    assert len(through) == len(without)
    assert sum(query["sql"].startswith(("SELECT", "(SELECT")) for query in through) == 3
