"""The conventions every resource of /api/v1/ shares: conditional requests, CORS for
reads on /api/v1/ only, the rate limit, other methods refused, bad input refused naming
the parameter; and the fixes of what schemathesis found (test_schemathesis.py)."""

import jsonschema
import pytest
from django.test import override_settings
from django.urls import get_resolver
from django.utils.http import http_date

from concertation.factories import OrganizationFactory
from opendata.parameters import CalendarYear, ChoiceOf, Codes, IsoDay, RecordId
from opendata.resources import registry
from tests.opendata.support import body_schema

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

API = "/api/v1/organizations/"


def test_if_none_match_with_the_etag_answers_304(client):
    organization = OrganizationFactory()
    first = client.get(f"{API}{organization.pk}/")

    again = client.get(f"{API}{organization.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    stale = client.get(f"{API}{organization.pk}/", HTTP_IF_NONE_MATCH='"something-else"')

    assert first.status_code == 200 and first["ETag"].startswith('"')
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert stale.status_code == 200


def test_the_etag_changes_with_the_record_and_the_language(client):
    organization = OrganizationFactory(name="Before")
    before = client.get(API)["ETag"]
    in_french = client.get(API, {"lang": "fr"})["ETag"]

    organization.name = "After"
    organization.save()

    assert client.get(API, HTTP_IF_NONE_MATCH=before).status_code == 200
    assert in_french != before


def test_if_modified_since_answers_304_until_the_record_changes(client):
    organization = OrganizationFactory()
    first = client.get(API)
    last_modified = first["Last-Modified"]

    unchanged = client.get(API, HTTP_IF_MODIFIED_SINCE=last_modified)
    older = client.get(
        API, HTTP_IF_MODIFIED_SINCE=http_date(organization.updated_at.timestamp() - 3600)
    )

    assert last_modified == http_date(organization.updated_at.timestamp())
    assert unchanged.status_code == 304
    assert older.status_code == 200


def test_reads_of_the_api_may_come_from_any_origin(client):
    OrganizationFactory()

    read = client.get(API, HTTP_ORIGIN="https://example.net")
    refused = client.get(API, {"colour": "red"}, HTTP_ORIGIN="https://example.net")
    preflight = client.options(
        API, HTTP_ORIGIN="https://example.net", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    head = client.head(API)

    for response in (read, refused, preflight, head):
        assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in read["Access-Control-Expose-Headers"]
    assert preflight.status_code == 204
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert head.status_code == 200 and head.content == b""


@pytest.mark.parametrize("url", ["/organizations/", "/api/search/openapi.json", "/healthz"])
def test_the_rest_of_the_site_is_not_opened_to_other_origins(client, url):
    response = client.get(url, HTTP_ORIGIN="https://example.net")

    assert "Access-Control-Allow-Origin" not in response


def test_writes_are_refused(client):
    organization = OrganizationFactory()

    assert client.post(API).status_code == 405
    assert client.delete(f"{API}{organization.pk}/").status_code == 405
    assert "Access-Control-Allow-Origin" not in client.post(API)


@override_settings(RATELIMIT_OPEN_DATA="2/h")
def test_past_the_rate_limit_the_api_answers_429_with_retry_after(client):
    OrganizationFactory()

    answers = [client.get(API, REMOTE_ADDR="198.51.100.7") for _ in range(3)]
    other_address = client.get(API, REMOTE_ADDR="198.51.100.8")

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    limited = answers[2]
    assert 1 <= int(limited["Retry-After"]) <= 3600
    assert limited.json()["error"]["limit"] == {"requests": 2, "seconds": 3600}
    assert limited["Access-Control-Allow-Origin"] == "*"
    assert other_address.status_code == 200


# --- Bad input: a 400 naming the parameter, on every resource ----------------------


def registered() -> list:
    """Every resource of /api/v1/ (the URLconf imports the modules registering them)."""
    get_resolver().url_patterns  # noqa: B018 - imports `opendata.urls`, filling the registry
    return list(registry)


def bad_values(field) -> list[str]:
    """Values the filter `field` refuses whatever the records: its kind's bad shapes."""
    if isinstance(field, IsoDay):
        return ["2024-13-01", "2024-02-30", "31/03/2024", "1899-12-31"]
    if isinstance(field, CalendarYear):
        return ["1899", "2101", "abc", "20x4"]
    if isinstance(field, RecordId):
        return ["abc", "0", "-1", "1" * 12]
    if isinstance(field, ChoiceOf):
        return ["no-such-value"]
    if isinstance(field, Codes):
        return ["not a code"]
    return []


def test_each_kind_of_bad_input_is_a_400_naming_the_parameter_on_every_resource(client):
    """An unknown field in `fields=`, a cursor not made by the API, a page size outside
    1–100, a bad day, year, id, choice or code, on every registered resource where the
    parameter exists: each a 400 whose error names that parameter."""
    misnamed = []
    for resource in registered():
        url = f"{API.removesuffix('organizations/')}{resource.name}/"
        cases = [
            ("fields", "no_such_field"),
            ("fields", f"{resource.field_names[0]},no_such_field"),
            ("cursor", "not-a-cursor"),
            ("cursor", "bjo"),  # base64 of "n:", a cursor without its id
            ("page_size", "0"),
            ("page_size", "101"),
            ("page_size", "abc"),
            ("page_size", "1.5"),
            ("lang", "de"),
            ("no_such_parameter", "1"),
        ]
        for name, field in resource.filters.base_fields.items():
            cases += [(name, value) for value in bad_values(field)]
        for name, value in cases:
            response = client.get(url, {name: value})
            named = response.json().get("error", {}).get("parameter")
            if response.status_code != 400 or named != name:
                misnamed.append((resource.name, name, value, response.status_code, named))

    assert not misnamed


def test_a_record_answers_only_the_chosen_fields_and_the_description_requires_no_other(
    client,
):
    """Schemathesis found records answered with `fields=` "missing" the fields the
    description required: a record's own fields are not required there any more."""
    organization = OrganizationFactory()
    description = client.get("/api/v1/openapi.json").json()

    chosen = client.get(f"{API}{organization.pk}/", {"fields": "id,name"})

    assert chosen.json() == {"id": organization.pk, "name": organization.name}
    jsonschema.validate(chosen.json(), body_schema(description, "/api/v1/organizations/{id}/", 200))
    record = description["components"]["schemas"]["Organization"]
    assert "required" not in record
    assert "required" in description["components"]["schemas"]["Term"]


@pytest.mark.parametrize(
    "path", ["organizations/abc/", "organizations/%C2%96/", "policy-versions/x/diff/"]
)
def test_an_id_that_is_not_a_number_is_the_apis_json_404_naming_id(client, path):
    """It used to answer the site's HTML 404 page (found by schemathesis)."""
    response = client.get(f"/api/v1/{path}", {"to": "1"} if "diff" in path else {})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["parameter"] == "id"


def test_a_blank_parameter_counts_as_absent_and_the_description_says_so(client):
    """`?lang=&fields=&page_size=` is the first page in English with every field, as the
    site's forms read a blank value; the description allows the blank value (it used to
    refuse what the API accepts)."""
    OrganizationFactory()
    description = client.get("/api/v1/openapi.json").json()

    blank = client.get(API, {"lang": "", "fields": "", "page_size": "", "cursor": ""})

    assert blank.status_code == 200
    assert blank.json() == client.get(API).json()
    parameters = description["paths"]["/api/v1/organizations/"]["get"]["parameters"]
    assert all(p["allowEmptyValue"] for p in parameters if p["in"] == "query")
    diff = description["paths"]["/api/v1/policy-versions/{id}/diff/"]["get"]["parameters"]
    to = next(p for p in diff if p["name"] == "to")
    assert to["required"] is True and "allowEmptyValue" not in to


# --- The documentation page ----------------------------------------------------------


@pytest.mark.parametrize("page", ["/api/v1/", "/api/v1/downloads/"])
@pytest.mark.parametrize(("language", "other"), [("en", "fr"), ("fr", "en")])
def test_the_documentation_pages_switcher_links_to_this_page_in_the_other_language(
    client, page, language, other
):
    """The pages are outside the /fr/ prefix: the switcher used to link to the page as it
    was (the French page's "English" link kept `lang=fr`)."""
    response = client.get(page, {"lang": language})
    text = response.content.decode()

    assert f'<html lang="{language}">' in text
    assert f'href="{page}?lang={other}" lang="{other}"' in text
    assert f'<span aria-current="true" lang="{language}">' in text


def test_the_documentation_page_links_to_the_popolo_document_and_the_diff(client):
    text = client.get("/api/v1/").content.decode()

    assert 'href="http://testserver/api/v1/popolo/fora.json"' in text
    assert "/api/v1/policy-versions/&lt;id&gt;/diff/?to=&lt;id&gt;" in text
