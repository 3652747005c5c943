"""The search API's description is drf-spectacular's, over the search API alone, and the
API still answers as the plain Django views did before it became DRF views: JSON
whatever the `Accept` header, Django's empty 405, no header of DRF's own."""

import json

import jsonschema
import pytest
from django.core.management import call_command

from search.openapi import openapi_description
from tests.search.archive_corpus import document, put

API = "/api/search/"
ENDPOINTS = [API, f"{API}export.csv", f"{API}export.json"]


def response_schema(path: str, status: int, media_type: str = "application/json") -> dict:
    """The described body of `status` on `path`, resolvable on its own."""
    description = openapi_description()
    answer = description["paths"][path]["get"]["responses"][str(status)]
    schema = answer["content"][media_type]["schema"]
    return {**schema, "components": description["components"]}


@pytest.mark.django_db
def test_drf_spectacular_validates_the_description_without_a_warning(tmp_path):
    """`manage.py spectacular --validate --fail-on-warn`, as CI could run it: the
    description is valid OpenAPI and drf-spectacular guessed nothing."""
    written = tmp_path / "openapi.json"

    call_command(
        "spectacular", validate=True, fail_on_warn=True, format="openapi-json", file=str(written)
    )

    described = json.loads(written.read_text())
    assert described["openapi"] == "3.1.0"
    assert set(described["paths"]) == set(ENDPOINTS)


@pytest.mark.django_db
def test_only_the_search_api_is_described(client):
    """Wagtail's admin API is DRF too; it is not part of the public description."""
    description = client.get(f"{API}openapi.json").json()

    assert set(description["paths"]) == set(ENDPOINTS)
    assert description["info"]["title"] == "Concertation archive search"


@pytest.mark.django_db
@pytest.mark.elasticsearch
def test_a_page_with_hits_and_facets_and_a_refusal_are_the_bodies_described(client, archive_index):
    put(
        [
            document("organization", 1, "Maison des jeunes", "Housing.", sector=["youth"]),
            document("policy_version", 2, "Housing policy", "Housing.", language="en"),
        ]
    )

    found = client.get(API, {"q": "housing"})
    refused = client.get(API, {"from": "2024-02-02", "to": "2024-01-01"})

    assert found.status_code == 200
    body = found.json()
    assert body["total"] == 2 and body["facets"]["kind"]
    jsonschema.validate(body, response_schema(API, 200))
    assert refused.status_code == 400
    jsonschema.validate(refused.json(), response_schema(API, 400))


@pytest.mark.django_db
@pytest.mark.elasticsearch
def test_an_export_record_is_the_one_described(client, archive_index):
    put([document("organization", 1, "Maison des jeunes", "Housing.")])

    response = client.get(f"{API}export.json")

    records = json.loads(b"".join(response.streaming_content))
    assert len(records) == 1
    jsonschema.validate(records, response_schema(f"{API}export.json", 200))


@pytest.mark.django_db
def test_the_api_answers_json_whatever_the_client_accepts(client, settings):
    settings.ELASTICSEARCH_URL = ""

    response = client.get(API, {"q": "maison"}, headers={"accept": "text/html"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "Allow" not in response


@pytest.mark.django_db
@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("method", ["post", "put", "delete", "head", "options"])
def test_other_methods_are_djangos_empty_405(client, admin_user, path, method):
    """Refused before the session is read: a signed-in visitor without a CSRF token gets
    the same 405, not a CSRF 403."""
    client.force_login(admin_user)
    client.handler.enforce_csrf_checks = True

    response = getattr(client, method)(path)

    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.content == b""
