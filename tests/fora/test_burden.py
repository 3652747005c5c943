"""The representation burden: the definition (`with_burden`, one query of correlated
subqueries) and the catalogue's computation (`catalogue_sums`), equal figure for figure."""

import datetime
import random
from dataclasses import asdict
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations.fora.burden import catalogue_sums, monthly_hours, window, with_burden
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


# --- the catalogue's computation against the definition --------------------------------
#
# `catalogue_sums` + `Sums.of` (two grouped queries, the figures worked out in Python)
# must give exactly the figures of `with_burden` (the definition as SQL, per
# organization), on every kind of record: checked figure for figure, for equality.

FIGURES = (
    "active_seats",
    "distinct_fora",
    "meeting_hours_per_month",
    "travel_hours_per_month",
    "unsupported_hours_per_month",
    "hours_per_fte",
    "burden_index",
    "overloaded",
)


def by_catalogue(period) -> dict[str, dict]:
    sums = catalogue_sums(period)
    return {
        name: asdict(sums.of(pk, staff_fte))
        for pk, name, staff_fte in Organization.objects.values_list("pk", "name", "staff_fte")
    }


def by_definition(period) -> dict[str, dict]:
    return {
        organization.name: {figure: getattr(organization, figure) for figure in FIGURES}
        for organization in with_burden(Organization.objects.all(), period)
    }


def seat(at: Forum, label: str, **support) -> Seat:
    return Seat.objects.create(forum=at, label=label, designation="government", **support)


def attend(at: Forum, day: datetime.date, term, hours, travel=0, attended=True) -> None:
    confirm_attendance(meeting(at, day, hours, travel), term, attended=attended, user=None)


@pytest.fixture
def edge_cases():
    """Every edge of the definition, around the window (2001-12-31, 2002-12-31]."""
    near, far = forum("Near table"), forum("Far table")
    bare = seat(near, "No support")
    per_diem = seat(near, "Per diem", per_diem=Decimal(50))
    travel = seat(far, "Travel costs", travel_allowance=Decimal(30))
    release = seat(far, "Release time", release_time_hours=Decimal("3.5"))
    seat(near, "Never held")  # a vacant seat: no term at all
    left = seat(far, "Left before as_of")
    shared = seat(far, "Alternating holders")
    edge = seat(near, "Ends on as_of")
    fresh = seat(far, "Starts on as_of")

    staffed = OrganizationFactory(name="Staffed", staff_fte=Decimal("3.5"))
    # Two seats at one table (one forum), one elsewhere; both kinds of support.
    first = assign_seat(bare, staffed, starts_on=datetime.date(2000, 1, 1))
    second = assign_seat(per_diem, staffed, starts_on=datetime.date(2001, 6, 1))
    third = assign_seat(travel, staffed, starts_on=datetime.date(2002, 1, 1))
    attend(near, datetime.date(2001, 12, 31), first, 4)  # the window's first excluded day
    attend(near, datetime.date(2002, 1, 1), first, Decimal("2.5"), travel=Decimal("1.25"))
    attend(near, datetime.date(2002, 12, 31), second, 3, travel=1)  # as_of itself counts
    attend(near, datetime.date(2002, 7, 7), second, 2, attended=False)  # missed
    attend(far, datetime.date(2002, 2, 2), third, 6, travel=8)
    attend(far, datetime.date(2002, 3, 3), third, Decimal("1.5"))  # online: no travel

    part_time = OrganizationFactory(name="Part time", staff_fte=Decimal("0.2"))
    held = assign_seat(release, part_time, starts_on=datetime.date(2001, 1, 1))
    attend(far, datetime.date(2002, 5, 5), held, 3, travel=2)

    unrecorded = OrganizationFactory(name="Staff not recorded", staff_fte=None)
    # A term crossing the window's start, ended before as_of: its hours in the window
    # count, its seat does not.
    gone = assign_seat(
        left, unrecorded, starts_on=datetime.date(2000, 1, 1), ends_on=datetime.date(2002, 6, 1)
    )
    attend(far, datetime.date(2001, 6, 1), gone, 5, travel=3)  # before the window
    attend(far, datetime.date(2002, 3, 1), gone, 2, travel=3)

    volunteers = OrganizationFactory(name="Volunteers", staff_fte=Decimal(0))
    alternate = OrganizationFactory(name="Alternate", staff_fte=Decimal(1))
    # One seat alternating between two holders: each meeting's hours land on the
    # organization holding the seat that day.
    terms = [
        assign_seat(shared, holder, starts_on=starts_on, ends_on=ends_on)
        for holder, starts_on, ends_on in (
            (volunteers, datetime.date(2001, 1, 1), datetime.date(2002, 4, 1)),
            (alternate, datetime.date(2002, 4, 1), datetime.date(2002, 9, 1)),
            (volunteers, datetime.date(2002, 9, 1), None),
        )
    ]
    attend(far, datetime.date(2002, 3, 31), terms[0], 3, travel=2)
    attend(far, datetime.date(2002, 4, 1), terms[1], 3, travel=2)
    attend(far, datetime.date(2002, 10, 1), terms[2], 3, travel=2)

    ending = OrganizationFactory(name="Ending on as_of", staff_fte=Decimal(2))
    last = assign_seat(
        edge, ending, starts_on=datetime.date(2002, 1, 1), ends_on=datetime.date(2002, 12, 31)
    )
    attend(near, datetime.date(2002, 12, 30), last, 2)
    starting = OrganizationFactory(name="Starting on as_of", staff_fte=Decimal(2))
    assign_seat(fresh, starting, starts_on=datetime.date(2002, 12, 31))

    OrganizationFactory(name="Seatless", staff_fte=Decimal(1))


def test_the_catalogue_equals_the_definition_on_every_edge_case(edge_cases, settings):
    settings.BURDEN_OVERLOAD_SEATS = 3
    settings.BURDEN_OVERLOAD_INDEX = 1.0

    period = window(AS_OF, 12)
    computed = by_catalogue(period)

    assert computed == by_definition(period)
    assert computed["Staffed"]["active_seats"] == 3
    assert computed["Staffed"]["distinct_fora"] == 2  # two seats at the near table
    # 2.5 h + 3 h + 6 h + 1.5 h attended in the window (4 h on its first excluded day).
    assert computed["Staffed"]["meeting_hours_per_month"] == 13 / 12
    assert computed["Staffed"]["unsupported_hours_per_month"] == 3.75 / 12
    assert computed["Staffed"]["overloaded"] is True  # three seats
    assert computed["Part time"]["hours_per_fte"] == pytest.approx(5 / 12 / 0.2)
    assert computed["Part time"]["burden_index"] == pytest.approx(5 / 12 / 0.5)  # the floor
    assert computed["Staff not recorded"]["active_seats"] == 0
    assert computed["Staff not recorded"]["hours_per_fte"] is None
    assert computed["Staff not recorded"]["meeting_hours_per_month"] == 2 / 12
    assert computed["Volunteers"]["meeting_hours_per_month"] == 6 / 12
    assert computed["Alternate"]["meeting_hours_per_month"] == 3 / 12
    assert computed["Alternate"]["active_seats"] == 0
    assert computed["Ending on as_of"]["active_seats"] == 0
    assert computed["Ending on as_of"]["meeting_hours_per_month"] == 2 / 12
    assert computed["Starting on as_of"]["active_seats"] == 1
    assert computed["Seatless"]["active_seats"] == computed["Seatless"]["burden_index"] == 0
    assert computed["Seatless"]["hours_per_fte"] == 0.0


@pytest.mark.parametrize(
    ("as_of", "months"),
    [
        (AS_OF, 1),
        (AS_OF, 6),
        (AS_OF, 24),
        (datetime.date(2002, 4, 1), 12),  # the day the alternating seat changes hands
        (datetime.date(2002, 6, 1), 3),  # the day a term ends
        (datetime.date(1999, 12, 31), 12),  # before any term: nothing anywhere
    ],
)
def test_the_catalogue_equals_the_definition_over_other_windows(edge_cases, as_of, months):
    period = window(as_of, months)

    assert by_catalogue(period) == by_definition(period)


def test_the_catalogue_equals_the_definition_on_random_records(settings):
    """Thirty organizations, random staff, seats, support, holders and attendance over
    three years, compared on several days."""
    settings.BURDEN_OVERLOAD_INDEX = 2.0
    settings.BURDEN_OVERLOAD_SEATS = 3
    rng = random.Random(15)
    staff = [None, Decimal(0), Decimal("0.3"), Decimal(1), Decimal("2.75"), Decimal(12)]
    organizations = [
        OrganizationFactory(name=f"Random {n}", staff_fte=rng.choice(staff)) for n in range(30)
    ]
    support = [
        {},
        {"per_diem": Decimal(75)},
        {"travel_allowance": Decimal(40)},
        {"release_time_hours": Decimal(2)},
    ]
    first_day = datetime.date(2000, 1, 1)
    for number in range(6):
        table = forum(f"Random table {number}")
        for place in range(4):
            chair = seat(table, f"Seat {place}", **rng.choice(support))
            day, terms = first_day + datetime.timedelta(rng.randint(0, 200)), []
            while day < datetime.date(2003, 6, 1):
                length = datetime.timedelta(rng.randint(60, 700))
                if rng.random() < 0.8:
                    terms.append(
                        assign_seat(
                            chair, rng.choice(organizations), starts_on=day, ends_on=day + length
                        )
                    )
                day += length + datetime.timedelta(rng.choice((0, 0, 30)))
            for _held in range(12):
                held_on = first_day + datetime.timedelta(rng.randint(0, 1250))
                holder = next((term for term in terms if term.is_active(held_on)), None)
                if holder is not None:
                    travel = rng.choice((0, Decimal("0.5"), 2, Decimal("4.25")))
                    hours = rng.choice((1, Decimal("1.5"), 3, Decimal("7.75")))
                    attend(table, held_on, holder, hours, travel, attended=rng.random() < 0.85)

    for as_of in (datetime.date(2001, 7, 15), datetime.date(2002, 2, 28), AS_OF):
        for months in (3, 12):
            period = window(as_of, months)
            assert by_catalogue(period) == by_definition(period)


def test_the_catalogue_in_a_fixed_number_of_queries(edge_cases):
    """Three queries whatever the size of the catalogue: the seats held, the summarized
    months, the hours (with, on PostgreSQL, JIT turned off for them in a savepoint)."""
    with CaptureQueriesContext(connection) as few:
        catalogue_sums(window(AS_OF, 12))
    for n in range(20):
        organization = OrganizationFactory(name=f"More {n}")
        chair = seat(forum(f"More table {n}"), "Seat")
        assign_seat(chair, organization, starts_on=datetime.date(2001, 1, 1))

    with CaptureQueriesContext(connection) as many:
        sums = catalogue_sums(window(AS_OF, 12))

    assert len(many) == len(few)
    assert [query["sql"] for query in many].count("SET LOCAL jit = off") == (
        connection.vendor == "postgresql"
    )
    selects = [query for query in many if query["sql"].startswith(("SELECT", "(SELECT"))]
    assert len(selects) == 3
    assert len(sums.seats) >= 20
