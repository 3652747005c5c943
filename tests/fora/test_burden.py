"""The representation burden, computed in the database in one query for the catalogue."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations.fora.burden import monthly_hours, window, with_burden
from consultations.fora.models import Forum, Meeting, Seat
from consultations.fora.services import assign_seat, confirm_attendance
from organizations.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2002, 12, 31)


def forum(name: str) -> Forum:
    return Forum.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        level="regional",
        kind="government_table",
        convenor=OrganizationFactory(kind="government"),
        active_from=datetime.date(2000, 1, 1),
    )


def meeting(at: Forum, day: datetime.date, hours: int, travel: int = 0) -> Meeting:
    return Meeting.objects.create(
        forum=at,
        held_on=day,
        duration_hours=hours,
        mode="in_person" if travel else "online",
        travel_hours=travel,
    )


@pytest.fixture
def story():
    """Organization A sits on two tables — one seat without support, one with a per
    diem; B, volunteer-run, sits nowhere."""
    a = OrganizationFactory(name="A", staff_fte=Decimal(2))
    b = OrganizationFactory(name="B", staff_fte=Decimal(0))
    first, second = forum("First table"), forum("Second table")
    unsupported = Seat.objects.create(forum=first, label="Sector", designation="government")
    paid = Seat.objects.create(
        forum=second, label="Sector", designation="government", per_diem=Decimal(100)
    )
    start = datetime.date(2001, 1, 1)
    a_first = assign_seat(unsupported, a, starts_on=start)
    a_second = assign_seat(paid, a, starts_on=start)
    attended = [
        (meeting(first, datetime.date(2002, 3, 10), 3, travel=2), a_first),
        (meeting(first, datetime.date(2002, 6, 10), 2), a_first),
        (meeting(first, datetime.date(2001, 6, 1), 5), a_first),  # before the window
        (meeting(second, datetime.date(2002, 5, 1), 4, travel=1), a_second),
    ]
    for held, term in attended:
        confirm_attendance(held, term, attended=True, user=None)
    missed = meeting(second, datetime.date(2002, 9, 1), 3, travel=1)
    confirm_attendance(missed, a_second, attended=False, user=None)
    return a, b


def test_the_figures_of_each_organization(story, settings):
    settings.BURDEN_OVERLOAD_INDEX = 0.7
    settings.BURDEN_OVERLOAD_SEATS = 10

    rows = {o.name: o for o in with_burden(Organization.objects.all(), window(AS_OF, 12))}

    assert rows["A"].active_seats == 2
    assert rows["A"].distinct_fora == 2
    assert rows["A"].meeting_hours_per_month == pytest.approx(9 / 12)
    assert rows["A"].travel_hours_per_month == pytest.approx(3 / 12)
    # The unsupported seat: 3 h + 2 h travel, and 2 h online.
    assert rows["A"].unsupported_hours_per_month == pytest.approx(7 / 12)
    assert rows["A"].hours_per_fte == pytest.approx((9 + 3) / 12 / 2)
    assert rows["A"].burden_index == pytest.approx((9 + 3 + 7) / 12 / 2)
    assert rows["A"].overloaded is True
    assert rows["B"].active_seats == 0
    assert rows["B"].burden_index == 0
    assert rows["B"].hours_per_fte is None  # no paid staff: per FTE is undefined
    assert rows["B"].overloaded is False


def test_many_seats_flag_an_organization_whatever_its_hours(story, settings):
    settings.BURDEN_OVERLOAD_INDEX = 1000
    settings.BURDEN_OVERLOAD_SEATS = 2

    flagged = with_burden(Organization.objects.all(), window(AS_OF, 12)).filter(overloaded=True)

    assert [o.name for o in flagged] == ["A"]


def test_a_volunteer_run_organization_is_divided_by_the_floor_not_by_zero(settings):
    settings.BURDEN_MIN_FTE = 0.5
    volunteers = OrganizationFactory(name="Volunteers", staff_fte=Decimal(0))
    table = forum("Volunteer table")
    seat = Seat.objects.create(forum=table, label="Seat", designation="government")
    term = assign_seat(seat, volunteers, starts_on=datetime.date(2002, 1, 1))
    confirm_attendance(meeting(table, datetime.date(2002, 2, 1), 6), term, attended=True, user=None)

    row = with_burden(Organization.objects.filter(pk=volunteers.pk), window(AS_OF, 12)).get()

    # 6 h in an unsupported seat counts twice: 12 h over 12 months, per 0.5 FTE.
    assert row.burden_index == pytest.approx(2.0)


def test_the_whole_catalogue_in_one_query_whatever_its_size(story):
    for n in range(20):
        OrganizationFactory(name=f"Extra {n}")

    with CaptureQueriesContext(connection) as queries:
        rows = list(with_burden(Organization.objects.all(), window(AS_OF, 12)))

    assert len(rows) == Organization.objects.count() >= 22
    assert len(queries) == 1


def test_monthly_hours_over_the_window(story):
    a, _b = story

    months = dict(monthly_hours(a, window(AS_OF, 12)))

    assert len(months) == 12
    assert months[datetime.date(2002, 3, 1)] == 5.0  # 3 h and 2 h of travel
    assert months[datetime.date(2002, 5, 1)] == 5.0
    assert months[datetime.date(2002, 9, 1)] == 0.0  # missed
