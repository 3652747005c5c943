"""Public catalogue pages: the directory and the profiles — content, links both ways,
languages, refused parameters and query counts."""

import datetime
import html
import re
from decimal import Decimal

import pytest

from organizations.models import (
    AssessmentOutcome,
    AutonomyCriterion,
    CoalitionMembership,
    Constituency,
    CooperativeType,
    FieldOfActivity,
    MemberCategory,
    MemberCategoryKind,
    MembershipRole,
    Organization,
    OrganizationKind,
    RecognitionStatus,
    Region,
    Sector,
    ServiceAgreement,
)
from organizations.services import record_assessment
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
LONG_AGO = datetime.date(2010, 1, 1)


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:500]
    return html.unescape(response.content.decode())


def coalition(name: str, **fields) -> Organization:
    return OrganizationFactory(name=name, kind=OrganizationKind.COALITION, **fields)


def join(
    organization: Organization,
    coalition: Organization,
    *,
    role: str = MembershipRole.MEMBER,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> CoalitionMembership:
    return CoalitionMembership.objects.create(
        organization=organization, coalition=coalition, role=role, start_date=start, end_date=end
    )


def cooperative(name: str, **fields) -> Organization:
    fields.setdefault("cooperative_type", CooperativeType.CONSUMER)
    return OrganizationFactory(name=name, kind=OrganizationKind.COOPERATIVE, **fields)


class TestDirectoryPage:
    def test_rows_facets_and_result_count(self, client):
        home_care = Sector.objects.get(code="home-care")
        OrganizationFactory(
            name="Entraide Montréal",
            sectors=[home_care],
            region=Region.objects.get(code="qc-06"),
        )
        OrganizationFactory(name="Logement Laval", sectors=[Sector.objects.get(code="housing")])

        content = page(client, "/organizations/?sector=home-care")

        assert "1 organization" in content
        assert "Entraide Montréal" in content
        assert "Logement Laval" not in content
        # The row: kind, head-office region, sectors.
        assert "Autonomous community organization · Montréal · Home care" in content
        # Facets with counts, a fieldset each: the chosen value is ticked and can be
        # unticked or cleared.
        assert "<legend>Sector</legend>" in content
        assert re.search(
            r'<label for="facet-sector-home-care"><input type="checkbox" '
            r'id="facet-sector-home-care" name="sector" value="home-care" checked> '
            r'<span>Home care <span class="facet-count">\(1\)',
            content,
        )
        assert re.search(
            r'name="sector" value="housing"> <span>Housing <span class="facet-count">\(1\)',
            content,
        )
        assert "Clear all filters" in content
        assert 'href="/organizations/" rel="nofollow">Clear' in content

    def test_pagination_links_keep_the_filters(self, client):
        for number in range(27):
            OrganizationFactory(
                name=f"Youth group {number:02d}",
                constituencies=[Constituency.objects.get(code="youth")],
            )

        first = page(client, "/organizations/?constituency=youth")
        second = page(client, "/organizations/?page=2&constituency=youth")

        assert 'href="/organizations/?constituency=youth&page=2" rel="next"' in first
        assert 'href="/organizations/?constituency=youth" rel="prev"' in second
        assert "Youth group 26" in second
        assert "Youth group 00" not in second

    def test_text_filter_form_keeps_the_chosen_facets(self, client):
        OrganizationFactory(kind=OrganizationKind.ADVOCACY)

        content = page(client, "/organizations/?kind=advocacy")

        assert '<input type="hidden" name="kind" value="advocacy">' in content
        assert '<label for="directory-q">' in content

    @pytest.mark.parametrize(
        ("querystring", "parameter"),
        [
            ("kind=charity", "kind"),
            ("region=zz-99", "region"),
            ("sector=nowhere", "sector"),
            ("page=abc", "page"),
            ("page=0", "page"),
            ("page=9", "page"),
            ("q=" + "a" * 201, "q"),
        ],
    )
    def test_bad_parameters_are_a_400_naming_the_parameter(self, client, querystring, parameter):
        OrganizationFactory()

        content = page(client, f"/organizations/?{querystring}", status=400)

        assert f"The directory parameter “{parameter}” is not valid" in content

    def test_unknown_parameters_are_ignored(self, client):
        OrganizationFactory(name="Only one")

        assert "Only one" in page(client, "/organizations/?utm_source=mail&sort=evil")

    def test_french_directory(self, client):
        OrganizationFactory(sectors=[Sector.objects.get(code="home-care")])

        content = page(client, "/fr/organizations/?sector=health-social")

        assert "Santé et services sociaux" in content
        assert "Soutien à domicile" in content
        # The sub-sector is offered under its sector, ticked with it.
        assert re.search(
            r'name="sector" value="health-social" checked>.*name="sector" value="home-care">',
            content,
            re.S,
        )
        assert 'action="/fr/organizations/"' in content

    @pytest.mark.parametrize("size", [5, 40])
    def test_constant_number_of_queries(self, client, size, django_assert_num_queries):
        """Five facet queries, the count, the page and the page's sectors: 8, whether
        the catalogue has 5 or 40 organizations."""
        for _ in range(size):
            OrganizationFactory(
                sectors=[Sector.objects.get(code="home-care"), Sector.objects.get(code="housing")],
                region=Region.objects.get(code="qc-06"),
                regions_served=[Region.objects.get(code="qc-01")],
                constituencies=[Constituency.objects.get(code="seniors")],
            )

        with django_assert_num_queries(8):
            response = client.get("/organizations/")
        with django_assert_num_queries(8):
            filtered = client.get(
                "/organizations/?region=qc&sector=health-social&kind=autonomous_community"
            )

        assert len(response.context["page_obj"]) == min(size, 25)
        assert len(filtered.context["page_obj"]) == min(size, 25)


class TestCoalitions:
    def test_both_ways(self, client):
        network = coalition("Réseau des groupes")
        member = OrganizationFactory(name="Maison des jeunes")
        former = OrganizationFactory(name="Ancien membre")
        join(member, network, role=MembershipRole.BOARD_MEMBER, start=datetime.date(2019, 3, 1))
        join(former, network, start=LONG_AGO, end=datetime.date(2015, 6, 30))

        member_page = page(client, member.get_absolute_url())
        coalition_page = page(client, network.get_absolute_url())
        coalition_response = client.get(network.get_absolute_url())

        assert f'<a href="{network.get_absolute_url()}">Réseau des groupes</a>' in member_page
        assert "Board member" in member_page
        members = coalition_response.context["profile"].members
        assert [m.organization for m in members.current] == [member]
        assert [m.organization for m in members.past] == [former]
        assert f'<a href="{member.get_absolute_url()}">Maison des jeunes</a>' in coalition_page
        assert f'<a href="{former.get_absolute_url()}">Ancien membre</a>' in coalition_page
        current, past = coalition_page.index("Current"), coalition_page.index("Past")
        assert current < coalition_page.index("Maison des jeunes") < past
        assert past < coalition_page.index("Ancien membre")

    def test_past_coalitions_of_an_organization(self, client):
        member = OrganizationFactory(name="Groupe local")
        join(member, coalition("Table régionale"), start=LONG_AGO, end=datetime.date(2012, 1, 1))
        join(member, coalition("Regroupement national"), start=datetime.date(2020, 1, 1))

        response = client.get(member.get_absolute_url())
        periods = response.context["profile"].coalitions

        assert [m.coalition.name for m in periods.current] == ["Regroupement national"]
        assert [m.coalition.name for m in periods.past] == ["Table régionale"]

    def test_a_coalition_without_members_says_so(self, client):
        assert "No member organization is recorded." in page(
            client, coalition("Coalition vide").get_absolute_url()
        )


class TestCooperatives:
    def test_auditor_flag_names_the_thresholds_crossed(self, client):
        coop = cooperative(
            "Coop santé",
            member_count=20,
            share_capital=Decimal("1000"),
            gross_revenue=Decimal("90000"),
            assets=Decimal("60000"),
        )

        content = page(client, coop.get_absolute_url())

        assert "An auditor is required." in content
        assert "more than 15 members" in content
        assert "assets over $50,000" in content
        assert "gross revenue over $100,000" not in content
        assert "share capital over $15,000" not in content
        assert "$60,000" in content

    def test_no_flag_below_the_thresholds(self, client):
        coop = cooperative("Petite coop", member_count=10, share_capital=Decimal("500"))

        content = page(client, coop.get_absolute_url())

        assert "An auditor is required." not in content
        assert "more than 15 members" not in content

    def test_member_categories_of_a_solidarity_cooperative(self, client):
        coop = cooperative("Coop de solidarité", cooperative_type=CooperativeType.SOLIDARITY)
        for category, count in (
            (MemberCategoryKind.WORKER, 12),
            (MemberCategoryKind.USER, 340),
            (MemberCategoryKind.SUPPORTING, 7),
        ):
            MemberCategory.objects.create(organization=coop, category=category, count=count)

        content = page(client, coop.get_absolute_url())

        assert "Solidarity (multi-stakeholder) co-operative" in content
        assert "<dt>Worker members</dt><dd>12</dd>" in content
        assert "<dt>User members</dt><dd>340</dd>" in content
        assert "<dt>Supporting members (from the community)</dt><dd>7</dd>" in content


class TestServiceAgreements:
    def test_shown_on_both_sides(self, client):
        ministry = OrganizationFactory(
            name="Ministère de la Santé", kind=OrganizationKind.GOVERNMENT
        )
        provider = cooperative("Coop de soins")
        ServiceAgreement.objects.create(
            government_body=ministry,
            provider=provider,
            service="Soins à domicile",
            population_served=5000,
            start_date=datetime.date(2021, 4, 1),
        )

        provider_page = page(client, provider.get_absolute_url())
        ministry_page = page(client, ministry.get_absolute_url())

        assert "Soins à domicile" in provider_page
        assert f'<a href="{ministry.get_absolute_url()}">Ministère de la Santé</a>' in provider_page
        assert "Soins à domicile" in ministry_page
        assert f'<a href="{provider.get_absolute_url()}">Coop de soins</a>' in ministry_page
        assert "5000" in ministry_page


class TestRecognition:
    def test_status_and_latest_outcome_per_criterion_without_evidence(self, client):
        organization = OrganizationFactory(name="Groupe évalué")
        non_profit = AutonomyCriterion.objects.get(code="non-profit")
        rooted = AutonomyCriterion.objects.get(code="rooted")
        record_assessment(
            organization,
            non_profit,
            AssessmentOutcome.NOT_MET,
            assessed_on=datetime.date(2022, 5, 1),
            evidence="Old confidential evidence",
        )
        record_assessment(
            organization,
            non_profit,
            AssessmentOutcome.MET,
            assessed_on=datetime.date(2024, 1, 10),
            evidence="Letters patent, confidential",
        )
        record_assessment(
            organization, rooted, AssessmentOutcome.MET, assessed_on=datetime.date(2024, 2, 1)
        )

        response = client.get(organization.get_absolute_url())
        content = html.unescape(response.content.decode())

        latest = response.context["profile"].latest_assessments
        assert [(a.criterion.code, a.outcome, a.assessed_on) for a in latest] == [
            ("non-profit", AssessmentOutcome.MET, datetime.date(2024, 1, 10)),
            ("rooted", AssessmentOutcome.MET, datetime.date(2024, 2, 1)),
        ]
        assert "Assessment incomplete" in content
        assert "Is a non-profit organization</th><td>Met</td><td>Jan. 10, 2024</td>" in content
        assert "Is rooted in its community</th><td>Met</td><td>Feb. 1, 2024</td>" in content
        assert "May 1, 2022" not in content
        assert "confidential" not in content

    def test_recognized_when_every_criterion_is_met(self, client):
        organization = OrganizationFactory()
        for criterion in AutonomyCriterion.objects.all():
            record_assessment(
                organization,
                criterion,
                AssessmentOutcome.MET,
                assessed_on=datetime.date(2024, 1, 1),
            )

        content = page(client, organization.get_absolute_url())

        assert organization.recognition_status == RecognitionStatus.RECOGNIZED
        assert "Autonomous (every criterion met)" in content
        assert content.count("<td>Met</td>") == 8


class TestLanguages:
    def test_profile_in_the_visitor_language(self, client):
        organization = OrganizationFactory(
            name="Coop santé",
            summary_en="A health co-operative.",
            summary_fr="Une coop de santé.",
            region=Region.objects.get(code="nb"),
            sectors=[Sector.objects.get(code="home-care")],
            constituencies=[Constituency.objects.get(code="seniors")],
        )
        organization.fields_of_activity.set([FieldOfActivity.objects.get(code="mutual-aid")])

        english = page(client, organization.get_absolute_url())
        french = page(client, f"/fr{organization.get_absolute_url()}")

        assert "A health co-operative." in english
        assert "New Brunswick" in english
        assert "Health and social services</a> › <a" in english
        assert "Une coop de santé." in french
        assert "Une coop de santé." not in english
        assert "Nouveau-Brunswick" in french
        assert "Santé et services sociaux</a> › <a" in french
        assert "Soutien à domicile" in french
        assert "Personnes aînées" in french
        assert "Entraide" in french
        assert 'href="/fr/organizations/?sector=home-care"' in french


def full_profile(size: int) -> Organization:
    """A co-operative with `size` regions served, coalition memberships (and members of
    its own), constituencies and assessments, and one of everything else."""
    organization = cooperative(
        f"Coop {size}",
        sectors=list(Sector.objects.exclude(parent=None)[:size]),
        regions_served=list(Region.objects.all()[:size]),
        constituencies=list(Constituency.objects.all()[:size]),
        incorporation_jurisdiction=Region.objects.get(code="qc"),
    )
    organization.fields_of_activity.set(FieldOfActivity.objects.all()[:size])
    for number in range(size):
        join(organization, coalition(f"Coalition {size}-{number}"), start=LONG_AGO)
        join(OrganizationFactory(name=f"Member {size}-{number}"), organization)
    MemberCategory.objects.create(
        organization=organization, category=MemberCategoryKind.USER, count=10
    )
    for criterion in AutonomyCriterion.objects.all()[:size]:
        record_assessment(
            organization, criterion, AssessmentOutcome.MET, assessed_on=datetime.date(2024, 1, 1)
        )
    government = OrganizationFactory(name=f"Ministry {size}", kind=OrganizationKind.GOVERNMENT)
    ServiceAgreement.objects.create(
        government_body=government,
        provider=organization,
        service="Home care",
        start_date=datetime.date(2020, 1, 1),
    )
    return organization


class TestProfileQueryCount:
    """The organization (with its regions), then one query per prefetched relation
    (regions served, sectors with their parents, constituencies, fields of activity,
    memberships with their coalitions, members with their organizations, member
    categories, assessments with their criteria, agreements as provider and as
    government body): 11 whatever the number of rows, empty relations included."""

    def test_constant_whatever_the_number_of_memberships_and_regions(
        self, client, django_assert_num_queries
    ):
        small, large = full_profile(1), full_profile(30)
        assert large.regions_served.count() == 30
        assert large.memberships.count() == 30

        with django_assert_num_queries(11):
            small_page = page(client, small.get_absolute_url())
        with django_assert_num_queries(11):
            large_page = page(client, large.get_absolute_url())

        assert "Coalition 1-0" in small_page
        assert "Coalition 30-29" in large_page
        assert "Member 30-29" in large_page


def test_unknown_profile_is_a_404(client):
    assert client.get("/organizations/no-such-organization/").status_code == 404
