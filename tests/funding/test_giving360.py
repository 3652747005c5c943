"""The 360Giving export: valid against the standard's own JSON Schemas (copied in
organizations/standards/360giving/), published allocations only, whoever asks, as JSON
and as a spreadsheet under the standard's column titles."""

import datetime
import json
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from organizations.funding.giving360 import Publisher, grants_package, stream_package
from organizations.funding.giving360_spreadsheet import HEADERS, grants_workbook
from organizations.funding.models import (
    Allocation,
    AllocationStatus,
    MoneyOrigin,
    Programme,
    ProgrammeBudget,
)
from organizations.funding.permissions import grant_programme
from organizations.models import Sector
from tests.factories import OrganizationFactory, SectorFactory, UserFactory
from tests.funding.giving360_schema import GRANT, PACKAGE, errors

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PUBLISHER = Publisher(name="Concertation", identifier="360G-test-publisher")
ISSUED = datetime.date(2026, 7, 1)


@pytest.fixture
def funding():
    """Two programmes of one funder; two published allocations (one new, one
    reallocated with dates and cents), one approved and one draft."""
    funder = OrganizationFactory(kind="government", name="Secrétariat à l'action")
    health = Programme.objects.create(
        name="Santé et services sociaux",
        slug="sante",
        funder=funder,
        mode="global_mission",
        first_fiscal_year=2000,
    )
    mission = Programme.objects.create(
        name="Mission globale",
        slug="mission",
        funder=funder,
        mode="global_mission",
        first_fiscal_year=2000,
    )
    for programme in (health, mission):
        ProgrammeBudget.objects.create(programme=programme, fiscal_year=2001, amount=10**6)
    health_sector = SectorFactory(code="health-x", name_en="Health", name_fr="Santé")
    women = OrganizationFactory(name="Centre des femmes")
    youth = OrganizationFactory(name="Maison des jeunes")

    def allocate(organization, status, amount, **fields):
        return Allocation.objects.create(
            organization=organization,
            programme=fields.pop("programme", mission),
            fiscal_year=2001,
            amount=Decimal(amount),
            mode="global_mission",
            origin=fields.pop("origin", MoneyOrigin.NEW),
            status=status,
            **fields,
        )

    return {
        "new": allocate(women, AllocationStatus.PUBLISHED, "80000"),
        "moved": allocate(
            youth,
            AllocationStatus.PUBLISHED,
            "12500.50",
            origin=MoneyOrigin.REALLOCATED,
            reallocated_from_programme=health,
            reallocated_from_sector=health_sector,
            starts_on=datetime.date(2001, 9, 1),
            ends_on=datetime.date(2002, 6, 30),
        ),
        "approved": allocate(women, AllocationStatus.APPROVED, "5000", programme=health),
        "draft": allocate(youth, AllocationStatus.DRAFT, "7000", programme=health),
        "health": health,
        "funder": funder,
    }


def package(**options) -> dict:
    return grants_package(Allocation.objects.all(), publisher=PUBLISHER, issued=ISSUED, **options)


class TestPackage:
    def test_validates_against_the_package_schema_and_each_grant_against_the_grant_schema(
        self, funding
    ):
        data = package(download_url="https://example.org/funding/360giving.json")

        assert errors(PACKAGE, data) == []
        assert len(data["grants"]) == 2
        for grant in data["grants"]:
            assert errors(GRANT, grant) == []

    def test_the_validators_do_refuse_what_the_standard_refuses(self, funding):
        grant = package()["grants"][0]

        assert errors(GRANT, {**grant, "awardDate": "2001-13-01"})
        assert errors(GRANT, {**grant, "currency": "XYZ"})
        assert errors(GRANT, {k: v for k, v in grant.items() if k != "recipientOrganization"})
        assert errors(PACKAGE, {"grants": [grant], "version": "1.4.3"})

    def test_only_published_allocations_whatever_queryset_is_passed(self, funding):
        data = grants_package(
            Allocation.objects.filter(pk__in=[a.pk for a in Allocation.objects.all()]),
            publisher=PUBLISHER,
        )

        ids = {grant["id"] for grant in data["grants"]}
        assert ids == {
            f"360G-concertation-allocation-{funding['new'].pk}",
            f"360G-concertation-allocation-{funding['moved'].pk}",
        }
        text = json.dumps(data)
        assert "5000" not in text and "7000" not in text

    @override_settings(GIVING360_PREFIX="360G-test")
    def test_a_grant_carries_the_allocation_and_where_its_money_comes_from(self, funding):
        grants = {grant["amountAwarded"]: grant for grant in package()["grants"]}
        new, moved = grants[80000], grants[12500.5]
        organization = funding["moved"].organization

        assert moved["id"] == f"360G-test-allocation-{funding['moved'].pk}"
        assert moved["currency"] == "CAD"
        assert moved["awardDate"] == "2001-09-01"
        assert moved["plannedDates"] == [{"startDate": "2001-09-01", "endDate": "2002-06-30"}]
        assert moved["recipientOrganization"] == [
            {"id": f"360G-test-org-{organization.pk}", "name": "Maison des jeunes"}
        ]
        assert moved["fundingOrganization"] == [
            {"id": f"360G-test-org-{funding['funder'].pk}", "name": "Secrétariat à l'action"}
        ]
        assert moved["grantProgramme"] == [{"code": "mission", "title": "Mission globale"}]
        classified = {c["vocabulary"]: c["code"] for c in moved["classifications"]}
        assert classified == {
            "360G-test-fiscal-year": "2001",
            "360G-test-funding-mode": "global_mission",
            "360G-test-money-origin": "reallocated",
            "360G-test-reallocated-from-programme": "sante",
            "360G-test-reallocated-from-sector": "health-x",
        }
        assert "Santé et services sociaux" in moved["description"]
        # No dates: awarded at the start of the fiscal year, no planned dates.
        assert new["awardDate"] == "2001-04-01"
        assert "plannedDates" not in new
        assert {c["code"] for c in new["classifications"]} >= {"new"}
        assert "2001–2002" in new["title"]

    def test_the_package_says_who_publishes_it_and_under_which_licence(self, funding):
        data = package()

        assert data["publisher"] == {"name": "Concertation", "identifier": "360G-test-publisher"}
        assert data["issued"] == "2026-07-01"
        assert data["version"] == "1.4"
        assert data["license"].startswith("https://creativecommons.org/")

    def test_an_empty_package_breaks_no_rule_but_the_standards_at_least_one_grant(self):
        """The package schema requires one grant or more (minItems): with nothing
        published, the package is otherwise valid and says so by its empty list."""
        data = package()

        assert data["grants"] == []
        violations = list(PACKAGE.iter_errors(data))
        assert [(v.validator, list(v.absolute_path)) for v in violations] == [
            ("minItems", ["grants"])
        ]

    def test_the_stream_parses_to_the_same_package(self, funding):
        streamed = "".join(
            stream_package(
                Allocation.objects.all(), publisher=PUBLISHER, issued=ISSUED, chunk_size=1
            )
        )

        assert json.loads(streamed) == package()
        assert (
            json.loads("".join(stream_package(Allocation.objects.none(), publisher=PUBLISHER)))[
                "grants"
            ]
            == []
        )

    def test_queries_do_not_grow_with_the_number_of_grants(
        self, funding, django_assert_max_num_queries
    ):
        for _ in range(20):
            Allocation.objects.create(
                organization=funding["new"].organization,
                programme=funding["health"],
                fiscal_year=2001,
                amount=Decimal(100),
                mode="project",
                origin=MoneyOrigin.REALLOCATED,
                reallocated_from_sector=Sector.objects.get(code="health-x"),
                status=AllocationStatus.PUBLISHED,
            )
        with django_assert_max_num_queries(2):
            assert len(package()["grants"]) == 22


def sheet_rows(content: bytes) -> list[tuple]:
    workbook = load_workbook(BytesIO(content))
    assert workbook.sheetnames == ["grants"]
    return list(workbook["grants"].iter_rows(values_only=True))


class TestSpreadsheet:
    def test_header_row_then_one_row_per_published_allocation(self, funding):
        header, *rows = sheet_rows(grants_workbook(Allocation.objects.all()))

        assert list(header) == HEADERS
        assert header[:6] == (
            "Identifier",
            "Title",
            "Description",
            "Currency",
            "Amount Awarded",
            "Award Date",
        )
        for title in (
            "Recipient Org:Identifier",
            "Recipient Org:Name",
            "Funding Org:Identifier",
            "Funding Org:Name",
            "Grant Programme:Title",
            "Planned Dates:Start Date",
        ):
            assert title in header
        by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
        assert set(by_id) == {
            f"360G-concertation-allocation-{funding['new'].pk}",
            f"360G-concertation-allocation-{funding['moved'].pk}",
        }
        moved = by_id[f"360G-concertation-allocation-{funding['moved'].pk}"]
        assert moved["Amount Awarded"] == 12500.5
        assert moved["Currency"] == "CAD"
        assert moved["Award Date"].date() == datetime.date(2001, 9, 1)
        assert moved["Recipient Org:Name"] == "Maison des jeunes"
        assert moved["Money Origin:Code"] == "reallocated"
        assert moved["Reallocated From Programme:Code"] == "sante"
        assert moved["Reallocated From Sub-sector:Code"] == "health-x"
        new = by_id[f"360G-concertation-allocation-{funding['new'].pk}"]
        assert new["Amount Awarded"] == 80000
        assert new["Planned Dates:Start Date"] is None
        assert new["Reallocated From Programme:Code"] is None

    def test_a_name_that_looks_like_a_formula_is_text_not_a_formula(self, funding):
        youth = funding["moved"].organization
        youth.__class__.objects.filter(pk=youth.pk).update(name='=HYPERLINK("http://x","y")')

        workbook = load_workbook(BytesIO(grants_workbook(Allocation.objects.all())))
        sheet = workbook["grants"]
        header = [cell.value for cell in sheet[1]]
        column = header.index("Recipient Org:Name")
        cells = [row[column] for row in sheet.iter_rows(min_row=2)]

        hostile = next(cell for cell in cells if "HYPERLINK" in str(cell.value))
        assert hostile.value == '=HYPERLINK("http://x","y")'
        assert hostile.data_type == "s"

    def test_an_empty_export_has_its_header_row(self):
        assert sheet_rows(grants_workbook(Allocation.objects.all())) == [tuple(HEADERS)]


class TestEndpoints:
    @pytest.fixture
    def finance_staff(self, client, funding):
        """Someone who sees the drafts and approved allocations on the funding pages."""
        user = UserFactory(username="finance")
        grant_programme(user, funding["health"])
        client.force_login(user)
        return user

    def test_json_answers_everyone_with_the_published_allocations(
        self, client, funding, finance_staff
    ):
        response = client.get(reverse("funding_360giving_json"))

        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        data = json.loads(b"".join(response.streaming_content))
        assert errors(PACKAGE, data) == []
        assert {grant["amountAwarded"] for grant in data["grants"]} == {80000, 12500.5}
        assert data["downloadURL"] == "http://testserver/funding/360giving.json"

    def test_xlsx_answers_everyone_with_the_published_allocations(
        self, client, funding, finance_staff
    ):
        response = client.get(reverse("funding_360giving_xlsx"))

        assert response.status_code == 200
        assert response["Content-Type"] == XLSX
        assert "360giving.xlsx" in response["Content-Disposition"]
        header, *rows = sheet_rows(response.content)
        amounts = sorted(row[header.index("Amount Awarded")] for row in rows)
        assert amounts == [12500.5, 80000]

    def test_both_answer_an_anonymous_visitor_in_french_too(self, client, funding):
        assert client.get("/fr/funding/360giving.xlsx").status_code == 200
        response = client.get("/fr/funding/360giving.json")
        assert response.status_code == 200
        assert errors(PACKAGE, json.loads(b"".join(response.streaming_content))) == []

    def test_with_nothing_published_the_files_still_answer(self, client):
        response = client.get(reverse("funding_360giving_json"))
        assert response.status_code == 200
        assert json.loads(b"".join(response.streaming_content))["grants"] == []
        response = client.get(reverse("funding_360giving_xlsx"))
        assert response.status_code == 200
        assert sheet_rows(response.content) == [tuple(HEADERS)]

    def test_only_get(self, client):
        assert client.post(reverse("funding_360giving_json")).status_code == 405
