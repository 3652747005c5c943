"""The burden of every organization as rows, and the same rows summed by sector and by
region: what the dashboard shows and the CSV export writes.

The rows are read in four queries whatever the size of the catalogue: the
organizations (plain values, no model instances), and the three of `catalogue_sums`
(the seats held, the months the monthly summary holds fresh, the hours), combined in
Python by `Sums.of` (docs/burden.md). They are ordered in
Python too, by `sorted_rows`, so that the dashboard, its chart and the export list the
organizations in one and the same order. The aggregates are computed from those same
rows, so a sector's or a region's figures are exactly the sums of the organizations'
figures on the page, and the sectors of every organization are read in one more query,
never one per organization.

Sectors are rolled up to the top level (an organization classified under "home care"
counts under "health and social services"), each organization once per sector it works
in: an organization in two sectors counts in both, so the sector sums can add up to more
than the catalogue's. Regions are the head office's, as recorded.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from concertation.bilingual import pick
from concertation.sorting import SortColumn, split
from organizations.models import Organization

from .burden import Sums, Window, catalogue_sums

# Key (the CSV header and the `sort` value) and label (the table header) of each
# column, in the CSV's order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("organization", _("Organization")),
    ("region", _("Head-office region")),
    ("staff_fte", _("Staff (full-time equivalents)")),
    ("active_seats", _("Active seats")),
    ("distinct_fora", _("Fora")),
    ("meeting_hours_per_month", _("Meeting hours per month")),
    ("travel_hours_per_month", _("Travel hours per month")),
    ("unsupported_hours_per_month", _("Unsupported hours per month")),
    ("hours_per_fte", _("Hours per month per staff FTE")),
    ("burden_index", _("Burden index")),
    ("overloaded", _("Overloaded")),
)
# The dashboard's table puts first what the page is for: the organization, its index
# and whether it is overloaded; then the figures they are worked out from.
_KEY_COLUMNS = ("organization", "burden_index", "overloaded")
TABLE_COLUMNS = tuple(
    sorted(
        COLUMNS,
        key=lambda column: (
            _KEY_COLUMNS.index(column[0]) if column[0] in _KEY_COLUMNS else len(_KEY_COLUMNS)
        ),
    )
)
# Every column of the table sorts it: names alphabetically on a first click, figures
# largest first.
SORT_COLUMNS = tuple(
    SortColumn(key, label, descending_first=key not in ("organization", "region"))
    for key, label in TABLE_COLUMNS
)
# The dashboard's order when none is asked for: the heaviest burden first.
DEFAULT_SORT = "-burden_index"

_FIELDS = (
    "pk",
    "name",
    "slug",
    "staff_fte",
    "region__code",
    "region__name_en",
    "region__name_fr",
)


def _figure(value: float | Decimal | None) -> str:
    """A figure as the CSV writes it: two decimals, a dot, nothing when undefined."""
    return "" if value is None else f"{value:.2f}"


@dataclass(slots=True)  # not frozen: thousands are built per request, and faster so
class BurdenRow:
    """One organization's burden, as the table and the CSV show it."""

    name: str
    slug: str
    region_code: str
    region_name: str
    staff_fte: Decimal | None
    active_seats: int
    distinct_fora: int
    meeting_hours_per_month: float
    travel_hours_per_month: float
    unsupported_hours_per_month: float
    hours_per_fte: float | None
    burden_index: float
    overloaded: bool
    pk: int

    @classmethod
    def of(
        cls,
        pk: int,
        name: str,
        slug: str,
        staff_fte: Decimal | None,
        region_code: str | None,
        region_name: str,
        sums: Sums,
    ) -> "BurdenRow":
        """The row of an organization read as `_FIELDS`, with its figures."""
        burden = sums.of(pk, staff_fte)
        return cls(
            pk=pk,
            name=name,
            slug=slug,
            region_code=region_code or "",
            region_name=region_name,
            staff_fte=staff_fte,
            active_seats=burden.active_seats,
            distinct_fora=burden.distinct_fora,
            meeting_hours_per_month=burden.meeting_hours_per_month,
            travel_hours_per_month=burden.travel_hours_per_month,
            unsupported_hours_per_month=burden.unsupported_hours_per_month,
            hours_per_fte=burden.hours_per_fte,
            burden_index=burden.burden_index,
            overloaded=burden.overloaded,
        )

    @property
    def hours_per_month(self) -> float:
        return self.meeting_hours_per_month + self.travel_hours_per_month

    @property
    def seats_url(self) -> str:
        return reverse("organization_seats", args=[self.slug])

    def cells(self) -> list[str]:
        """The CSV line, in the order of `COLUMNS` (made spreadsheet-safe by the writer,
        `concertation.exports`)."""
        return [
            self.name,
            self.region_name,
            _figure(self.staff_fte),
            str(self.active_seats),
            str(self.distinct_fora),
            _figure(self.meeting_hours_per_month),
            _figure(self.travel_hours_per_month),
            _figure(self.unsupported_hours_per_month),
            _figure(self.hours_per_fte),
            _figure(self.burden_index),
            "true" if self.overloaded else "false",
        ]

    def sort_value(self, key: str) -> object:
        """The value this row is sorted by under the column `key`."""
        if key == "organization":
            return self.name.casefold()
        if key == "region":
            return self.region_name.casefold()
        return getattr(self, key)


def rows(period: Window) -> list[BurdenRow]:
    """Every organization with its burden, in no particular order, four queries."""
    organizations = Organization.objects.order_by().values_list(*_FIELDS)
    sums = catalogue_sums(period)
    region_names: dict[tuple[str | None, str | None], str] = {}  # a few regions, many rows
    burden_rows = []
    for pk, name, slug, staff_fte, region_code, name_en, name_fr in organizations:
        if (name_en, name_fr) not in region_names:
            region_names[name_en, name_fr] = pick(name_en or "", name_fr or "")
        burden_rows.append(
            BurdenRow.of(
                pk, name, slug, staff_fte, region_code, region_names[name_en, name_fr], sums
            )
        )
    return burden_rows


def sorted_rows(burden_rows: list[BurdenRow], sort: str) -> list[BurdenRow]:
    """The rows ordered by `sort` (a column key, `-` first for the other direction),
    ties by name; an undefined figure (no staff recorded) is last either way."""
    key, descending = split(sort)
    by_name = sorted(burden_rows, key=lambda row: row.name.casefold())
    known = [row for row in by_name if row.sort_value(key) is not None]
    unknown = [row for row in by_name if row.sort_value(key) is None]
    return sorted(known, key=lambda row: row.sort_value(key), reverse=descending) + unknown


def ranked(period: Window) -> list[BurdenRow]:
    """Every organization with its burden, heaviest first (ties by name): the
    dashboard's default order, its chart's and the export's."""
    return sorted_rows(rows(period), DEFAULT_SORT)


@dataclass
class GroupBurden:
    """The organizations of one sector or region, their figures summed; the index is
    their mean."""

    code: str
    name: str
    organizations: int = 0
    overloaded: int = 0
    active_seats: int = 0
    meeting_hours_per_month: float = 0.0
    travel_hours_per_month: float = 0.0
    unsupported_hours_per_month: float = 0.0
    _index_total: float = 0.0

    def add(self, row: BurdenRow) -> None:
        self.organizations += 1
        self.overloaded += row.overloaded
        self.active_seats += row.active_seats
        self.meeting_hours_per_month += row.meeting_hours_per_month
        self.travel_hours_per_month += row.travel_hours_per_month
        self.unsupported_hours_per_month += row.unsupported_hours_per_month
        self._index_total += row.burden_index

    @property
    def hours_per_month(self) -> float:
        return self.meeting_hours_per_month + self.travel_hours_per_month

    @property
    def mean_burden_index(self) -> float:
        return self._index_total / self.organizations if self.organizations else 0.0


def _heaviest_first(groups: Iterable[GroupBurden]) -> list[GroupBurden]:
    return sorted(groups, key=lambda group: (-group.hours_per_month, group.name.casefold()))


def by_region(burden_rows: Iterable[BurdenRow]) -> list[GroupBurden]:
    groups: dict[str, GroupBurden] = {}
    for row in burden_rows:
        name = row.region_name or str(_("No region recorded"))
        groups.setdefault(row.region_code, GroupBurden(row.region_code, name)).add(row)
    return _heaviest_first(groups.values())


def top_level_sectors() -> dict[int, list[tuple[str, str]]]:
    """Every organization's top-level sectors as (code, name) by organization id, in
    one query over the many-to-many table."""
    links = Organization.sectors.through.objects.values_list(
        "organization_id",
        "sector__code",
        "sector__name_en",
        "sector__name_fr",
        "sector__parent__code",
        "sector__parent__name_en",
        "sector__parent__name_fr",
    )
    sectors: dict[int, dict[str, str]] = {}
    names: dict[str, str] = {}  # a few dozen sectors, many links
    for pk, code, name_en, name_fr, parent_code, parent_en, parent_fr in links:
        if parent_code:
            code, name_en, name_fr = parent_code, parent_en, parent_fr
        if code not in names:
            names[code] = pick(name_en, name_fr)
        sectors.setdefault(pk, {})[code] = names[code]
    return {pk: sorted(by_code.items()) for pk, by_code in sectors.items()}


def by_sector(
    burden_rows: Iterable[BurdenRow], sectors: dict[int, list[tuple[str, str]]]
) -> list[GroupBurden]:
    groups: dict[str, GroupBurden] = {}
    unclassified = ("", str(_("No sector recorded")))
    for row in burden_rows:
        for code, name in sectors.get(row.pk, [unclassified]):
            groups.setdefault(code, GroupBurden(code, name)).add(row)
    return _heaviest_first(groups.values())


def csv_filename(as_of: datetime.date) -> str:
    return f"representation-burden-{as_of.isoformat()}.csv"
