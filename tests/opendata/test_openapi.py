"""The OpenAPI 3.1 description of /api/v1/ is generated from the views, valid, lists
every resource's paths and parameters, and describes what the API answers."""

import jsonschema
import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from openapi_spec_validator import validate

from concertation.factories import CoalitionMembershipFactory, OrganizationFactory
from opendata.openapi import openapi_description
from organizations.models import OrganizationKind
from tests.opendata.support import body_schema

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

LIST = "/api/v1/organizations/"
DETAIL = "/api/v1/organizations/{id}/"


@pytest.fixture
def description(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_description_is_valid_openapi_3_1(description):
    validate(description)

    assert description["openapi"] == "3.1.0"
    assert {LIST, DETAIL} <= set(description["paths"])


def test_drf_spectacular_guesses_nothing():
    """No warning nor error while generating (what `--fail-on-warn` checks for the
    search API): every field and parameter has a type of our choosing."""
    GENERATOR_STATS.reset()

    openapi_description()

    assert not GENERATOR_STATS


def test_it_lists_the_parameters_and_answers_of_each_endpoint(description):
    listing = description["paths"][LIST]["get"]
    detail = description["paths"][DETAIL]["get"]

    query = {p["name"] for p in listing["parameters"] if p["in"] == "query"}
    assert query == {"sector", "region", "constituency", "cursor", "page_size", "fields", "lang"}
    assert {p["name"] for p in detail["parameters"] if p["in"] == "query"} == {"fields", "lang"}
    assert {"200", "304", "400", "429"} <= set(listing["responses"])
    assert {"200", "304", "400", "404", "429"} <= set(detail["responses"])
    fields = next(p for p in listing["parameters"] if p["name"] == "fields")
    assert "recognition_status" in fields["schema"]["pattern"]


def test_the_answers_are_the_bodies_described(client, description):
    coalition = OrganizationFactory(kind=OrganizationKind.COALITION)
    member = CoalitionMembershipFactory(coalition=coalition).organization

    page = client.get(LIST, {"page_size": 1})
    one = client.get(f"/api/v1/organizations/{member.pk}/", {"lang": "fr"})
    refused = client.get(LIST, {"page_size": 0})

    jsonschema.validate(page.json(), body_schema(description, LIST, 200))
    jsonschema.validate(one.json(), body_schema(description, DETAIL, 200))
    jsonschema.validate(refused.json(), body_schema(description, LIST, 400))


def test_the_documentation_page_lists_the_resources_in_both_languages(client):
    english = client.get("/api/v1/")
    french = client.get("/api/v1/", HTTP_ACCEPT_LANGUAGE="fr")

    assert english.status_code == 200
    assert english["Content-Type"].startswith("text/html")
    text = english.content.decode()
    assert "/api/v1/organizations/" in text and "page_size" in text
    assert 'href="http://testserver/api/v1/openapi.json"' in text
    assert french["Content-Language"] == "fr"
    assert '<html lang="fr"' in french.content.decode()
