"""An organization's funding history beside its service load: year by year, the
allocations the visitor may see, their total, the people served, the service hours and
the waiting list, and the funding per person served.

The sector's complaint is that service loads grew while the money did not; funding per
person served, followed over the years, is how that shows. It is the year's counted
money (approved or published among what the visitor sees, never a draft) divided by the
people the organization reports serving that year; undefined ("—") when it reported no
service load, or served nobody.

Three queries for the public (the allocations, the service loads, and the organization
read by the view), two more for someone logged in (what they may read in detail).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from organizations.models import Organization

from .models import COMMITTED_STATUSES, Allocation, MoneyOrigin, ServiceLoad, fiscal_year_label
from .visibility import DetailedRecords, User, visible_allocations

CENT = Decimal("0.01")


def per_unit(amount: Decimal, units: int | None) -> Decimal | None:
    """`amount` per unit of service to the cent, None when there is no unit to divide by."""
    if not units:
        return None
    return (amount / units).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class FundingYear:
    """One fiscal year of an organization: its counted allocations and service load."""

    year: int
    allocations: list[Allocation] = field(default_factory=list)
    load: ServiceLoad | None = None

    @property
    def label(self) -> str:
        return fiscal_year_label(self.year)

    @property
    def total(self) -> Decimal:
        return sum((allocation.amount for allocation in self.allocations), Decimal(0))

    @property
    def new(self) -> Decimal:
        return sum((a.amount for a in self.allocations if a.origin == MoneyOrigin.NEW), Decimal(0))

    @property
    def reallocated(self) -> Decimal:
        return self.total - self.new

    @property
    def per_person(self) -> Decimal | None:
        return per_unit(self.total, self.load.people_served if self.load else None)

    @property
    def per_service_hour(self) -> Decimal | None:
        return per_unit(self.total, self.load.service_hours if self.load else None)


@dataclass(frozen=True)
class FundingHistory:
    """Every year with counted money or a service load, oldest first, and the drafts
    the visitor may see, which no figure counts."""

    years: list[FundingYear]
    drafts: list[Allocation]
    detailed: bool

    @classmethod
    def of(cls, organization: Organization, user: User) -> "FundingHistory":
        details = DetailedRecords.for_user(user)
        allocations = list(
            visible_allocations(user)
            .filter(organization=organization)
            .select_related("programme", "reallocated_from_programme", "reallocated_from_sector")
            .order_by("fiscal_year", "programme__name", "pk")
        )
        years: dict[int, FundingYear] = {}
        drafts = []
        for allocation in allocations:
            # What the templates show: notes and dates only to those who may read them.
            allocation.detailed = details.cover(allocation)
            if allocation.status in COMMITTED_STATUSES:
                years.setdefault(allocation.fiscal_year, FundingYear(allocation.fiscal_year))
                years[allocation.fiscal_year].allocations.append(allocation)
            else:
                drafts.append(allocation)
        for load in ServiceLoad.objects.filter(organization=organization):
            years.setdefault(load.fiscal_year, FundingYear(load.fiscal_year)).load = load
        return cls(
            years=[years[year] for year in sorted(years)],
            drafts=drafts,
            detailed=details.edits(organization.pk)
            or any(allocation.detailed for allocation in allocations),
        )

    @property
    def latest_first(self) -> list[FundingYear]:
        return [year for year in reversed(self.years) if year.allocations]

    @property
    def total(self) -> Decimal:
        return sum((year.total for year in self.years), Decimal(0))

    @property
    def has_service_load(self) -> bool:
        return any(year.load for year in self.years)
