"""Load the demo's funding: programmes with their budgets for fiscal years 2000–2005,
allocations of new and reallocated money, and organizations' service loads. The story
and the figures are in `organizations.funding.demo.demo_funding_data`.

Allocations are many, so they are written with `bulk_create` rather than one by one
through `organizations.funding.services.record_allocation` (which needs finance staff and locks
a budget row per allocation). What that function enforces is checked here first,
before anything is written: every allocation falls in a year its programme runs and has
a budget for, reallocated money says where it comes from, and the approved and
published allocations of a programme-year never exceed its budget.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from organizations.demo_data import ORGANIZATIONS
from organizations.funding.models import (
    COMMITTED_STATUSES,
    Allocation,
    MoneyOrigin,
    Programme,
    ProgrammeBudget,
    ServiceLoad,
)
from organizations.models import Organization, OrganizationKind, Sector

from .demo_funding_data import PROGRAMMES, AllocationSpec, allocations, service_loads


def check_allocations(specs: list[AllocationSpec]) -> None:
    """Refuse demo data that `record_allocation` would refuse, naming the first
    offence. Drafts count against no budget."""
    programmes = {programme.slug: programme for programme in PROGRAMMES}
    committed: dict[tuple[str, int], int] = defaultdict(int)
    for spec in specs:
        programme = programmes[spec.programme]
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
        if total > programmes[slug].budgets[year]:
            raise ValueError(
                f"Demo funding: {slug} commits {total} $ in {year}, "
                f"over its budget of {programmes[slug].budgets[year]} $."
            )


def _by_key(organizations: dict[str, Organization]) -> dict[str, Organization]:
    """The demo organizations by their demo_data keys."""
    return {
        spec.key: organizations[spec.name] for spec in ORGANIZATIONS if spec.name in organizations
    }


def _create_programmes(organizations: dict[str, Organization]) -> dict[str, Programme]:
    programmes = {}
    for spec in PROGRAMMES:
        funder = organizations[spec.funder]
        if funder.kind != OrganizationKind.GOVERNMENT:
            raise ValueError(f"Demo funding: {spec.funder} is not a government body.")
        programmes[spec.slug] = Programme.objects.create(
            name=spec.name,
            slug=spec.slug,
            funder=funder,
            mode=spec.mode,
            first_fiscal_year=min(spec.budgets),
            last_fiscal_year=spec.last_year,
            description=spec.description,
        )
    ProgrammeBudget.objects.bulk_create(
        ProgrammeBudget(programme=programmes[spec.slug], fiscal_year=year, amount=Decimal(amount))
        for spec in PROGRAMMES
        for year, amount in spec.budgets.items()
    )
    return programmes


def load_funding(organizations: dict[str, Organization]) -> None:
    """Create the demo programmes, budgets, allocations and service loads.

    `organizations` are the demo organizations by name, as `organizations.demo`
    creates them. Does nothing when the demo programmes are already there."""
    if Programme.objects.filter(slug__in=[spec.slug for spec in PROGRAMMES]).exists():
        return
    specs = allocations()
    check_allocations(specs)
    by_key = _by_key(organizations)
    with transaction.atomic():
        programmes = _create_programmes(by_key)
        sectors = {sector.code: sector for sector in Sector.objects.all()}
        Allocation.objects.bulk_create(
            Allocation(
                organization=by_key[spec.organization],
                programme=programmes[spec.programme],
                fiscal_year=spec.year,
                amount=Decimal(spec.amount),
                mode=programmes[spec.programme].mode,
                origin=spec.origin,
                reallocated_from_programme=(
                    programmes[spec.from_programme] if spec.from_programme else None
                ),
                reallocated_from_sector=sectors[spec.from_sector] if spec.from_sector else None,
                starts_on=spec.starts_on,
                ends_on=spec.ends_on,
                status=spec.status,
                notes=spec.notes,
            )
            for spec in specs
        )
        ServiceLoad.objects.bulk_create(
            ServiceLoad(
                organization=by_key[key],
                fiscal_year=year,
                people_served=people,
                service_hours=hours,
                waiting_list=waiting,
            )
            for key, year, people, hours, waiting in service_loads()
        )
