"""The factories (concertation.factories): one description of plausible data for the
tests and for `manage.py generate_demo`'s synthetic catalogue."""

import datetime

import factory.random
import pytest

from concertation.factories import (
    AutonomyAssessmentFactory,
    CoalitionMembershipFactory,
    MemberCategoryFactory,
    OrganizationFactory,
    PlausibleOrganizationFactory,
    ServiceAgreementFactory,
)
from concertation.organization_profiles import LAST_DAY, PROFILES, SYNTHETIC_EVIDENCE, Profile
from organizations.models import (
    AssessmentOutcome,
    CooperativeType,
    MemberCategoryKind,
    OrganizationKind,
)

pytestmark = pytest.mark.django_db


def profile_of(kind: str, cooperative_type: str = "") -> Profile:
    return next(p for p in PROFILES if p.kind == kind and p.cooperative_type == cooperative_type)


class TestPlausibleOrganization:
    def test_a_cooperative_comes_with_its_incorporation_and_finances(self):
        housing = profile_of(OrganizationKind.COOPERATIVE, CooperativeType.HOUSING)
        cooperative = PlausibleOrganizationFactory(profile=housing, place=("Verdun", "qc-06"))
        cooperative.refresh_from_db()
        assert cooperative.name.startswith("Coopérative d'habitation ")
        assert cooperative.kind == OrganizationKind.COOPERATIVE
        assert cooperative.cooperative_type == CooperativeType.HOUSING
        assert cooperative.region.code == "qc-06"
        assert (
            cooperative.summary_en
            == "A housing co-operative in Verdun. Synthetic record for benchmarks."
        )
        assert cooperative.incorporation_jurisdiction.code == "qc"
        assert cooperative.incorporation_act.startswith("Loi sur les coopératives")
        assert cooperative.incorporation_date.year == cooperative.founded_year
        assert cooperative.has_share_capital is not None
        assert cooperative.gross_revenue is not None and cooperative.assets is not None
        assert cooperative.sectors.exists()

    def test_another_organization_has_no_cooperative_facts(self):
        centre = PlausibleOrganizationFactory(
            profile=profile_of(OrganizationKind.COALITION), place=("Rimouski", "qc-01")
        )
        assert centre.name.startswith("Table régionale des organismes communautaires de Rimouski")
        assert centre.incorporation_act == ""
        assert centre.incorporation_jurisdiction is None
        assert centre.has_share_capital is None
        assert centre.gross_revenue is None

    def test_the_same_seed_draws_the_same_organizations(self):
        def drawn() -> list[tuple]:
            factory.random.reseed_random(11)
            return [
                (
                    o.name.rsplit(" #", 1)[0],
                    o.kind,
                    o.region.code,
                    o.founded_year,
                    o.staff_fte,
                    o.member_count,
                    o.gross_revenue,
                    o.serves_in_english,
                )
                for o in PlausibleOrganizationFactory.build_batch(40)
            ]

        first = drawn()
        assert drawn() == first
        assert len({kind for _, kind, *_ in first}) >= 3


class TestDependentRows:
    def test_a_coalition_membership_begins_after_the_member_was_founded(self):
        member = OrganizationFactory(founded_year=2010)
        membership = CoalitionMembershipFactory(organization=member)
        assert membership.coalition.kind == OrganizationKind.COALITION
        assert datetime.date(2010, 1, 1) <= membership.start_date <= LAST_DAY
        assert membership.end_date is None or membership.start_date < membership.end_date

    def test_a_service_agreement_binds_a_provider_to_a_government_body(self):
        agreement = ServiceAgreementFactory(populations=(5, 60))
        assert agreement.government_body.kind == OrganizationKind.GOVERNMENT
        assert 5 <= agreement.population_served <= 60
        assert agreement.start_date.year >= 1990

    def test_an_assessment_carries_the_evidence_its_outcome_calls_for(self):
        assessment = AutonomyAssessmentFactory(outcome=AssessmentOutcome.NOT_MET)
        assert assessment.evidence == SYNTHETIC_EVIDENCE[AssessmentOutcome.NOT_MET]
        assert assessment.criterion.pk is not None

    def test_a_member_category_belongs_to_a_solidarity_cooperative(self):
        category = MemberCategoryFactory(category=MemberCategoryKind.WORKER, sizes=(3, 60))
        assert category.organization.cooperative_type == CooperativeType.SOLIDARITY
        assert 3 <= category.count <= 60


def test_the_tests_import_the_same_factories():
    from tests import factories

    assert factories.OrganizationFactory is OrganizationFactory
