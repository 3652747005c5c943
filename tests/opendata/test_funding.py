"""The programmes, budgets and allocations of /api/v1/: what the funding pages show the
caller and nothing more — published allocations for everyone, never a draft or an
approved one to the public, dates and notes only to the organization's editors and the
programme's finance staff, budgets only to those the admin shows them to — their
filters and refusals, constant queries per page, French labels, and answers matching
the OpenAPI description."""

import datetime
from decimal import Decimal

import jsonschema
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import APIToken

from concertation.factories import OrganizationFactory, ProgrammeFactory
from organizations.funding.models import ProgrammeBudget
from organizations.funding.permissions import grant_programme
from organizations.funding.services import record_allocation
from organizations.models import OrganizationKind, Region, Sector
from organizations.permissions import grant_editor
from tests.factories import UserFactory
from tests.opendata.support import body_schema, ids, queries_per_page, refused

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

API = "/api/v1/"
PROGRAMMES, BUDGETS, ALLOCATIONS = f"{API}programmes/", f"{API}budgets/", f"{API}allocations/"


def as_user(user, url: str, params: dict | None = None) -> tuple[int, dict]:
    """The API's answer to a token standing for `user`."""
    secret = APIToken.create_token(user=user, name="A script")[1]
    response = Client().get(url, params or {}, HTTP_AUTHORIZATION=f"Bearer {secret}")
    return response.status_code, response.json()


def with_budgets(programme, amounts: dict[int, int]):
    for year, amount in amounts.items():
        ProgrammeBudget.objects.create(programme=programme, fiscal_year=year, amount=amount)
    return programme


@pytest.fixture
def story():
    """Two programmes; published allocations to a Montréal home-care group (2000, 2001,
    the second with dates and a note) and to a Laval housing group (2001, moved from
    the first programme); an approved one and a draft for the Montréal group."""
    recorder = UserFactory(username="recorder", is_superuser=True)
    funder = OrganizationFactory(name="Secrétariat", kind=OrganizationKind.GOVERNMENT)
    mission = with_budgets(
        ProgrammeFactory(name="Mission", funder=funder, mode="global_mission"),
        {2000: 100_000, 2001: 200_000},
    )
    projects = with_budgets(
        ProgrammeFactory(name="Projects", funder=funder, mode="project", first_fiscal_year=2001),
        {2001: 100_000},
    )
    montreal = OrganizationFactory(
        name="Entraide Montréal",
        region=Region.objects.get(code="qc-06"),
        sectors=[Sector.objects.get(code="home-care")],
    )
    laval = OrganizationFactory(
        name="Logement Laval",
        region=Region.objects.get(code="qc-13"),
        sectors=[Sector.objects.get(code="housing")],
    )

    def allocate(organization, programme, year, amount, status="published", **fields):
        return record_allocation(
            recorder,
            organization=organization,
            programme=programme,
            fiscal_year=year,
            amount=Decimal(amount),
            status=status,
            **fields,
        )

    return {
        "mission": mission,
        "projects": projects,
        "funder": funder,
        "montreal": montreal,
        "laval": laval,
        "montreal_2000": allocate(montreal, mission, 2000, 50_000),
        "montreal_2001": allocate(
            montreal,
            mission,
            2001,
            "60000.50",
            starts_on=datetime.date(2001, 4, 1),
            ends_on=datetime.date(2002, 3, 31),
            notes="Indexed",
        ),
        "laval_2001": allocate(
            laval,
            projects,
            2001,
            30_000,
            origin="reallocated",
            reallocated_from_programme=mission,
        ),
        "approved": allocate(montreal, projects, 2001, 7_000, status="approved"),
        "draft": allocate(montreal, mission, 2001, 9_000, status="draft", notes="Draft note"),
    }


def published(story) -> list[int]:
    return sorted(story[name].pk for name in ("montreal_2000", "montreal_2001", "laval_2001"))


def test_an_allocation_with_what_the_pages_show_the_public(client, story):
    record = client.get(f"{ALLOCATIONS}{story['montreal_2001'].pk}/").json()

    assert record == {
        "id": story["montreal_2001"].pk,
        "organization": {"id": story["montreal"].pk, "name": "Entraide Montréal"},
        "programme": {"id": story["mission"].pk, "name": "Mission", "slug": "mission"},
        "funder": {"id": story["funder"].pk, "name": "Secrétariat"},
        "fiscal_year": 2001,
        "amount": "60000.50",
        "currency": "CAD",
        "mode": {"id": "global_mission", "label": "Global mission support"},
        "origin": {"id": "new", "label": "New money"},
        "reallocated_from_programme": None,
        "reallocated_from_sector": None,
        "status": {"id": "published", "label": "Published"},
        # Dates and notes are the editors' and finance staff's, not the public's.
        "starts_on": None,
        "ends_on": None,
        "notes": None,
    }
    moved = client.get(f"{ALLOCATIONS}{story['laval_2001'].pk}/").json()
    assert moved["origin"]["id"] == "reallocated"
    assert moved["reallocated_from_programme"]["id"] == story["mission"].pk


def test_the_public_never_gets_an_approved_or_draft_allocation(client, story):
    assert ids(client.get(ALLOCATIONS)) == published(story)
    for hidden in ("approved", "draft"):
        assert client.get(f"{ALLOCATIONS}{story[hidden].pk}/").status_code == 404
    assert ids(client.get(ALLOCATIONS, {"organization": story["montreal"].pk})) == [
        story["montreal_2000"].pk,
        story["montreal_2001"].pk,
    ]
    assert ids(client.get(ALLOCATIONS, {"programme": story["projects"].pk})) == [
        story["laval_2001"].pk
    ]


def test_an_editor_gets_their_organization_s_approved_allocation_and_its_details(story):
    editor = UserFactory(username="montreal-editor")
    grant_editor(editor, story["montreal"])

    status, page = as_user(editor, ALLOCATIONS)
    by_id = {record["id"]: record for record in page["results"]}

    assert status == 200
    assert sorted(by_id) == sorted([*published(story), story["approved"].pk])
    assert by_id[story["approved"].pk]["status"]["id"] == "approved"
    assert by_id[story["montreal_2001"].pk]["starts_on"] == "2001-04-01"
    assert by_id[story["montreal_2001"].pk]["notes"] == "Indexed"
    # Another organization's details stay hidden from them.
    assert by_id[story["laval_2001"].pk]["notes"] is None
    assert as_user(editor, f"{ALLOCATIONS}{story['draft'].pk}/")[0] == 404


def test_a_programme_s_finance_staff_get_its_drafts_and_nothing_of_another(story):
    staff = UserFactory(username="mission-finance")
    grant_programme(staff, story["mission"])

    _status, page = as_user(staff, ALLOCATIONS)
    by_id = {record["id"]: record for record in page["results"]}

    assert story["draft"].pk in by_id and story["approved"].pk not in by_id
    assert by_id[story["draft"].pk]["notes"] == "Draft note"
    assert by_id[story["laval_2001"].pk]["notes"] is None
    budgets = as_user(staff, BUDGETS)[1]["results"]
    assert {budget["programme"]["id"] for budget in budgets} == {story["mission"].pk}


def test_budgets_only_for_those_the_admin_shows_them_to(client, story):
    secretariat = UserFactory(username="secretariat", is_superuser=True)

    assert ids(client.get(BUDGETS)) == []
    assert client.get(f"{BUDGETS}{story['mission'].budgets.first().pk}/").status_code == 404
    _status, page = as_user(secretariat, BUDGETS, {"programme": story["mission"].pk})
    assert [(b["fiscal_year"], b["amount"], b["currency"]) for b in page["results"]] == [
        (2000, "100000.00", "CAD"),
        (2001, "200000.00", "CAD"),
    ]
    assert as_user(secretariat, BUDGETS, {"year": "2001"})[1]["results"][-1]["programme"] == {
        "id": story["projects"].pk,
        "name": "Projects",
        "slug": "projects",
    }


def test_a_programme_with_its_funder_and_explorer_link(client, story):
    record = client.get(f"{PROGRAMMES}{story['projects'].pk}/").json()

    assert record["funder"] == {"id": story["funder"].pk, "name": "Secrétariat"}
    assert record["mode"] == {"id": "project", "label": "Project"}
    assert (record["first_fiscal_year"], record["last_fiscal_year"]) == (2001, 2005)
    assert record["url"] == "http://testserver/funding/?programme=projects"
    assert ids(client.get(PROGRAMMES, {"year": "2000"})) == [story["mission"].pk]
    assert ids(client.get(PROGRAMMES, {"mode": "project"})) == [story["projects"].pk]
    assert len(ids(client.get(PROGRAMMES, {"funder": story["funder"].pk}))) == 2
    assert ids(client.get(PROGRAMMES, {"funder": story["montreal"].pk})) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2000"}, ["montreal_2000"]),
        ({"mode": "project"}, ["laval_2001"]),
        ({"region": "qc-13"}, ["laval_2001"]),
        ({"region": "qc"}, ["montreal_2000", "montreal_2001", "laval_2001"]),
        ({"sector": "health-social"}, ["montreal_2000", "montreal_2001"]),
        ({"sector": ["housing", "home-care"], "year": "2001"}, ["montreal_2001", "laval_2001"]),
    ],
)
def test_allocations_by_year_mode_region_and_sector(client, story, params, expected):
    assert ids(client.get(ALLOCATIONS, params)) == sorted(story[name].pk for name in expected)


@pytest.mark.parametrize(
    ("url", "params", "parameter"),
    [
        (ALLOCATIONS, {"year": "01"}, "year"),
        (ALLOCATIONS, {"programme": "mission"}, "programme"),
        (ALLOCATIONS, {"programme": "999999"}, "programme"),
        (ALLOCATIONS, {"organization": "999999"}, "organization"),
        (ALLOCATIONS, {"mode": "grant"}, "mode"),
        (ALLOCATIONS, {"region": "atlantis"}, "region"),
        (ALLOCATIONS, {"sector": "no such sector!"}, "sector"),
        (ALLOCATIONS, {"status": "draft"}, "status"),
        (BUDGETS, {"programme": "0"}, "programme"),
        (PROGRAMMES, {"funder": "999999"}, "funder"),
        (PROGRAMMES, {"year": "later"}, "year"),
        (PROGRAMMES, {"fields": "id,budget"}, "fields"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(client, story, url, params, parameter):
    assert refused(client.get(url, params)) == parameter


def test_french_labels(client, story):
    record = client.get(f"{ALLOCATIONS}{story['laval_2001'].pk}/", {"lang": "fr"}).json()
    programme = client.get(f"{PROGRAMMES}{story['mission'].pk}/", HTTP_ACCEPT_LANGUAGE="fr").json()

    assert record["mode"]["label"] == "Projet"
    assert record["origin"]["label"] != "Reallocated from elsewhere"
    assert programme["url"].startswith("http://testserver/fr/")
    assert programme["url"].endswith("?programme=mission")


@pytest.fixture
def thirty_allocations():
    """Thirty programmes with a budget each and a published allocation, reallocated from
    the programme and a sub-sector (every relation answered)."""
    recorder = UserFactory(username="recorder", is_superuser=True)
    sector = Sector.objects.get(code="housing")
    for _number in range(30):
        programme = with_budgets(ProgrammeFactory(), {2000: 1_000})
        record_allocation(
            recorder,
            organization=OrganizationFactory(),
            programme=programme,
            fiscal_year=2000,
            amount=Decimal(100),
            status="published",
            origin="reallocated",
            reallocated_from_sector=sector,
            reallocated_from_programme=programme,
        )
    return recorder


@pytest.mark.parametrize("url", [PROGRAMMES, ALLOCATIONS])
def test_a_page_of_5_and_a_page_of_25_cost_the_same_queries(client, thirty_allocations, url):
    counts = queries_per_page(client, url)

    assert counts[5] == counts[25]


def test_a_page_of_budgets_or_detailed_allocations_costs_the_same_queries(thirty_allocations):
    """Budgets (the public sees none) and allocations with their details, as staff."""
    staff = thirty_allocations
    for url in (BUDGETS, ALLOCATIONS):
        as_user(staff, url, {"page_size": 1})
        counts = []
        for size in (5, 25):
            with CaptureQueriesContext(connection) as queries:
                _status, body = as_user(staff, url, {"page_size": size})
            assert len(body["results"]) == size
            counts.append(len(queries))
        assert counts[0] == counts[1], url


def test_the_answers_are_the_bodies_described(client, story):
    description = client.get("/api/v1/openapi.json").json()
    staff = UserFactory(username="mission-finance")
    grant_programme(staff, story["mission"])
    answers = [
        (PROGRAMMES, client.get(PROGRAMMES)),
        (f"{API}programmes/{{id}}/", client.get(f"{PROGRAMMES}{story['mission'].pk}/")),
        (ALLOCATIONS, client.get(ALLOCATIONS, {"lang": "fr"})),
        (f"{API}allocations/{{id}}/", client.get(f"{ALLOCATIONS}{story['laval_2001'].pk}/")),
        (BUDGETS, client.get(BUDGETS)),
    ]

    for path, response in answers:
        assert response.status_code == 200, (path, response.content)
        jsonschema.validate(response.json(), body_schema(description, path, 200))
    for path in (BUDGETS, ALLOCATIONS):
        _status, body = as_user(staff, path)
        assert body["results"]
        jsonschema.validate(body, body_schema(description, path, 200))
    jsonschema.validate(
        client.get(ALLOCATIONS, {"mode": "grant"}).json(),
        body_schema(description, ALLOCATIONS, 400),
    )
    query = {p["name"] for p in description["paths"][ALLOCATIONS]["get"]["parameters"]}
    assert {"programme", "organization", "year", "mode", "sector", "region"} <= query
