"""The organizations resource of /api/v1/: what it answers (the profile's public
fields, in the request's language), its filters, `fields=`, cursor pages and refusals."""

import datetime

import pytest

from concertation.factories import (
    AutonomyAssessmentFactory,
    CoalitionMembershipFactory,
    ConstituencyFactory,
    OrganizationFactory,
    RegionFactory,
    SectorFactory,
)
from organizations.models import OrganizationKind, RecognitionStatus
from tests.opendata.support import ids, queries_per_page

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

API = "/api/v1/organizations/"


def test_the_list_answers_a_page_of_organizations_with_their_public_fields(client):
    housing = SectorFactory(code="api-housing", name_en="Housing", name_fr="Logement")
    tenants = SectorFactory(
        code="api-tenants", name_en="Tenants", name_fr="Locataires", parent=housing
    )
    organization = OrganizationFactory(
        name="Comité logement", sectors=[tenants], summary_en="Tenants' rights."
    )

    response = client.get(API)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["next"] is None and body["previous"] is None
    [record] = body["results"]
    assert record["id"] == organization.pk
    assert record["name"] == "Comité logement"
    assert record["kind"] == {
        "id": "autonomous_community",
        "label": "Autonomous community organization",
    }
    assert record["sectors"] == [{"id": "api-tenants", "label": "Tenants", "parent": "api-housing"}]
    assert record["summary"] == "Tenants' rights."
    assert record["url"] == f"http://testserver/organizations/{organization.slug}/"
    assert record["recognition_status"]["id"] == RecognitionStatus.NOT_ASSESSED


def test_one_organization_with_its_coalitions_and_members(client):
    coalition = OrganizationFactory(name="Coalition", kind=OrganizationKind.COALITION)
    member = OrganizationFactory(name="Member")
    CoalitionMembershipFactory(
        organization=member,
        coalition=coalition,
        role="member",
        start_date=datetime.date(2001, 1, 1),
        end_date=None,
    )

    of_member = client.get(f"{API}{member.pk}/").json()
    of_coalition = client.get(f"{API}{coalition.pk}/").json()

    assert of_member["coalitions"] == [
        {
            "coalition": {"id": coalition.pk, "name": "Coalition"},
            "role": {"id": "member", "label": "Member"},
            "start": "2001-01-01",
            "end": None,
        }
    ]
    assert of_coalition["members"][0]["organization"] == {"id": member.pk, "name": "Member"}
    assert of_coalition["coalitions"] == []


@pytest.mark.parametrize("record", ["999999", "99999999999999999999999"])
def test_an_unknown_id_is_a_404_in_the_error_shape(client, record):
    response = client.get(f"{API}{record}/")

    assert response.status_code == 404
    assert response.json()["error"]["parameter"] == "id"


def test_what_the_profile_does_not_show_is_never_answered(client):
    """The autonomy assessments' evidence and assessor, the finances of a
    non-co-operative, and a government body's recognition status stay off the API as
    they stay off the public profile."""
    organization = OrganizationFactory(gross_revenue=123456, assets=654321)
    AutonomyAssessmentFactory(organization=organization, evidence="Confidential minutes")
    government = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)

    text = client.get(f"{API}{organization.pk}/").content.decode()
    body = client.get(f"{API}{government.pk}/").json()

    assert "Confidential minutes" not in text
    assert "123456" not in text and "654321" not in text
    assert "gross_revenue" not in text and "assessor" not in text
    assert body["recognition_status"] is None


@pytest.mark.parametrize("parameter", ["sector", "region", "constituency"])
def test_each_filter_selects_the_organizations_classified_under_a_term_or_its_children(
    client, parameter
):
    parent = {
        "sector": SectorFactory,
        "region": RegionFactory,
        "constituency": ConstituencyFactory,
    }[parameter](code="chosen")
    child = parent.__class__.objects.create(
        code="chosen-child",
        name_en="Child",
        name_fr="Enfant",
        parent=parent,
        **({"kind": parent.kind} if parameter == "region" else {}),
    )
    relation = {"sector": "sectors", "region": "regions_served", "constituency": "constituencies"}
    under_parent = OrganizationFactory(**{relation[parameter]: [parent]})
    under_child = OrganizationFactory(**{relation[parameter]: [child]})
    OrganizationFactory()

    assert sorted(ids(client.get(API, {parameter: "chosen"}))) == sorted(
        [under_parent.pk, under_child.pk]
    )
    assert ids(client.get(API, {parameter: "chosen-child"})) == [under_child.pk]


def test_a_region_filter_matches_the_head_office_too(client):
    region = RegionFactory(code="qc-06")
    at_head_office = OrganizationFactory(region=region)
    OrganizationFactory()

    assert ids(client.get(API, {"region": "qc-06"})) == [at_head_office.pk]


def test_fields_chooses_the_fields_answered(client):
    organization = OrganizationFactory(name="Chosen")

    listed = client.get(API, {"fields": "id,name"}).json()["results"]
    one = client.get(f"{API}{organization.pk}/", {"fields": "url"}).json()

    assert listed == [{"id": organization.pk, "name": "Chosen"}]
    assert list(one) == ["url"]


def test_a_cursor_walk_over_three_pages_sees_every_organization_once(client):
    created = sorted(OrganizationFactory().pk for _ in range(6))

    seen, pages, url, params = [], [], API, {"page_size": 2}
    while url:
        body = client.get(url, params).json()
        pages.append(body)
        seen += [record["id"] for record in body["results"]]
        url, params = body["next"], None

    assert seen == created
    assert len(pages) == 3
    assert pages[0]["previous"] is None
    back = client.get(pages[2]["previous"]).json()
    assert [record["id"] for record in back["results"]] == created[2:4]
    assert "page_size=2" in pages[1]["next"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"colour": "red"}, "colour"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"lang": "de"}, "lang"),
        ({"lang": ["en", "fr"]}, "lang"),
        ({"fields": "id,password"}, "fields"),
        ({"sector": "no-such-sector"}, "sector"),
        ({"region": "bad code!"}, "region"),
    ],
)
def test_a_refused_parameter_is_a_400_naming_it(client, params, parameter):
    OrganizationFactory()

    response = client.get(API, params)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["parameter"] == parameter
    assert error["message"]


def test_the_detail_refuses_list_parameters(client):
    organization = OrganizationFactory()

    response = client.get(f"{API}{organization.pk}/", {"page_size": "2"})

    assert response.status_code == 400
    assert response.json()["error"]["parameter"] == "page_size"


def test_french_labels_with_lang_and_with_accept_language(client):
    OrganizationFactory(
        sectors=[SectorFactory(code="api-housing", name_en="Housing", name_fr="Logement")],
        summary_en="In English.",
        summary_fr="En français.",
    )

    by_parameter = client.get(API, {"lang": "fr"})
    by_header = client.get(API, HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9,en;q=0.5")
    in_english = client.get(API, HTTP_ACCEPT_LANGUAGE="de,en;q=0.5")

    for response in (by_parameter, by_header):
        assert response["Content-Language"] == "fr"
        [record] = response.json()["results"]
        assert record["sectors"][0]["label"] == "Logement"
        assert record["kind"]["label"] == "Organisme communautaire autonome"
        assert record["summary"] == "En français."
        assert "/fr/organizations/" in record["url"]
    assert in_english["Content-Language"] == "en"
    assert in_english.json()["results"][0]["sectors"][0]["label"] == "Housing"
    assert "Accept-Language" in by_header["Vary"]


def test_a_page_of_5_and_a_page_of_25_cost_the_same_queries(client):
    """Every organization has sectors, regions served, constituencies and a coalition:
    the page's relations are prefetched, not read one organization at a time."""
    coalition = OrganizationFactory(kind=OrganizationKind.COALITION)
    for _ in range(30):
        organization = OrganizationFactory(
            regions_served=[RegionFactory()], constituencies=[ConstituencyFactory()]
        )
        CoalitionMembershipFactory(organization=organization, coalition=coalition)

    counts = queries_per_page(client, API)

    assert counts[5] == counts[25]
