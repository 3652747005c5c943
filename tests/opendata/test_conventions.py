"""The conventions every resource of /api/v1/ shares: conditional requests, CORS for
reads on /api/v1/ only, the rate limit, other methods refused."""

import pytest
from django.test import override_settings
from django.utils.http import http_date

from concertation.factories import OrganizationFactory

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
