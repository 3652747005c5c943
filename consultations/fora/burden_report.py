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

from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from concertation.bilingual import current_language, pick
from concertation.sorting import SortColumn, split
from organizations.models import Organization, Region, Sector

from .burden import (
    FIGURE_COLUMNS,
    Sums,
    Window,
    _summarized,
    _without_jit,
    catalogue_sums,
    figures_sql,
)

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


# --- the dashboard, sorted, paged and summed in the database ---------------------------

# The dashboard's statement returns rows of several kinds in one result: the page's
# organizations, the chart's, and the region and sector sums.
_PAGE, _CHART, _REGION, _SECTOR = "page", "chart", "region", "sector"


@dataclass
class Dashboard:
    """What the dashboard shows: one page of organizations in the order asked for, the
    heaviest burdens for its chart, the catalogue's sums by region and by sector
    (heaviest first), and how many organizations there are and are overloaded."""

    rows: list[BurdenRow]
    chart: list[BurdenRow]
    regions: list[GroupBurden]
    sectors: list[GroupBurden]
    total: int
    overloaded: int


def _name_sql(table: str) -> str:
    """A taxonomy term's name in the active language, the other when blank (`pick`)."""
    first, second = ("name_fr", "name_en") if current_language() == "fr" else ("name_en", "name_fr")
    return f"COALESCE(NULLIF({table}.{first}, ''), {table}.{second}, '')"


def _order_sql(sort: str) -> str:
    """`sorted_rows`' order as SQL over `figures` joined to their region `r`: the
    column, an undefined figure last either way, ties by name."""
    key, descending = split(sort)
    column = {"organization": "LOWER(f.name)", "region": f"LOWER({_name_sql('r')})"}.get(
        key, f"f.{key}"
    )
    direction = " DESC" if descending else ""
    return f"{column} IS NULL, {column}{direction}, LOWER(f.name), f.id"


def dashboard(period: Window, sort: str, number: int, size: int, chart_size: int) -> Dashboard:
    """Page `number` (from 1, `size` rows) of the organizations' burdens sorted by
    `sort`, the first `chart_size` in the default order, and every organization's
    figures summed by region and by top-level sector: two queries whatever the size of
    the catalogue (the summarized months, then one statement; on PostgreSQL in a
    savepoint with JIT off). The database works out, sorts and sums the figures
    (`burden.figures_sql`, equal to the definition) and returns the page's rows and a
    few dozen sums, never the whole catalogue."""
    if sort not in {value for column in SORT_COLUMNS for value in (column.key, f"-{column.key}")}:
        raise ValueError(f"Unknown sort: {sort!r}")  # the form refuses it first, with a 400
    with _without_jit():
        figures, params = figures_sql(period, _summarized(period))
        regions = Region._meta.db_table
        sectors = Sector._meta.db_table
        links = Organization.sectors.through._meta.db_table
        figure_list = ", ".join(f"f.{column}" for column in FIGURE_COLUMNS)
        sums = """COUNT(*), SUM(f.overloaded), SUM(f.active_seats),
            SUM(f.meeting_hours_per_month), SUM(f.travel_hours_per_month),
            SUM(f.unsupported_hours_per_month), SUM(f.burden_index)"""
        statement = f"""
        WITH {figures},
        ranked AS (
            SELECT {figure_list}, r.code AS region_code, {_name_sql("r")} AS region_name,
                ROW_NUMBER() OVER (ORDER BY {_order_sql(sort)}) AS position
            FROM figures f LEFT JOIN {regions} r ON r.id = f.region_id
        ),
        heaviest AS (
            SELECT {figure_list}, r.code AS region_code, {_name_sql("r")} AS region_name,
                ROW_NUMBER() OVER (ORDER BY {_order_sql(DEFAULT_SORT)}) AS position
            FROM figures f LEFT JOIN {regions} r ON r.id = f.region_id
        ),
        top_sectors AS (
            SELECT DISTINCT l.organization_id, COALESCE(s.parent_id, s.id) AS sector_id
            FROM {links} l JOIN {sectors} s ON s.id = l.sector_id
        ),
        by_region AS (
            SELECT f.region_id AS group_id, {sums} FROM figures f GROUP BY f.region_id
        ),
        by_sector AS (
            SELECT t.sector_id AS group_id, {sums}
            FROM figures f LEFT JOIN top_sectors t ON t.organization_id = f.id
            GROUP BY t.sector_id
        )
        SELECT %s, ranked.* FROM ranked WHERE position > %s AND position <= %s
        UNION ALL
        SELECT %s, heaviest.* FROM heaviest WHERE position <= %s
        UNION ALL
        SELECT %s, g.group_id, NULL, NULL, NULL, NULL, g.*, r.code, {_name_sql("r")}, 0
        FROM by_region g LEFT JOIN {regions} r ON r.id = g.group_id
        UNION ALL
        SELECT %s, g.group_id, NULL, NULL, NULL, NULL, g.*, s.code, {_name_sql("s")}, 0
        FROM by_sector g LEFT JOIN {sectors} s ON s.id = g.group_id
        """
        offset = (number - 1) * size
        params += [_PAGE, offset, offset + size, _CHART, chart_size, _REGION, _SECTOR]
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            results = cursor.fetchall()
    return _assemble(results)


def _decimal(value: Decimal | float | int | None) -> Decimal | None:
    """A staff figure as the ORM reads it: a Decimal (SQLite hands back a float)."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _row(values: tuple) -> BurdenRow:
    (pk, name, slug, staff_fte, _region, seats, fora, meeting, travel, unsupported) = values[:10]
    hours_per_fte, index, overloaded, region_code, region_name = values[10:15]
    return BurdenRow(
        pk=pk,
        name=name,
        slug=slug,
        region_code=region_code or "",
        region_name=region_name or "",
        staff_fte=_decimal(staff_fte),
        active_seats=seats,
        distinct_fora=fora,
        meeting_hours_per_month=meeting,
        travel_hours_per_month=travel,
        unsupported_hours_per_month=unsupported,
        hours_per_fte=hours_per_fte,
        burden_index=index,
        overloaded=bool(overloaded),
    )


def _group(values: tuple, unnamed: str) -> GroupBurden:
    # group id, four empty columns, then the sums (after the group id again), code, name.
    count, overloaded, seats, meeting, travel, unsupported, index_total = values[6:13]
    code, name = values[13:15]
    return GroupBurden(
        code=code or "",
        name=name or str(unnamed),
        organizations=count,
        overloaded=int(overloaded),
        active_seats=int(seats),
        meeting_hours_per_month=meeting,
        travel_hours_per_month=travel,
        unsupported_hours_per_month=unsupported,
        _index_total=index_total,
    )


def _assemble(results: list[tuple]) -> Dashboard:
    page, chart, regions, sectors = [], [], [], []
    for kind, *values in results:
        if kind == _PAGE:
            page.append((values[-1], _row(values)))
        elif kind == _CHART:
            chart.append((values[-1], _row(values)))
        elif kind == _REGION:
            regions.append(_group(values, _("No region recorded")))
        else:
            sectors.append(_group(values, _("No sector recorded")))
    return Dashboard(
        rows=[row for _position, row in sorted(page, key=lambda pair: pair[0])],
        chart=[row for _position, row in sorted(chart, key=lambda pair: pair[0])],
        regions=_heaviest_first(regions),
        sectors=_heaviest_first(sectors),
        total=sum(group.organizations for group in regions),
        overloaded=sum(group.overloaded for group in regions),
    )


def csv_filename(as_of: datetime.date) -> str:
    return f"representation-burden-{as_of.isoformat()}.csv"
