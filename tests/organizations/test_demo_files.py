"""The demo catalogue's data files (organizations/demo/) hold the catalogue the Python
tables held, fact for fact, and the organizations file goes through the product's import."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Count

from organizations import demo as demo_package
from organizations.demo import by_key, demo_keys, load_organizations, names_by_key
from organizations.importing import import_file
from organizations.models import (
    AutonomyAssessment,
    CoalitionMembership,
    CooperativeType,
    MemberCategory,
    Organization,
    RecognitionStatus,
    ServiceAgreement,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> list[Organization]:
    return load_organizations()


def test_counts_per_kind_and_cooperative_type(demo):
    kinds = dict(Organization.objects.values_list("kind").annotate(n=Count("pk")))
    assert kinds == {
        "autonomous_community": 20,
        "cooperative": 13,
        "coalition": 11,
        "government": 7,
        "advocacy": 6,
        "community": 6,
        "mutual": 2,
    }
    types = dict(
        Organization.objects.exclude(cooperative_type="")
        .values_list("cooperative_type")
        .annotate(n=Count("pk"))
    )
    assert types == {
        "consumer": 4,
        "solidarity": 3,
        "worker": 3,
        "housing": 1,
        "producer": 1,
        "financial": 1,
    }
    assert CoalitionMembership.objects.count() == 46
    assert ServiceAgreement.objects.count() == 6
    assert MemberCategory.objects.count() == 9
    assert AutonomyAssessment.objects.count() == 118


def test_loaded_in_the_files_order(demo):
    assert [o.pk for o in demo] == sorted(o.pk for o in demo)
    assert demo[0].name == "Secrétariat à l'action communautaire autonome"


def test_a_cooperatives_incorporation(demo):
    cooperative = Organization.objects.get(slug="cooperative-jeunesse-de-services-de-rimouski")
    assert cooperative.cooperative_type == CooperativeType.WORKER
    assert cooperative.incorporation_act == "Loi sur les coopératives (RLRQ, c. C-67.2)"
    assert cooperative.incorporation_jurisdiction.code == "qc"
    assert cooperative.incorporation_date == datetime.date(2009, 5, 25)
    assert cooperative.has_share_capital is True
    assert cooperative.share_capital == Decimal("140")
    assert cooperative.member_count == 14
    assert cooperative.staff_fte == Decimal("0.6")
    assert list(cooperative.regions_served.values_list("code", flat=True)) == ["qc-01"]


def test_a_review_not_met_then_met_with_its_evidence(demo):
    organization = by_key(demo)["sante-mentale-chicoutimi"]
    board = organization.autonomy_assessments.filter(criterion__code="independent-board")
    assert [(a.assessed_on, a.outcome) for a in board.order_by("assessed_on")] == [
        (datetime.date(2004, 3, 15), "not_met"),
        (datetime.date(2009, 10, 5), "met"),
    ]
    assert board.order_by("assessed_on").first().evidence == (
        "Deux sièges du conseil d'administration sont réservés au CLSC du territoire."
    )
    assert organization.recognition_status == RecognitionStatus.RECOGNIZED


def test_a_membership_and_an_agreement(demo):
    keyed = by_key(demo)
    membership = CoalitionMembership.objects.get(
        organization=keyed["troc-saguenay"], coalition=keyed["ctroc"], role="member"
    )
    assert (membership.start_date, membership.end_date) == (
        datetime.date(1994, 9, 1),
        datetime.date(2006, 6, 30),
    )
    agreement = ServiceAgreement.objects.get(provider=keyed["ontario-rural-electric"])
    assert agreement.government_body == keyed["ontario-energy"]
    assert agreement.population_served == 150_000
    assert agreement.end_date is None


def test_the_catalogue_file_passes_the_product_import():
    """organizations.csv is in the import format: a dry run would create them all."""
    data = (Path(demo_package.__file__).parent / "organizations.csv").read_bytes()
    result = import_file(data, "organizations.csv", dry_run=True)
    assert result.errors == []
    assert result.created == 65
    assert not Organization.objects.exists()


def test_every_key_names_one_organization_of_the_catalogue(demo):
    assert len(demo_keys()) == len(demo)
    assert set(by_key(demo)) == set(demo_keys())
    assert names_by_key()["saca"] == "Secrétariat à l'action communautaire autonome"
