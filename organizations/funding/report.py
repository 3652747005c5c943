"""The funding explorer's selection and figures: allocations filtered by fiscal year,
region, sector, programme and mode, summed by year, programme, mode, region and sector,
and written out as CSV rows.

The figures are summed in the database in two queries whatever the number of
allocations: one GROUP BY over year, origin, mode, programme and head-office region
(rolled up here into each table, so every table adds up to the same total), and one
over the top-level sectors. Sectors are rolled up to the top level as on the burden
dashboard, and an allocation counts under each sector its organization works in, so
the sector sums can add up to more than the total. A region is the organization's head
office; choosing a province also selects its administrative regions.
"""

import dataclasses
import datetime
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concertation.bilingual import pick
from concertation.sorting import SortColumn, split
from organizations.models import Organization, Region, Sector

from .models import Allocation, FundingMode, MoneyOrigin, Programme, fiscal_year_label
from .visibility import DetailedRecords

YEAR, REGION, SECTOR, PROGRAMME, MODE, PAGE, SORT = (
    "year",
    "region",
    "sector",
    "programme",
    "mode",
    "page",
    "sort",
)
# A fiscal year starts in April: until March, the current one began the year before.
FISCAL_YEAR_STARTS_IN_MONTH = 4

_SECTOR_LINKS = Organization.sectors.through
_MONEY = DecimalField(max_digits=16, decimal_places=2)


def current_fiscal_year(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year if today.month >= FISCAL_YEAR_STARTS_IN_MONTH else today.year - 1


def _in_sector(code: str) -> Exists:
    """The outer allocation's organization works in the sector `code` or one of its
    sub-sectors (an EXISTS, so an organization in two of them is not counted twice)."""
    return Exists(
        _SECTOR_LINKS.objects.filter(organization_id=OuterRef("organization_id")).filter(
            Q(sector__code=code) | Q(sector__parent__code=code)
        )
    )


@dataclass(frozen=True)
class FundingFilters:
    """What the explorer and the export select: the cleaned data of
    `forms.FundingFilterParameters`, which reads the query string."""

    year: int | None = None
    region: str = ""
    sector: str = ""
    programme: str = ""
    mode: str = ""

    @classmethod
    def of(cls, cleaned: Mapping[str, Any]) -> "FundingFilters":
        """The filters among a form's cleaned data (the explorer's also has its page)."""
        return cls(**{name: cleaned[name] for name in (YEAR, REGION, SECTOR, PROGRAMME, MODE)})

    @property
    def has_filters(self) -> bool:
        return any(value for _name, value in self.pairs())

    def pairs(self) -> list[tuple[str, str]]:
        pairs = [
            (YEAR, "" if self.year is None else str(self.year)),
            (REGION, self.region),
            (SECTOR, self.sector),
            (PROGRAMME, self.programme),
            (MODE, self.mode),
        ]
        return [(name, value) for name, value in pairs if value]

    def querystring(self, page: int = 1, sort: str = "") -> str:
        """This selection as a query string ("" for everything on the first page), with
        the list's `sort` unless it is the default."""
        pairs = self.pairs()
        if sort and sort != DEFAULT_ALLOCATION_SORT:
            pairs.append((SORT, sort))
        if page > 1:
            pairs.append((PAGE, str(page)))
        return f"?{urlencode(pairs)}" if pairs else ""

    def narrowed(self, **change: object) -> str:
        """The query string of this selection narrowed to one year, region, sector,
        programme or mode: the link from a row of a table to its allocations."""
        return dataclasses.replace(self, **change).querystring()

    def apply(self, allocations: QuerySet) -> QuerySet:
        if self.year is not None:
            allocations = allocations.filter(fiscal_year=self.year)
        if self.region:
            allocations = allocations.filter(
                Q(organization__region__code=self.region)
                | Q(organization__region__parent__code=self.region)
            )
        if self.sector:
            allocations = allocations.filter(_in_sector(self.sector))
        if self.programme:
            allocations = allocations.filter(programme__slug=self.programme)
        if self.mode:
            allocations = allocations.filter(mode=self.mode)
        return allocations


@dataclass(frozen=True)
class Menus:
    """The choices of the explorer's filters, which also validate them: three queries."""

    regions: list[Region]
    sectors: list[Sector]
    programmes: list[Programme]

    @classmethod
    def load(cls) -> "Menus":
        return cls(
            regions=list(Region.objects.order_by("code")),
            # Each sector followed by its sub-sectors.
            sectors=list(
                Sector.objects.annotate(family=Coalesce("parent__code", "code")).order_by(
                    "family", F("parent").asc(nulls_first=True), "code"
                )
            ),
            programmes=list(Programme.objects.order_by("name", "pk")),
        )

    @property
    def years(self) -> list[int]:
        """The fiscal years the programmes run in, the latest first (a running
        programme runs until the current one)."""
        if not self.programmes:
            return []
        now = current_fiscal_year()
        first = min(programme.first_fiscal_year for programme in self.programmes)
        last = max(
            programme.last_fiscal_year or max(now, programme.first_fiscal_year)
            for programme in self.programmes
        )
        return list(range(last, first - 1, -1))

    def codes(self) -> dict[str, list[str]]:
        """The values the filters may take, for the form that reads them."""
        return {
            "regions": [region.code for region in self.regions],
            "sectors": [sector.code for sector in self.sectors],
            "programmes": [programme.slug for programme in self.programmes],
        }


@dataclass
class Total:
    """The allocations of one year, programme, mode, region or sector, summed."""

    key: str
    label: str
    link: str = ""
    amount: Decimal = Decimal(0)
    new: Decimal = Decimal(0)
    reallocated: Decimal = Decimal(0)
    allocations: int = 0

    def add(self, origin: str, amount: Decimal, allocations: int) -> None:
        self.amount += amount
        self.allocations += allocations
        if origin == MoneyOrigin.NEW:
            self.new += amount
        else:
            self.reallocated += amount


def _largest_first(totals: Iterable[Total]) -> list[Total]:
    return sorted(totals, key=lambda total: (-total.amount, total.label.casefold()))


@dataclass
class Figures:
    """The selection's totals, by year (oldest first) and the rest largest first."""

    total: Total
    by_year: list[Total]
    by_programme: list[Total]
    by_mode: list[Total]
    by_region: list[Total]
    by_sector: list[Total] = field(default_factory=list)


def _cube(allocations: QuerySet) -> QuerySet:
    """The selection summed per year, origin, mode, programme, head-office region and
    whether the organization has a sector at all: one GROUP BY."""
    return (
        allocations.order_by()
        .annotate(
            has_sector=Exists(
                _SECTOR_LINKS.objects.filter(organization_id=OuterRef("organization_id"))
            )
        )
        .values(
            "fiscal_year",
            "origin",
            "mode",
            "programme__slug",
            "programme__name",
            "organization__region__code",
            "organization__region__name_en",
            "organization__region__name_fr",
            "has_sector",
        )
        .annotate(money=Sum("amount"), number=Count("pk"))
    )


def _by_sector(allocations: QuerySet, filters: FundingFilters) -> list[Total]:
    """Each top-level sector with the money of the selected allocations whose
    organization works in it or in one of its sub-sectors: one query, a correlated
    subquery per sector."""
    in_it = _SECTOR_LINKS.objects.filter(organization_id=OuterRef("organization_id")).filter(
        Q(sector_id=OuterRef(OuterRef("pk"))) | Q(sector__parent_id=OuterRef(OuterRef("pk")))
    )
    selected = allocations.order_by().filter(Exists(in_it))

    def summed(allocations: QuerySet) -> Coalesce:
        money = allocations.annotate(money=Func(F("amount"), function="SUM")).values("money")
        return Coalesce(Subquery(money, output_field=_MONEY), Value(Decimal(0)))

    number = selected.annotate(number=Func(F("pk"), function="COUNT")).values("number")
    sectors = (
        Sector.objects.top_level()
        .annotate(
            money=summed(selected),
            new=summed(selected.filter(origin=MoneyOrigin.NEW)),
            number=Subquery(number),
        )
        .filter(number__gt=0)
    )
    totals = []
    for sector in sectors:
        total = Total(sector.code, sector.name, filters.narrowed(sector=sector.code))
        total.amount, total.allocations = sector.money, sector.number
        total.new, total.reallocated = sector.new, sector.money - sector.new
        totals.append(total)
    return _largest_first(totals)


def figures(allocations: QuerySet, filters: FundingFilters) -> Figures:
    """The totals of `allocations` (already filtered and limited to what the visitor's
    figures count): two queries."""
    total = Total("", _("All selected allocations"))
    years: dict[int, Total] = {}
    programmes: dict[str, Total] = {}
    modes: dict[str, Total] = {}
    regions: dict[str, Total] = {}
    unclassified = Total("", _("No sector recorded"))
    for row in _cube(allocations):
        origin, money, number = row["origin"], row["money"], row["number"]
        total.add(origin, money, number)
        year = row["fiscal_year"]
        years.setdefault(
            year, Total(str(year), fiscal_year_label(year), filters.narrowed(year=year))
        ).add(origin, money, number)
        slug = row["programme__slug"]
        programmes.setdefault(
            slug, Total(slug, row["programme__name"], filters.narrowed(programme=slug))
        ).add(origin, money, number)
        mode = row["mode"]
        modes.setdefault(
            mode, Total(mode, str(FundingMode(mode).label), filters.narrowed(mode=mode))
        ).add(origin, money, number)
        code = row["organization__region__code"] or ""
        if code:
            region = Total(
                code,
                pick(row["organization__region__name_en"], row["organization__region__name_fr"]),
                filters.narrowed(region=code),
            )
        else:
            region = Total("", _("No region recorded"))
        regions.setdefault(code, region).add(origin, money, number)
        if not row["has_sector"]:
            unclassified.add(origin, money, number)
    by_sector = _by_sector(allocations, filters)
    if unclassified.allocations:
        by_sector.append(unclassified)
    return Figures(
        total=total,
        by_year=[years[year] for year in sorted(years)],
        by_programme=_largest_first(programmes.values()),
        by_mode=_largest_first(modes.values()),
        by_region=_largest_first(regions.values()),
        by_sector=by_sector,
    )


# The columns the explorer's list of allocations can be sorted by (`sort`), in the
# order the table shows them: who received the money, when, and how much first.
ALLOCATION_SORT_COLUMNS = (
    SortColumn("organization", gettext_lazy("Organization")),
    SortColumn("fiscal_year", gettext_lazy("Fiscal year"), descending_first=True),
    SortColumn("amount", gettext_lazy("Amount (CAD)"), descending_first=True),
    SortColumn("programme", gettext_lazy("Programme")),
    SortColumn("region", gettext_lazy("Head-office region")),
)
# The latest fiscal year first, then by organization.
DEFAULT_ALLOCATION_SORT = "-fiscal_year"
_LISTED_ORDER = ("-fiscal_year", "organization__name", "programme__name", "pk")


def _sort_expression(key: str) -> str:
    if key == "organization":
        return "organization__name"
    if key == "programme":
        return "programme__name"
    if key == "region":
        # A region's name in the visitor's language.
        return pick("organization__region__name_en", "organization__region__name_fr")
    return key


def listed(allocations: QuerySet, sort: str = DEFAULT_ALLOCATION_SORT) -> QuerySet:
    """The allocations as the explorer lists them and the export writes them: by
    default the latest year first, then by organization; else by `sort` (a column of
    `ALLOCATION_SORT_COLUMNS`, `-` first for the other direction), ties in that order."""
    key, descending = split(sort)
    expression = F(_sort_expression(key))
    first = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return allocations.select_related(
        "organization__region",
        "programme",
        "reallocated_from_programme",
        "reallocated_from_sector",
    ).order_by(first, *_LISTED_ORDER)


# --- CSV -------------------------------------------------------------------------------

# The CSV header, in order. The last three are detailed records: blank unless the
# visitor edits the allocation's organization or manages its programme.
CSV_COLUMNS: tuple[str, ...] = (
    "fiscal_year",
    "organization",
    "organization_slug",
    "region",
    "programme",
    "programme_slug",
    "mode",
    "origin",
    "reallocated_from_programme",
    "reallocated_from_sector",
    "amount",
    "status",
    "starts_on",
    "ends_on",
    "notes",
)


def _date(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def csv_cells(allocation: Allocation, details: DetailedRecords) -> list[str]:
    """One allocation's CSV line, in the order of `CSV_COLUMNS`. Names are in the
    visitor's language; mode, origin and status are their codes. The writer
    (`concertation.exports`) makes every cell spreadsheet-safe."""
    region = allocation.organization.region
    source_programme = allocation.reallocated_from_programme
    source_sector = allocation.reallocated_from_sector
    detailed = details.cover(allocation)
    return [
        str(allocation.fiscal_year),
        allocation.organization.name,
        allocation.organization.slug,
        region.name if region else "",
        allocation.programme.name,
        allocation.programme.slug,
        allocation.mode,
        allocation.origin,
        source_programme.name if source_programme else "",
        source_sector.name if source_sector else "",
        f"{allocation.amount:.2f}",
        allocation.status,
        _date(allocation.starts_on) if detailed else "",
        _date(allocation.ends_on) if detailed else "",
        allocation.notes if detailed else "",
    ]


def csv_rows(
    allocations: QuerySet, details: DetailedRecords, chunk_size: int = 500
) -> Iterator[list[str]]:
    """Every allocation's line, read in chunks so the export never holds them all."""
    for allocation in listed(allocations).iterator(chunk_size=chunk_size):
        yield csv_cells(allocation, details)


def csv_filename(filters: FundingFilters) -> str:
    parts = ["funding", *(value for _name, value in filters.pairs())]
    return "-".join(parts) + ".csv"
