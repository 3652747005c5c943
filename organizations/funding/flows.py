"""The sector's question on one page: year by year, how much of the money is new and how
much was only moved from elsewhere, and which sub-sectors lost what others gained.

Money moved says where it comes from: a sub-sector (`reallocated_from_sector`) or, when
none is recorded, a programme. It goes to the sub-sectors the receiving organization
works in, as recorded; an organization in several shares the amount evenly between them
(to the cent, the odd cents to the first by code), so the flows of a year add up exactly
to the money reallocated that year. A programme is not a sub-sector: money moved from a
programme counts as gained by the receiving sub-sectors, lost by none.

Three queries whatever the number of allocations: the money by year and origin, the
reallocated money by year, source and organization, and those organizations' sectors.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from concertation.bilingual import pick
from organizations.models import Organization

from .models import MoneyOrigin, fiscal_year_label

CENT = Decimal("0.01")
SECTOR, PROGRAMME = "sector", "programme"


@dataclass(frozen=True)
class YearMoney:
    """One fiscal year's money, new and reallocated."""

    year: int
    new: Decimal
    reallocated: Decimal

    @property
    def label(self) -> str:
        return fiscal_year_label(self.year)

    @property
    def total(self) -> Decimal:
        return self.new + self.reallocated

    @property
    def reallocated_share(self) -> Decimal | None:
        """The reallocated part of the year's money, in per cent."""
        if not self.total:
            return None
        return (self.reallocated * 100 / self.total).quantize(Decimal("0.1"))


def money_by_year(allocations: QuerySet) -> list[YearMoney]:
    """New and reallocated money per fiscal year, oldest first: one query."""
    money: dict[int, dict[str, Decimal]] = defaultdict(dict)
    rows = (
        allocations.order_by()
        .values("fiscal_year", "origin")
        .annotate(money=Sum("amount"))
        .values_list("fiscal_year", "origin", "money")
    )
    for year, origin, amount in rows:
        money[year][origin] = amount
    zero = Decimal(0)
    return [
        YearMoney(
            year,
            money[year].get(MoneyOrigin.NEW, zero),
            money[year].get(MoneyOrigin.REALLOCATED, zero),
        )
        for year in sorted(money)
    ]


@dataclass(frozen=True)
class Place:
    """Where money comes from or goes to: a sub-sector (or sector) by its code, or a
    programme by its slug."""

    kind: str
    code: str
    name: str

    @property
    def is_sector(self) -> bool:
        return self.kind == SECTOR


@dataclass(frozen=True)
class Flow:
    year: int
    source: Place
    destination: Place
    amount: Decimal

    @property
    def label(self) -> str:
        return fiscal_year_label(self.year)


def _source(row: dict) -> Place:
    if row["reallocated_from_sector__code"]:
        return Place(
            SECTOR,
            row["reallocated_from_sector__code"],
            pick(row["reallocated_from_sector__name_en"], row["reallocated_from_sector__name_fr"]),
        )
    return Place(
        PROGRAMME,
        row["reallocated_from_programme__slug"],
        _("Programme: %(name)s") % {"name": row["reallocated_from_programme__name"]},
    )


def split(amount: Decimal, parts: int) -> list[Decimal]:
    """`amount` in `parts` shares to the cent, adding up exactly: the odd cents go to the
    first share."""
    share = (amount / parts).quantize(CENT, rounding=ROUND_DOWN)
    return [amount - share * (parts - 1), *([share] * (parts - 1))]


def flows(allocations: QuerySet) -> list[Flow]:
    """The reallocated money per year, from where to which sub-sector: by year, then the
    largest flows first. Two queries."""
    reallocated = allocations.order_by().filter(origin=MoneyOrigin.REALLOCATED)
    rows = list(
        reallocated.values(
            "fiscal_year",
            "organization_id",
            "reallocated_from_sector__code",
            "reallocated_from_sector__name_en",
            "reallocated_from_sector__name_fr",
            "reallocated_from_programme__slug",
            "reallocated_from_programme__name",
        ).annotate(money=Sum("amount"))
    )
    sectors: dict[int, list[Place]] = defaultdict(list)
    links = (
        Organization.sectors.through.objects.filter(
            organization_id__in=reallocated.values("organization_id")
        )
        .order_by("organization_id", "sector__code")
        .values_list("organization_id", "sector__code", "sector__name_en", "sector__name_fr")
    )
    for organization_id, code, name_en, name_fr in links:
        sectors[organization_id].append(Place(SECTOR, code, pick(name_en, name_fr)))
    unclassified = [Place(SECTOR, "", _("No sector recorded"))]
    summed: dict[tuple[int, Place, Place], Decimal] = defaultdict(Decimal)
    for row in rows:
        destinations = sectors.get(row["organization_id"]) or unclassified
        source = _source(row)
        for destination, amount in zip(
            destinations, split(row["money"], len(destinations)), strict=True
        ):
            summed[(row["fiscal_year"], source, destination)] += amount
    found = [
        Flow(year, source, destination, amount)
        for (year, source, destination), amount in summed.items()
    ]
    return sorted(
        found,
        key=lambda flow: (
            flow.year,
            -flow.amount,
            flow.source.name.casefold(),
            flow.destination.name.casefold(),
        ),
    )


@dataclass
class Balance:
    """What a sub-sector lost to others and gained from elsewhere, over the years shown."""

    code: str
    name: str
    lost: Decimal = Decimal(0)
    gained: Decimal = Decimal(0)

    @property
    def net(self) -> Decimal:
        return self.gained - self.lost


def balances(moved: Iterable[Flow]) -> list[Balance]:
    """Each sub-sector's money lost and gained, the largest net gain first and the
    largest net loss last."""
    found: dict[str, Balance] = {}
    for flow in moved:
        if flow.source.is_sector:
            found.setdefault(flow.source.code, Balance(flow.source.code, flow.source.name))
            found[flow.source.code].lost += flow.amount
        destination = flow.destination
        found.setdefault(destination.code, Balance(destination.code, destination.name))
        found[destination.code].gained += flow.amount
    return sorted(found.values(), key=lambda balance: (-balance.net, balance.name.casefold()))
