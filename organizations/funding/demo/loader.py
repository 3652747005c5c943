"""Load the demo's funding, fiscal years 2000–2005, from the data files beside this
module; docs/funding.md tells the story they hold.

- `programmes.json`: programmes, their funder (a government body's key in the
  catalogue's demo, `organizations/demo/keys.csv`) and their budget per fiscal year;
- `allocations.csv`: allocations of new and reallocated money, organizations named by
  their keys;
- `service_loads.csv`: people served, service hours and waiting lists, per year.

Allocations go through `organizations.funding.services.write_allocation`, which keeps
the budget rule under the budget row's lock as the admin does; they are first checked
all together (`check_allocations`), so data that breaks a rule is refused, naming the
first offence, before anything is written.
"""

import csv
import datetime
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from organizations.demo import by_key
from organizations.models import Organization, OrganizationKind, Sector

from ..models import (
    COMMITTED_STATUSES,
    AllocationStatus,
    MoneyOrigin,
    Programme,
    ProgrammeBudget,
    ServiceLoad,
)
from ..services import write_allocation

DATA = Path(__file__).resolve().parent

# The programme whose money is cut every year and reallocated to community action.
HEALTH = "psoc-sante-services-sociaux"


@dataclass(frozen=True)
class ProgrammeSpec:
    slug: str
    name: str
    funder: str
    mode: str
    description: str
    budgets: dict[int, int]  # fiscal year → budget
    last_year: int | None = None


@dataclass(frozen=True)
class AllocationSpec:
    programme: str
    organization: str
    year: int
    amount: int
    origin: str = MoneyOrigin.NEW
    from_programme: str | None = None
    from_sector: str | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    status: str = AllocationStatus.PUBLISHED
    notes: str = ""


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def programmes() -> list[ProgrammeSpec]:
    """The demo programmes of `programmes.json`, in order."""
    return [
        ProgrammeSpec(
            slug=spec["slug"],
            name=spec["name"],
            funder=spec["funder"],
            mode=spec["mode"],
            description=spec["description"],
            budgets={int(year): amount for year, amount in spec["budgets"].items()},
            last_year=spec["last_fiscal_year"],
        )
        for spec in json.loads((DATA / "programmes.json").read_text(encoding="utf-8"))
    ]


def allocations() -> list[AllocationSpec]:
    """The demo allocations of `allocations.csv`, in order."""
    return [
        AllocationSpec(
            programme=row["programme"],
            organization=row["organization"],
            year=int(row["fiscal_year"]),
            amount=int(row["amount"]),
            origin=row["origin"],
            from_programme=row["from_programme"] or None,
            from_sector=row["from_sector"] or None,
            starts_on=_date(row["starts_on"]),
            ends_on=_date(row["ends_on"]),
            status=row["status"],
            notes=row["notes"],
        )
        for row in _rows("allocations.csv")
    ]


def check_allocations(specs: list[AllocationSpec]) -> None:
    """Refuse demo data that `write_allocation` would refuse, naming the first offence,
    before anything is written. Drafts count against no budget."""
    by_slug = {programme.slug: programme for programme in programmes()}
    committed: dict[tuple[str, int], int] = defaultdict(int)
    for spec in specs:
        programme = by_slug[spec.programme]
        if spec.year not in programme.budgets:
            raise ValueError(f"Demo funding: {spec.programme} has no budget for {spec.year}.")
        if programme.last_year is not None and spec.year > programme.last_year:
            raise ValueError(f"Demo funding: {spec.programme} does not run in {spec.year}.")
        if spec.amount <= 0:
            raise ValueError(f"Demo funding: {spec} is not a positive amount.")
        if (spec.origin == MoneyOrigin.REALLOCATED) != bool(
            spec.from_programme or spec.from_sector
        ):
            raise ValueError(f"Demo funding: {spec} says wrongly where its money comes from.")
        if spec.status in COMMITTED_STATUSES:
            committed[spec.programme, spec.year] += spec.amount
    for (slug, year), total in committed.items():
        if total > by_slug[slug].budgets[year]:
            raise ValueError(
                f"Demo funding: {slug} commits {total} $ in {year}, "
                f"over its budget of {by_slug[slug].budgets[year]} $."
            )


def _create_programmes(
    specs: list[ProgrammeSpec], organizations: dict[str, Organization]
) -> dict[str, Programme]:
    created = {}
    for spec in specs:
        funder = organizations[spec.funder]
        if funder.kind != OrganizationKind.GOVERNMENT:
            raise ValueError(f"Demo funding: {spec.funder} is not a government body.")
        created[spec.slug] = Programme.objects.create(
            name=spec.name,
            slug=spec.slug,
            funder=funder,
            mode=spec.mode,
            first_fiscal_year=min(spec.budgets),
            last_fiscal_year=spec.last_year,
            description=spec.description,
        )
    ProgrammeBudget.objects.bulk_create(
        ProgrammeBudget(programme=created[spec.slug], fiscal_year=year, amount=Decimal(amount))
        for spec in specs
        for year, amount in spec.budgets.items()
    )
    return created


def _service_loads(organizations: dict[str, Organization]) -> list[ServiceLoad]:
    return [
        ServiceLoad(
            organization=organizations[row["organization"]],
            fiscal_year=int(row["fiscal_year"]),
            people_served=int(row["people_served"]),
            service_hours=int(row["service_hours"]),
            waiting_list=int(row["waiting_list"]) if row["waiting_list"] else None,
        )
        for row in _rows("service_loads.csv")
    ]


def load_funding(organizations: dict[str, Organization]) -> None:
    """Create the demo programmes, budgets, allocations and service loads.

    `organizations` are the demo organizations by name, as `organizations.demo`
    creates them. Does nothing when the demo programmes are already there."""
    programme_specs = programmes()
    if Programme.objects.filter(slug__in=[spec.slug for spec in programme_specs]).exists():
        return
    specs = allocations()
    check_allocations(specs)
    keyed = by_key(organizations.values())
    with transaction.atomic():
        created = _create_programmes(programme_specs, keyed)
        sectors = {sector.code: sector for sector in Sector.objects.all()}
        for spec in specs:
            write_allocation(
                organization=keyed[spec.organization],
                programme=created[spec.programme],
                fiscal_year=spec.year,
                amount=Decimal(spec.amount),
                origin=spec.origin,
                reallocated_from_programme=(
                    created[spec.from_programme] if spec.from_programme else None
                ),
                reallocated_from_sector=sectors[spec.from_sector] if spec.from_sector else None,
                starts_on=spec.starts_on,
                ends_on=spec.ends_on,
                status=spec.status,
                notes=spec.notes,
            )
        ServiceLoad.objects.bulk_create(_service_loads(keyed))
