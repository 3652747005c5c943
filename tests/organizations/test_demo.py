"""The demo catalogue `make run` loads, and the synthetic generator for benchmarks."""

from io import StringIO

import factory.random
import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from organizations.autonomy import derive_recognition_status
from organizations.demo import load_organizations
from organizations.management.commands.generate_demo import SLUG_PREFIX
from organizations.models import (
    AutonomyAssessment,
    AutonomyCriterion,
    CoalitionMembership,
    CooperativeType,
    MemberCategory,
    MemberCategoryKind,
    Organization,
    OrganizationKind,
    RecognitionStatus,
    Sector,
    ServiceAgreement,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> list[Organization]:
    return load_organizations()


def stored_status_matches_assessments(organizations) -> bool:
    criteria = list(AutonomyCriterion.objects.values_list("pk", flat=True))
    return all(
        organization.recognition_status
        == derive_recognition_status(organization.autonomy_assessments.all(), criteria)
        for organization in organizations.prefetch_related("autonomy_assessments")
    )


class TestDemoCatalogue:
    def test_the_whole_demo_loads_once(self):
        from concertation.demo import load_demo

        assert load_demo() is True
        assert Organization.objects.count() >= 55
        assert load_demo() is False

    def test_about_sixty_organizations_with_unique_slugs(self, demo):
        assert 55 <= len(demo) == Organization.objects.count() <= 70
        assert len({organization.slug for organization in demo}) == len(demo)

    def test_spans_at_least_ten_regions_and_eight_sectors(self, demo):
        head_offices = set(Organization.objects.values_list("region__code", flat=True))
        served = set(Organization.objects.values_list("regions_served__code", flat=True))
        assert len((head_offices | served) - {None}) >= 10
        assert len(head_offices) >= 10
        assert Sector.objects.filter(organizations__isnull=False).distinct().count() >= 8
        assert Sector.objects.filter(parent__isnull=False, organizations__isnull=False).exists()

    def test_every_kind_and_several_cooperative_types_are_present(self, demo):
        assert {organization.kind for organization in demo} == set(OrganizationKind.values)
        types = {organization.cooperative_type for organization in demo} - {""}
        assert {CooperativeType.SOLIDARITY, CooperativeType.HOUSING} <= types
        assert len(types) >= 5

    def test_most_organizations_are_classified_staffed_and_bilingual(self, demo):
        organizations = Organization.objects.annotate(
            constituency_count=Count("constituencies"), field_count=Count("fields_of_activity")
        )
        assert organizations.filter(field_count=0).count() == 0
        assert organizations.filter(constituency_count__gt=0).count() >= len(demo) // 2
        assert sum(o.staff_fte is not None for o in demo) >= 0.8 * len(demo)
        assert sum(o.member_count is not None for o in demo) >= 0.8 * len(demo)
        assert sum(bool(o.summary_en and o.summary_fr) for o in demo) >= 0.9 * len(demo)
        assert any(o.serves_in_english for o in demo)

    def test_solidarity_cooperatives_count_their_members_by_category(self, demo):
        solidarity = Organization.objects.filter(cooperative_type=CooperativeType.SOLIDARITY)
        assert solidarity.count() >= 2
        for cooperative in solidarity.prefetch_related("member_categories"):
            categories = {c.category: c.count for c in cooperative.member_categories.all()}
            assert set(categories) == set(MemberCategoryKind.values)
            assert cooperative.member_count == sum(categories.values())

    def test_cooperatives_have_incorporation_facts_and_some_need_an_auditor(self, demo):
        cooperatives = [o for o in demo if o.kind == OrganizationKind.COOPERATIVE]
        assert all(o.incorporation_act and o.incorporation_date for o in cooperatives)
        assert all(o.incorporation_jurisdiction_id for o in cooperatives)
        assert {o.has_share_capital for o in cooperatives} == {True, False}
        assert any(o.needs_auditor for o in cooperatives)
        small = [o for o in cooperatives if not o.needs_auditor]
        assert small and all(o.member_count <= 15 for o in small)

    def test_public_services_are_delivered_under_agreements(self, demo):
        agreements = ServiceAgreement.objects.select_related("government_body", "provider")
        assert agreements.count() >= 5
        assert all(a.government_body.kind == OrganizationKind.GOVERNMENT for a in agreements)
        by_sector = {
            code: agreements.filter(provider__sectors__code=code).first()
            for code in ("primary-care", "utilities", "municipal-it", "housing")
        }
        assert all(by_sector.values())
        assert by_sector["primary-care"].population_served >= 10_000
        assert by_sector["utilities"].population_served == 150_000
        assert agreements.filter(end_date__isnull=False).exists()

    def test_the_secretariat_ministry_board_and_council_are_government_bodies(self, demo):
        government = set(Organization.objects.government_bodies().values_list("name", flat=True))
        assert "Secrétariat à l'action communautaire autonome" in government
        assert "Ministère de la Solidarité sociale" in government
        assert any(name.startswith("Régie régionale") for name in government)
        assert any(name.startswith("Conseil régional de développement") for name in government)

    def test_coalitions_have_current_and_past_members(self, demo):
        memberships = CoalitionMembership.objects.select_related("coalition")
        assert all(m.coalition.kind == OrganizationKind.COALITION for m in memberships)
        with_members = Organization.objects.coalitions().filter(coalition_members__isnull=False)
        assert with_members.distinct().count() >= 6
        assert memberships.current().exists()
        assert memberships.past().exists()
        assert len({m.role for m in memberships}) >= 4
        # Regional tables belong to the national coalition of regional tables.
        assert memberships.filter(organization__kind=OrganizationKind.COALITION).exists()

    def test_recognition_statuses_vary_and_follow_the_assessments(self, demo):
        statuses = set(Organization.objects.values_list("recognition_status", flat=True))
        assert len(statuses) >= 3
        assert set(RecognitionStatus.values) == statuses
        autonomous = Organization.objects.filter(kind=OrganizationKind.AUTONOMOUS_COMMUNITY)
        assessed = autonomous.exclude(recognition_status=RecognitionStatus.NOT_ASSESSED)
        assert assessed.count() >= autonomous.count() // 3
        assert stored_status_matches_assessments(Organization.objects.all())
        assert not AutonomyAssessment.objects.filter(evidence="").exists()

    def test_a_later_assessment_supersedes_an_earlier_one_and_both_are_kept(self, demo):
        reassessed = (
            Organization.objects.annotate(assessments=Count("autonomy_assessments"))
            .filter(assessments__gt=AutonomyCriterion.objects.count())
            .get()
        )
        assert reassessed.recognition_status == RecognitionStatus.RECOGNIZED
        assert reassessed.autonomy_assessments.filter(outcome="not_met").exists()


def generate(organizations: int, **options) -> str:
    out = StringIO()
    call_command(
        "generate_demo", organizations=organizations, no_progress=True, stdout=out, **options
    )
    return out.getvalue()


def run_of(run: int):
    return Organization.objects.filter(slug__startswith=f"{SLUG_PREFIX}{run:05d}-")


def snapshot(run: int) -> list[tuple]:
    """What a run generated, without its run number and database keys."""

    def number(organization: Organization) -> int:
        return int(organization.name.rsplit(".", 1)[1])

    organizations = run_of(run).prefetch_related(
        "regions_served",
        "sectors",
        "constituencies",
        "fields_of_activity",
        "member_categories",
        "memberships__coalition",
        "agreements_as_provider__government_body",
        "autonomy_assessments__criterion",
    )
    return [
        (
            number(o),
            o.name.rsplit(" #", 1)[0],
            o.kind,
            o.cooperative_type,
            o.region_id,
            o.founded_year,
            o.staff_fte,
            o.member_count,
            o.share_capital,
            o.gross_revenue,
            o.assets,
            o.has_share_capital,
            o.recognition_status,
            sorted(r.code for r in o.regions_served.all()),
            sorted(s.code for s in o.sectors.all()),
            sorted(c.code for c in o.constituencies.all()),
            sorted(f.code for f in o.fields_of_activity.all()),
            sorted((c.category, c.count) for c in o.member_categories.all()),
            sorted(
                (number(m.coalition), m.role, m.start_date, m.end_date) for m in o.memberships.all()
            ),
            sorted(
                (number(a.government_body), a.service, a.population_served, a.start_date)
                for a in o.agreements_as_provider.all()
            ),
            sorted(
                (a.criterion.code, a.outcome, a.assessed_on) for a in o.autonomy_assessments.all()
            ),
        )
        for o in sorted(organizations, key=lambda o: o.slug)
    ]


class TestGenerator:
    def test_creates_exactly_n_organizations_with_their_links(self):
        output = generate(120)
        generated = run_of(1)
        assert generated.count() == Organization.objects.count() == 120
        assert "Created 120 synthetic organizations" in output
        assert "search_index rebuild" in output
        linked = generated.annotate(
            sector_count=Count("sectors", distinct=True),
            region_count=Count("regions_served", distinct=True),
            field_count=Count("fields_of_activity", distinct=True),
        )
        assert not linked.filter(sector_count=0).exists()
        assert not linked.filter(region_count=0).exists()
        assert not linked.filter(field_count=0).exists()
        assert len(set(generated.values_list("region", flat=True))) >= 10
        assert generated.filter(constituencies__isnull=False).exists()

    def test_generates_coalitions_cooperatives_agreements_and_assessments(self):
        generate(300)
        memberships = CoalitionMembership.objects.select_related("coalition")
        assert memberships.exists()
        assert all(m.coalition.kind == OrganizationKind.COALITION for m in memberships)
        solidarity = Organization.objects.filter(cooperative_type=CooperativeType.SOLIDARITY)
        assert solidarity.exists()
        assert MemberCategory.objects.count() == 3 * solidarity.count()
        agreements = ServiceAgreement.objects.select_related("government_body")
        assert agreements.exists()
        assert all(a.government_body.kind == OrganizationKind.GOVERNMENT for a in agreements)
        cooperatives = Organization.objects.filter(kind=OrganizationKind.COOPERATIVE)
        assert {c.needs_auditor for c in cooperatives} == {True, False}
        assert len(set(Organization.objects.values_list("recognition_status", flat=True))) >= 3
        assert stored_status_matches_assessments(Organization.objects.all())

    def test_is_deterministic_for_a_seed_and_can_run_twice(self):
        generate(150, seed=7)
        generate(150, seed=7, batch_size=40)
        assert Organization.objects.count() == 300
        assert snapshot(1) == snapshot(2)
        generate(150, seed=8)
        assert snapshot(3) != snapshot(1)

    def test_leaves_the_factories_random_generator_as_it_found_it(self):
        factory.random.reseed_random(42)
        before = factory.random.get_random_state()
        generate(20, seed=3)
        assert factory.random.get_random_state() == before

    def test_runs_beside_the_demo_catalogue(self, demo):
        generate(50)
        assert Organization.objects.count() == len(demo) + 50

    def test_the_number_of_queries_does_not_grow_with_the_number_of_organizations(self):
        def queries(organizations: int, batch_size: int) -> int:
            with CaptureQueriesContext(connection) as captured:
                generate(organizations, batch_size=batch_size)
            return len(captured)

        one_batch = queries(100, batch_size=1000)
        assert queries(300, batch_size=1000) == one_batch
        # A batch costs a fixed number of statements: one per table it writes.
        assert queries(300, batch_size=100) <= one_batch + 2 * 9

    def test_refuses_a_size_below_one(self):
        from django.core.management.base import CommandError

        with pytest.raises(CommandError):
            generate(0)
