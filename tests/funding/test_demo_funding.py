"""The demo's funding tells the sector's story of 2000–2005: no new money, but money
moved from the health and social services sub-sector to community action, while
service loads grow faster than funding; and it keeps the budget rule."""

import dataclasses
from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum

from organizations.demo import load_organizations
from organizations.funding.demo import HEALTH, allocations, check_allocations, load_funding
from organizations.funding.giving360 import default_publisher, grants_package
from organizations.funding.models import (
    Allocation,
    AllocationStatus,
    MoneyOrigin,
    Programme,
    ProgrammeBudget,
    ServiceLoad,
)
from organizations.models import Organization
from tests.funding.giving360_schema import PACKAGE, errors

pytestmark = pytest.mark.django_db

YEARS = range(2000, 2006)


@pytest.fixture
def demo() -> list[Organization]:
    organizations = load_organizations()
    load_funding({organization.name: organization for organization in organizations})
    return organizations


def committed():
    return Allocation.objects.committed()


def by_year(allocations) -> dict[int, Decimal]:
    totals = allocations.values("fiscal_year").annotate(total=Sum("amount"))
    return {row["fiscal_year"]: row["total"] for row in totals}


def in_sector(code: str):
    """Committed allocations to organizations in the sector or one of its sub-sectors."""
    organizations = Organization.objects.filter(
        Q(sectors__code=code) | Q(sectors__parent__code=code)
    )
    return committed().filter(organization__in=organizations.values("pk"))


def test_covers_fiscal_years_2000_to_2005_with_a_budget_each_year(demo):
    assert set(Allocation.objects.values_list("fiscal_year", flat=True)) == set(YEARS)
    programmes = Programme.objects.all()
    assert programmes.count() == 4
    assert {p.funder.kind for p in programmes} == {"government"}
    assert {p.mode for p in programmes} == {"global_mission", "service_agreement", "project"}
    for programme in programmes:
        assert set(programme.budgets.values_list("fiscal_year", flat=True)) == set(YEARS)


def test_new_and_reallocated_money_every_year_after_2000(demo):
    for year in YEARS[1:]:
        money = committed().filter(fiscal_year=year)
        assert money.filter(origin=MoneyOrigin.NEW).exists(), year
        assert money.filter(origin=MoneyOrigin.REALLOCATED).exists(), year
    assert not committed().filter(fiscal_year=2000, origin=MoneyOrigin.REALLOCATED).exists()
    reallocated = Allocation.objects.filter(origin=MoneyOrigin.REALLOCATED)
    assert reallocated.filter(reallocated_from_programme__slug=HEALTH).exists()
    assert reallocated.filter(
        reallocated_from_programme__isnull=True, reallocated_from_sector__code="health-social"
    ).exists()
    assert not reallocated.exclude(
        Q(reallocated_from_programme__slug=HEALTH)
        | Q(reallocated_from_sector__code="health-social")
    ).exists()


def test_health_funding_falls_while_community_funding_rises_with_no_new_money(demo):
    health = by_year(in_sector("health-social"))
    community = by_year(in_sector("community-action"))

    assert [health[year] for year in YEARS] == sorted(health.values(), reverse=True)
    assert len(set(health.values())) == len(YEARS)
    assert [community[year] for year in YEARS] == sorted(community.values())
    assert len(set(community.values())) == len(YEARS)
    assert health[2005] < Decimal("0.8") * health[2000]
    assert community[2005] > Decimal("1.2") * community[2000]
    # The money moved: all programmes together barely change, year after year.
    total = by_year(committed())
    for year in YEARS:
        assert abs(total[year] - total[2000]) < Decimal("0.02") * total[2000], year


def test_service_loads_grow_faster_than_funding(demo):
    funding = {
        (row["organization"], row["fiscal_year"]): row["total"]
        for row in committed().values("organization", "fiscal_year").annotate(total=Sum("amount"))
    }
    squeezed = []
    for organization in Organization.objects.filter(service_loads__isnull=False).distinct():
        loads = {load.fiscal_year: load for load in organization.service_loads.all()}
        assert set(loads) == set(YEARS)
        first, last = loads[2000], loads[2005]
        assert last.people_served > first.people_served
        assert last.service_hours > first.service_hours
        per_person = [funding[organization.pk, year] / loads[year].people_served for year in YEARS]
        if per_person == sorted(per_person, reverse=True) and per_person[-1] < per_person[0]:
            squeezed.append(organization)
    assert len(squeezed) >= 3
    # On both sides of the move: where money was cut and where it was reinvested.
    sectors = {code for o in squeezed for code in o.sectors.values_list("code", flat=True)}
    assert {"community-action", "mental-health"} <= sectors
    assert ServiceLoad.objects.filter(fiscal_year=2005, waiting_list__gt=0).count() >= 5


def test_budgets_are_never_exceeded(demo):
    for budget in ProgrammeBudget.objects.select_related("programme"):
        spent = committed().filter(
            programme=budget.programme, fiscal_year=budget.fiscal_year
        ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
        assert spent <= budget.amount, budget


def test_mostly_published_a_few_approved_and_some_drafts(demo):
    statuses = {
        status: Allocation.objects.filter(status=status).count()
        for status in AllocationStatus.values
    }
    assert statuses[AllocationStatus.DRAFT] >= 2
    assert 2 <= statuses[AllocationStatus.APPROVED] <= 10
    assert statuses[AllocationStatus.PUBLISHED] >= 0.9 * Allocation.objects.count()


def test_loads_once_and_exports_as_valid_360giving(demo):
    count = Allocation.objects.count()
    load_funding({organization.name: organization for organization in demo})

    assert Allocation.objects.count() == count
    package = grants_package(Allocation.objects.all(), publisher=default_publisher())
    assert errors(PACKAGE, package) == []
    assert len(package["grants"]) == Allocation.objects.published().count()


def test_demo_data_over_a_budget_is_refused_before_anything_is_written():
    specs = allocations()
    first = next(spec for spec in specs if spec.status == AllocationStatus.PUBLISHED)

    with pytest.raises(ValueError, match="over its budget"):
        check_allocations([*specs, dataclasses.replace(first, amount=10**6)])
    with pytest.raises(ValueError, match="where its money comes from"):
        check_allocations([dataclasses.replace(first, origin=MoneyOrigin.REALLOCATED)])


def test_the_data_files_hold_the_former_tables_fact_for_fact(demo):
    """organizations/funding/demo/*.csv|json: the same programmes, budgets, allocations
    and service loads the Python tables made, recorded through the funding service."""
    assert ProgrammeBudget.objects.count() == 24
    assert ProgrammeBudget.objects.get(programme__slug=HEALTH, fiscal_year=2003).amount == 720_000
    statuses = dict(Allocation.objects.values_list("status").annotate(n=Count("pk")))
    assert statuses == {"published": 145, "approved": 6, "draft": 2}
    assert Allocation.objects.filter(origin=MoneyOrigin.REALLOCATED).count() == 48
    assert not Allocation.objects.filter(recorded_by__isnull=False).exists()
    assert committed().filter(fiscal_year=2003).aggregate(total=Sum("amount"))["total"] == (
        2_077_400
    )
    project = Allocation.objects.get(
        programme__slug="projets-pilotes-abitibi",
        organization__slug="centre-de-femmes-entre-elles-de-rouyn-noranda",
        fiscal_year=2003,
    )
    assert (project.amount, project.origin, project.reallocated_from_sector.code) == (
        22_000,
        MoneyOrigin.REALLOCATED,
        "health-social",
    )
    assert (project.starts_on.isoformat(), project.ends_on.isoformat()) == (
        "2003-09-01",
        "2004-03-31",
    )
    assert ServiceLoad.objects.count() == 78
    load = ServiceLoad.objects.get(
        organization__slug="cooperative-de-solidarite-sante-du-haut-richelieu", fiscal_year=2005
    )
    assert (load.people_served, load.service_hours, load.waiting_list) == (28_103, 50_853, 1_586)
