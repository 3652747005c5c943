"""Rules of the catalogue that the database and the models enforce."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from organizations.autonomy import derive_recognition_status
from organizations.models import (
    AssessmentOutcome,
    AutonomyAssessment,
    AutonomyCriterion,
    CoalitionMembership,
    MemberCategory,
    Organization,
    OrganizationKind,
    RecognitionStatus,
    Region,
    Sector,
    ServiceAgreement,
)
from organizations.services import record_assessment
from search.models import PendingChange
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 5, 1)


def refused_by_the_database(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


class TestTaxonomies:
    def test_quebec_administrative_regions_are_seeded_with_official_numbers(self):
        quebec = Region.objects.get(code="qc")
        regions = Region.objects.filter(parent=quebec)
        assert regions.count() == 17
        assert regions.get(code="qc-06").name_fr == "Montréal"
        assert regions.get(code="qc-11").name_en == "Gaspésie–Îles-de-la-Madeleine"

    def test_provinces_and_territories_are_seeded(self):
        assert Region.objects.filter(kind="province").count() == 10
        assert Region.objects.filter(kind="territory").count() == 3

    def test_sub_sectors_hang_under_their_sector(self):
        assert Sector.objects.get(code="home-care").parent.code == "health-social"

    def test_a_term_cannot_be_its_own_parent(self):
        sector = Sector.objects.get(code="housing")
        sector.parent = sector
        assert refused_by_the_database(sector.save)

    def test_names_follow_the_interface_language(self):
        from django.utils import translation

        region = Region.objects.get(code="nb")
        with translation.override("fr"):
            assert region.name == "Nouveau-Brunswick"
        with translation.override("en"):
            assert region.name == "New Brunswick"


class TestOrganizationConstraints:
    def test_slug_is_unique(self):
        OrganizationFactory(name="A", slug="same")
        assert refused_by_the_database(lambda: OrganizationFactory(name="B", slug="same"))

    def test_name_is_unique(self):
        OrganizationFactory(name="Same name", slug="one")
        assert refused_by_the_database(lambda: OrganizationFactory(name="Same name", slug="two"))

    def test_a_cooperative_needs_a_type(self):
        assert refused_by_the_database(
            lambda: OrganizationFactory(kind=OrganizationKind.COOPERATIVE, cooperative_type="")
        )

    def test_only_a_cooperative_has_a_type(self):
        assert refused_by_the_database(
            lambda: OrganizationFactory(kind=OrganizationKind.ADVOCACY, cooperative_type="worker")
        )

    @pytest.mark.parametrize("field", ["staff_fte", "share_capital", "gross_revenue", "assets"])
    def test_amounts_cannot_be_negative(self, field):
        assert refused_by_the_database(lambda: OrganizationFactory(**{field: Decimal("-1")}))

    def test_member_count_cannot_be_negative(self):
        assert refused_by_the_database(lambda: OrganizationFactory(member_count=-3))

    def test_founded_year_must_be_plausible(self):
        assert refused_by_the_database(lambda: OrganizationFactory(founded_year=1066))
        assert not refused_by_the_database(lambda: OrganizationFactory(founded_year=1996))


class TestAuditorRule:
    @pytest.mark.parametrize(
        ("facts", "reason"),
        [
            ({"member_count": 16}, "more than 15 members"),
            ({"share_capital": Decimal("15000.01")}, "share capital over $15,000"),
            ({"gross_revenue": Decimal("100001")}, "gross revenue over $100,000"),
            ({"assets": Decimal("50000.50")}, "assets over $50,000"),
        ],
    )
    def test_each_threshold_alone_requires_an_auditor(self, facts, reason):
        cooperative = OrganizationFactory.build(
            kind=OrganizationKind.COOPERATIVE, cooperative_type="worker", **facts
        )
        assert [str(r) for r in cooperative.auditor_thresholds_crossed()] == [reason]
        assert cooperative.needs_auditor

    def test_a_small_cooperative_at_the_thresholds_needs_none(self):
        cooperative = OrganizationFactory.build(
            kind=OrganizationKind.COOPERATIVE,
            cooperative_type="worker",
            member_count=15,
            share_capital=Decimal("15000"),
            gross_revenue=Decimal("100000"),
            assets=Decimal("50000"),
        )
        assert cooperative.auditor_thresholds_crossed() == []

    def test_the_rule_is_for_cooperatives_only(self):
        association = OrganizationFactory.build(member_count=500)
        assert not association.needs_auditor

    def test_several_thresholds_are_all_listed(self):
        cooperative = OrganizationFactory.build(
            kind=OrganizationKind.COOPERATIVE,
            cooperative_type="solidarity",
            member_count=400,
            assets=Decimal("2000000"),
        )
        assert len(cooperative.auditor_thresholds_crossed()) == 2


class TestMemberCategories:
    def test_each_category_once_per_cooperative(self):
        cooperative = OrganizationFactory(kind=OrganizationKind.COOPERATIVE)
        MemberCategory.objects.create(organization=cooperative, category="worker", count=5)
        assert refused_by_the_database(
            lambda: MemberCategory.objects.create(
                organization=cooperative, category="worker", count=7
            )
        )

    def test_count_cannot_be_negative(self):
        cooperative = OrganizationFactory(kind=OrganizationKind.COOPERATIVE)
        assert refused_by_the_database(
            lambda: MemberCategory.objects.create(
                organization=cooperative, category="user", count=-1
            )
        )


class TestCoalitionMembership:
    @pytest.fixture
    def coalition(self):
        return OrganizationFactory(name="Regroupement régional", kind=OrganizationKind.COALITION)

    def test_a_membership_cannot_end_before_it_starts(self, coalition):
        member = OrganizationFactory()
        assert refused_by_the_database(
            lambda: CoalitionMembership.objects.create(
                organization=member,
                coalition=coalition,
                start_date=DAY,
                end_date=DAY - datetime.timedelta(days=1),
            )
        )

    def test_an_organization_is_not_its_own_member(self, coalition):
        assert refused_by_the_database(
            lambda: CoalitionMembership.objects.create(organization=coalition, coalition=coalition)
        )

    def test_only_a_coalition_has_members(self):
        from django.core.exceptions import ValidationError

        not_a_coalition = OrganizationFactory(kind=OrganizationKind.ADVOCACY)
        membership = CoalitionMembership(
            organization=OrganizationFactory(), coalition=not_a_coalition, start_date=DAY
        )
        with pytest.raises(ValidationError) as refused:
            membership.full_clean()
        assert "coalition" in refused.value.message_dict

    def test_current_and_past_members(self, coalition):
        current = OrganizationFactory(name="Still a member")
        former = OrganizationFactory(name="Left in 2020")
        CoalitionMembership.objects.create(
            organization=current, coalition=coalition, start_date=DAY
        )
        CoalitionMembership.objects.create(
            organization=former,
            coalition=coalition,
            start_date=datetime.date(2015, 1, 1),
            end_date=datetime.date(2020, 6, 30),
        )

        members = coalition.coalition_members
        assert [m.organization for m in members.current()] == [current]
        assert [m.organization for m in members.past()] == [former]
        assert [m.coalition for m in former.memberships.all()] == [coalition]


class TestServiceAgreement:
    def test_an_agreement_cannot_end_before_it_starts(self):
        ministry = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
        cooperative = OrganizationFactory(kind=OrganizationKind.COOPERATIVE)
        assert refused_by_the_database(
            lambda: ServiceAgreement.objects.create(
                government_body=ministry,
                provider=cooperative,
                service="Primary care",
                start_date=DAY,
                end_date=DAY - datetime.timedelta(days=1),
            )
        )


class TestRecognitionStatus:
    @pytest.fixture
    def criteria(self):
        return list(AutonomyCriterion.objects.all())

    def test_eight_criteria_are_seeded(self, criteria):
        assert len(criteria) == 8
        assert criteria[0].code == "non-profit"

    def test_not_assessed_until_a_first_assessment(self):
        assert OrganizationFactory().recognition_status == RecognitionStatus.NOT_ASSESSED

    def test_recognized_when_every_criterion_is_met(self, criteria):
        organization = OrganizationFactory()
        for criterion in criteria:
            record_assessment(organization, criterion, AssessmentOutcome.MET, assessed_on=DAY)

        organization.refresh_from_db()
        assert organization.recognition_status == RecognitionStatus.RECOGNIZED

    def test_incomplete_while_a_criterion_is_unassessed_or_unknown(self, criteria):
        organization = OrganizationFactory()
        for criterion in criteria[:-1]:
            record_assessment(organization, criterion, AssessmentOutcome.MET, assessed_on=DAY)
        assert organization.recognition_status == RecognitionStatus.INCOMPLETE

        record_assessment(organization, criteria[-1], AssessmentOutcome.UNKNOWN, assessed_on=DAY)
        assert organization.recognition_status == RecognitionStatus.INCOMPLETE

    def test_one_criterion_not_met_means_not_recognized(self, criteria):
        organization = OrganizationFactory()
        record_assessment(organization, criteria[3], AssessmentOutcome.NOT_MET, assessed_on=DAY)

        organization.refresh_from_db()
        assert organization.recognition_status == RecognitionStatus.NOT_RECOGNIZED

    def test_the_latest_assessment_counts_and_history_is_kept(self, criteria):
        organization = OrganizationFactory()
        for criterion in criteria:
            record_assessment(organization, criterion, AssessmentOutcome.MET, assessed_on=DAY)
        record_assessment(
            organization,
            criteria[0],
            AssessmentOutcome.NOT_MET,
            assessed_on=DAY + datetime.timedelta(days=30),
            evidence="Now a subsidiary of a public body.",
        )
        assert organization.recognition_status == RecognitionStatus.NOT_RECOGNIZED
        # An older assessment entered later does not override the newer one.
        record_assessment(organization, criteria[0], AssessmentOutcome.MET, assessed_on=DAY)
        assert organization.recognition_status == RecognitionStatus.NOT_RECOGNIZED
        assert organization.autonomy_assessments.filter(criterion=criteria[0]).count() == 3

    def test_status_follows_assessments_saved_any_other_way(self, criteria):
        """The admin inline saves assessments directly; the status still follows."""
        organization = OrganizationFactory()
        assessment = AutonomyAssessment.objects.create(
            organization=organization,
            criterion=criteria[0],
            outcome=AssessmentOutcome.NOT_MET,
            assessed_on=DAY,
        )
        organization.refresh_from_db()
        assert organization.recognition_status == RecognitionStatus.NOT_RECOGNIZED

        assessment.delete()
        organization.refresh_from_db()
        assert organization.recognition_status == RecognitionStatus.NOT_ASSESSED

    def test_status_is_not_editable_by_hand(self):
        assert not Organization._meta.get_field("recognition_status").editable

    def test_derivation_without_criteria_is_not_assessed(self):
        assert derive_recognition_status([], []) == RecognitionStatus.NOT_ASSESSED


class TestDerivedFactsFollowChanges:
    def test_adding_a_criterion_recomputes_every_status(self):
        organization = OrganizationFactory()
        for criterion in AutonomyCriterion.objects.all():
            record_assessment(organization, criterion, AssessmentOutcome.MET, assessed_on=DAY)
        assert organization.recognition_status == RecognitionStatus.RECOGNIZED

        AutonomyCriterion.objects.create(
            code="new-criterion", name_en="A new criterion", name_fr="Un nouveau critère"
        )

        organization.refresh_from_db()
        assert organization.recognition_status == RecognitionStatus.INCOMPLETE

    def test_removing_the_missing_criterion_recognizes_again(self):
        organization = OrganizationFactory()
        criteria = list(AutonomyCriterion.objects.all())
        for criterion in criteria[:-1]:
            record_assessment(organization, criterion, AssessmentOutcome.MET, assessed_on=DAY)
        assert organization.recognition_status == RecognitionStatus.INCOMPLETE

        criteria[-1].delete()

        organization.refresh_from_db()
        assert organization.recognition_status == RecognitionStatus.RECOGNIZED

    def test_a_status_change_records_a_search_update(self, settings):
        settings.ELASTICSEARCH_URL = ""  # its creation is recorded nowhere
        organization = OrganizationFactory()
        # Now an engine is configured (changes are recorded) but nothing is sent: the
        # after-commit drain never runs inside the test's transaction.
        settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
        criterion = AutonomyCriterion.objects.first()

        record_assessment(organization, criterion, AssessmentOutcome.NOT_MET, assessed_on=DAY)

        assert PendingChange.objects.filter(
            kind="organization", object_id=str(organization.pk)
        ).exists()

    def test_a_changed_slug_leaves_a_redirect_from_the_old_address(self, client):
        organization = OrganizationFactory(name="Maison des familles", slug="maison-familles")
        organization.slug = "maison-des-familles"
        organization.save()

        for prefix in ("", "/fr"):
            response = client.get(f"{prefix}/organizations/maison-familles/")
            assert response.status_code == 301
            assert response["Location"] == f"{prefix}/organizations/maison-des-familles/"
        assert client.get("/organizations/maison-des-familles/").status_code == 200


class TestTaxonomyHierarchy:
    def test_two_levels_only(self):
        from django.core.exceptions import ValidationError

        home_care = Sector.objects.get(code="home-care")  # under health-social
        new_term = Sector(code="nested", name_en="Nested", name_fr="Imbriqué", parent=home_care)
        with pytest.raises(ValidationError) as refused:
            new_term.full_clean()
        assert "parent" in refused.value.message_dict

    def test_no_loops(self):
        from django.core.exceptions import ValidationError

        health = Sector.objects.get(code="health-social")
        health.parent = Sector.objects.get(code="housing")
        with pytest.raises(ValidationError):
            health.full_clean()  # health-social has sub-sectors

    def test_a_sub_sector_under_a_top_level_sector_is_fine(self):
        Sector(
            code="palliative",
            name_en="Palliative",
            name_fr="Palliatif",
            parent=Sector.objects.get(code="health-social"),
        ).full_clean()


def test_member_categories_belong_to_solidarity_cooperatives():
    from django.core.exceptions import ValidationError

    worker_coop = OrganizationFactory(kind=OrganizationKind.COOPERATIVE, cooperative_type="worker")
    with pytest.raises(ValidationError):
        MemberCategory(organization=worker_coop, category="user", count=3).full_clean()
    solidarity = OrganizationFactory(
        kind=OrganizationKind.COOPERATIVE, cooperative_type="solidarity"
    )
    MemberCategory(organization=solidarity, category="user", count=3).full_clean()


def test_auditor_rule_counts_member_categories_when_no_total_is_given():
    cooperative = OrganizationFactory(
        kind=OrganizationKind.COOPERATIVE, cooperative_type="solidarity", member_count=None
    )
    MemberCategory.objects.create(organization=cooperative, category="worker", count=6)
    MemberCategory.objects.create(organization=cooperative, category="user", count=10)

    assert cooperative.total_members == 16
    assert [str(reason) for reason in cooperative.auditor_thresholds_crossed()] == [
        "more than 15 members"
    ]
