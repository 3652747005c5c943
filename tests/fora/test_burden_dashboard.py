"""The dashboard's figures, order, pages and sums, worked out in the database
(`burden_report.dashboard`): equal to the definition (`with_burden`), in the order of the
export (`sorted_rows`), with and without the monthly summary."""

import datetime
import random
from dataclasses import astuple
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from consultations.fora import burden_report
from consultations.fora.burden import window
from consultations.fora.burden_summary import refresh_all
from consultations.fora.services import assign_seat
from organizations.models import Region, Sector
from tests.factories import OrganizationFactory
from tests.fora.test_burden import (
    AS_OF,
    FIGURES,
    attend,
    by_definition,
    edge_cases,  # noqa: F401 - the fixture
    forum,
    seat,
)

pytestmark = pytest.mark.django_db

PERIODS = [
    window(AS_OF, 12),
    window(datetime.date(2002, 6, 15), 12),  # part months at both ends
    window(datetime.date(2002, 4, 1), 3),
    window(datetime.date(1999, 12, 31), 12),  # before any term
]
SORTS = [value for column in burden_report.SORT_COLUMNS for value in (column.key, f"-{column.key}")]


def everything(period, sort: str = burden_report.DEFAULT_SORT) -> burden_report.Dashboard:
    return burden_report.dashboard(period, sort, 1, size=10_000, chart_size=10_000)


def figures(rows) -> dict[str, dict]:
    return {row.name: {figure: getattr(row, figure) for figure in FIGURES} for row in rows}


def group_figures(groups) -> dict[str, tuple]:
    return {
        group.code: (
            group.name,
            group.organizations,
            group.overloaded,
            group.active_seats,
            pytest.approx(group.meeting_hours_per_month),
            pytest.approx(group.travel_hours_per_month),
            pytest.approx(group.unsupported_hours_per_month),
            pytest.approx(group.mean_burden_index),
        )
        for group in groups
    }


def assert_as_defined(period) -> None:
    shown = everything(period)
    assert figures(shown.rows) == by_definition(period)  # figure for figure, with ==
    python = burden_report.rows(period)
    assert shown.total == len(python)
    assert shown.overloaded == sum(row.overloaded for row in python)
    # The sums: the Python path's, added in another order (so equal to the last bits
    # only approximately).
    assert group_figures(shown.regions) == group_figures(burden_report.by_region(python))
    sectors = burden_report.by_sector(python, burden_report.top_level_sectors())
    assert group_figures(shown.sectors) == group_figures(sectors)
    assert [group.code for group in shown.regions] == [
        group.code for group in burden_report.by_region(python)
    ]


@pytest.fixture
def classified(edge_cases):  # noqa: F811
    """The edge cases with regions and sectors: two top-level sectors, a sub-sector
    rolled up into its parent, an organization in two sectors, one in none."""
    north = Region.objects.create(
        code="test-north", name_en="North", name_fr="Nord", kind="province"
    )
    south = Region.objects.create(code="test-south", name_en="South", name_fr="", kind="province")
    housing = Sector.objects.create(code="test-housing", name_en="Housing", name_fr="Habitation")
    health = Sector.objects.create(code="test-health", name_en="Health", name_fr="Santé")
    home_care = Sector.objects.create(
        code="test-home-care", name_en="Home care", name_fr="Soins à domicile", parent=health
    )
    from organizations.models import Organization

    for organization, region, sectors in (
        ("Staffed", north, [housing, home_care, health]),
        ("Part time", south, [home_care]),
        ("Volunteers", north, [housing]),
        ("Alternate", None, []),
        ("Seatless", south, [health]),
    ):
        record = Organization.objects.get(name=organization)
        record.region = region
        record.save()
        record.sectors.set(sectors)


@pytest.mark.parametrize("summarized", [False, True])
def test_equal_to_the_definition_on_every_edge_case(classified, settings, summarized):
    settings.BURDEN_OVERLOAD_SEATS = 3
    settings.BURDEN_OVERLOAD_INDEX = 1.0
    if summarized:
        refresh_all()

    for period in PERIODS:
        assert_as_defined(period)
    shown = everything(window(AS_OF, 12))
    sectors = {group.code: group for group in shown.sectors}
    # Staffed counts once in health (home care rolls up into it), once in housing.
    assert sectors["test-health"].organizations == 3
    assert sectors["test-housing"].organizations == 2
    assert sectors[""].name == "No sector recorded"
    assert {"test-north", "test-south"} <= {group.code for group in shown.regions}


def test_equal_to_the_definition_on_random_records(settings):
    """As tests/fora/test_burden.py's random records, read through a summary built
    halfway (some months fresh, some stale)."""
    settings.BURDEN_OVERLOAD_INDEX = 2.0
    settings.BURDEN_OVERLOAD_SEATS = 3
    rng = random.Random(42)
    staff = [None, Decimal(0), Decimal("0.3"), Decimal(1), Decimal("2.75")]
    organizations = [
        OrganizationFactory(name=f"Random {n:02d}", staff_fte=rng.choice(staff)) for n in range(25)
    ]
    support = [{}, {"per_diem": Decimal(75)}, {"travel_allowance": Decimal(40)}]
    first_day = datetime.date(2001, 1, 1)
    later = []
    for number in range(4):
        table = forum(f"Random table {number}")
        for place in range(4):
            chair = seat(table, f"Seat {place}", **rng.choice(support))
            day, terms = first_day + datetime.timedelta(rng.randint(0, 100)), []
            while day < datetime.date(2003, 3, 1):
                length = datetime.timedelta(rng.randint(60, 500))
                terms.append(
                    assign_seat(
                        chair, rng.choice(organizations), starts_on=day, ends_on=day + length
                    )
                )
                day += length
            for _held in range(10):
                held_on = first_day + datetime.timedelta(rng.randint(0, 760))
                holder = next((term for term in terms if term.is_active(held_on)), None)
                if holder is not None:
                    meeting = (table, held_on, holder, rng.choice((1, Decimal("2.5"))))
                    later.append(meeting) if rng.random() < 0.3 else attend(
                        *meeting, travel=rng.choice((0, Decimal("1.5"))), attended=True
                    )
    refresh_all()
    for meeting in later:  # written after the summary: their months go stale
        attend(*meeting, travel=2, attended=rng.random() < 0.8)

    for as_of in (datetime.date(2002, 2, 28), datetime.date(2002, 8, 17), AS_OF):
        for months in (3, 12):
            assert_as_defined(window(as_of, months))


def test_every_sort_and_page_in_the_order_of_the_export(classified):
    """Each column, both ways: the rows in `sorted_rows`' order (the export's), an
    undefined figure last either way, ties by name; pages of 3 put together give the
    whole list."""
    period = window(AS_OF, 12)
    python = burden_report.rows(period)

    for sort in SORTS:
        expected = [row.name for row in burden_report.sorted_rows(python, sort)]
        assert [row.name for row in everything(period, sort).rows] == expected, sort
        pages = [
            burden_report.dashboard(period, sort, number, size=3, chart_size=2).rows
            for number in range(1, len(expected) // 3 + 2)
        ]
        assert [row.name for rows in pages for row in rows] == expected, sort
    chart = burden_report.dashboard(period, "organization", 2, size=3, chart_size=4).chart
    assert [row.name for row in chart] == [row.name for row in burden_report.ranked(period)[:4]]


def test_rows_as_the_table_shows_them(classified):
    """Names, regions in the visitor's language (the other when blank) and the staff
    figure as a Decimal, as the Python path reads them."""
    period = window(AS_OF, 12)
    for language in ("en", "fr"):
        with translation.override(language):
            shown = {row.pk: astuple(row) for row in everything(period).rows}
            python = {row.pk: astuple(row) for row in burden_report.rows(period)}
            assert shown == python
    with translation.override("fr"):
        regions = [row.region_name for row in everything(period, "region").rows]
    assert regions[0] == "" and "Nord" in regions and "South" in regions


def test_past_the_last_page_is_empty_and_the_sums_stay(classified):
    period = window(AS_OF, 12)

    shown = burden_report.dashboard(period, "organization", 5, size=3, chart_size=10)

    assert shown.rows == []
    assert shown.total == len(burden_report.rows(period))
    assert shown.regions and shown.sectors and len(shown.chart) == 10


def test_an_unknown_sort_is_refused_before_any_sql():
    with pytest.raises(ValueError):
        burden_report.dashboard(window(AS_OF, 12), "name; DROP TABLE x", 1, 25, 10)


@pytest.mark.parametrize("size", [2, 30])
def test_two_queries_whatever_the_size(size):
    """The summarized months, then one statement (and on PostgreSQL the savepoint and
    `SET LOCAL jit = off` around them)."""
    table = forum("A table")
    for number in range(size):
        organization = OrganizationFactory(staff_fte=Decimal(1))
        term = assign_seat(
            seat(table, f"Seat {number}"), organization, starts_on=datetime.date(2002, 1, 1)
        )
        attend(table, datetime.date(2002, 5, 1), term, 2)

    with CaptureQueriesContext(connection) as queries:
        shown = burden_report.dashboard(window(AS_OF, 12), "-active_seats", 1, 25, 10)

    assert len(queries) == 2 + (3 if connection.vendor == "postgresql" else 0)
    # The forum's convenor is an organization too.
    assert len(shown.rows) == min(size + 1, 25) and shown.total == size + 1
