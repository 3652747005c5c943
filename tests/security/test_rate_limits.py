"""A script cannot hammer the search API or the exports: past the configured number of
requests from one client address it is answered 429 with `Retry-After` and a body that
names the limit, while other addresses and people reading the search page go on.

The limits are per hour here so that a test never straddles the end of a counting
window (which would reset the count half-way)."""

import pytest
from django.core.cache import cache
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

pytestmark = [pytest.mark.django_db]

API = "/api/search/"
EXPORTS = [
    "/api/search/export.csv",
    "/api/search/export.json",
    "/burden/export.csv",
    "/funding/export.csv",
    "/funding/360giving.json",
    "/funding/360giving.xlsx",
]


@pytest.fixture(autouse=True)
def _empty_counts():
    """The counts live in the (local-memory) cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


def get(client, url: str, address: str = "198.51.100.7", **headers):
    response = client.get(
        url, {"q": "housing"} if url == API else {}, REMOTE_ADDR=address, **headers
    )
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response


def assert_limited(response, requests: int, seconds: int) -> None:
    assert response.status_code == 429
    retry_after = response["Retry-After"]
    assert retry_after.isdigit()
    assert 1 <= int(retry_after) <= seconds
    error = response.json()["error"]
    assert error["limit"] == {"requests": requests, "seconds": seconds}
    assert error["retry_after"] == int(retry_after)
    assert f"at most {requests} in {seconds} seconds" in error["message"]


@pytest.mark.elasticsearch
@override_settings(RATELIMIT_SEARCH_API="3/h")
def test_the_search_api_answers_429_with_retry_after_past_the_limit(client, archive_index):
    assert [get(client, API).status_code for _ in range(3)] == [200, 200, 200]

    assert_limited(get(client, API), requests=3, seconds=3600)
    assert_limited(get(client, API), requests=3, seconds=3600)


@pytest.mark.elasticsearch
@override_settings(RATELIMIT_SEARCH_API="2/h")
def test_another_address_is_not_limited(client, archive_index):
    for _ in range(3):
        get(client, API, address="198.51.100.7")
    assert get(client, API, address="198.51.100.7").status_code == 429

    assert get(client, API, address="203.0.113.9").status_code == 200
    assert get(client, API, address="2001:db8::1").status_code == 200


@pytest.mark.elasticsearch
@override_settings(RATELIMIT_SEARCH_API="2/h")
def test_people_reading_the_search_page_are_not_blocked(client, archive_index):
    """The limit guards the API against scripts; the HTML search page is for readers,
    and stays open even to an address that exhausted its API allowance."""
    for _ in range(3):
        get(client, API)
    assert get(client, API).status_code == 429

    pages = [
        client.get("/search/", {"q": "housing", "page": n}, REMOTE_ADDR="198.51.100.7")
        for n in range(1, 11)
    ]

    assert {page.status_code for page in pages} == {200}
    assert (
        client.get("/fr/search/", {"q": "logement"}, REMOTE_ADDR="198.51.100.7").status_code == 200
    )


@pytest.mark.elasticsearch
@pytest.mark.parametrize("url", EXPORTS)
@override_settings(RATELIMIT_EXPORTS="2/h")
def test_every_export_is_limited(client, archive_index, url):
    assert [get(client, url).status_code for _ in range(2)] == [200, 200]

    assert_limited(get(client, url), requests=2, seconds=3600)


@pytest.mark.elasticsearch
@override_settings(RATELIMIT_EXPORTS="3/h", RATELIMIT_SEARCH_API="100/h")
def test_the_exports_share_one_allowance_apart_from_the_api(client, archive_index):
    """Switching from one export to the next does not multiply the allowance; the API
    keeps its own."""
    assert [get(client, url).status_code for url in EXPORTS[:3]] == [200, 200, 200]

    assert get(client, EXPORTS[3]).status_code == 429
    assert get(client, "/fr/funding/export.csv").status_code == 429
    assert get(client, API).status_code == 200


@pytest.mark.elasticsearch
@override_settings(RATELIMIT_SEARCH_API="2/h", TRUSTED_PROXY_COUNT=0)
def test_a_forged_forwarded_for_does_not_escape_the_limit(client, archive_index):
    """Exposed directly (no trusted proxy), X-Forwarded-For is whatever the client says:
    it is ignored."""
    for n in range(3):
        get(client, API, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert get(client, API, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


@pytest.mark.elasticsearch
@override_settings(RATELIMIT_SEARCH_API="2/h", TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_address_it_saw_is_counted(client, archive_index):
    """Behind one proxy, every request comes from the proxy's address: the client is
    the address the proxy appended, and what the client wrote before it is ignored."""
    proxy = "10.0.0.5"
    for n in range(3):
        get(client, API, address=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.7")
    assert get(client, API, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429

    other = get(client, API, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9")
    assert other.status_code == 200


@pytest.mark.elasticsearch
@override_settings(RATELIMIT_SEARCH_API="2/h")
def test_an_ipv6_client_counts_as_its_whole_network(client, archive_index):
    """A host commonly holds a whole /64: rotating through it does not reset the count."""
    for n in range(1, 4):
        get(client, API, address=f"2001:db8:1:2::{n}")

    assert get(client, API, address="2001:db8:1:2:ffff::9").status_code == 429
    assert get(client, API, address="2001:db8:1:3::1").status_code == 200


@override_settings(RATELIMIT_EXPORTS="ten a minute")
def test_a_malformed_rate_is_a_configuration_error():
    """Said by `manage.py check` and at start-up, rather than a 500 on the first export."""
    errors = [message for message in run_checks() if message.id == "concertation.E001"]

    assert [error.obj for error in errors] == ["RATELIMIT_EXPORTS"]
    assert "ten a minute" in errors[0].msg


@pytest.mark.elasticsearch
@override_settings(RATELIMIT_SEARCH_API="2/h", TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_on_a_unix_socket_the_forwarded_address_is_counted(client, archive_index):
    """A proxy on a Unix socket leaves REMOTE_ADDR empty: the address it forwards is the
    client's."""
    for _ in range(3):
        get(client, API, address="", HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert get(client, API, address="", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert get(client, API, address="", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 200


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_any_client_address_the_deployment_is_said_to_be_misconfigured(client):
    """Without an address, requests cannot be told apart: rather than one count shared by
    every visitor, the first request says what to set."""
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXY_COUNT"):
        get(client, "/burden/export.csv", address="")


@pytest.mark.elasticsearch
@override_settings(RATELIMIT_SEARCH_API="3/h")
def test_a_saved_search_feed_counts_with_the_search_api(client, archive_index):
    """A feed reader polling a saved search runs the API's engine query: it shares the
    API's allowance, and the listings' feeds (cheap, cached pages) are not limited."""
    feed = "/search/feed/?q=housing"
    assert [get(client, url).status_code for url in (API, feed, feed)] == [200, 200, 200]

    assert_limited(get(client, feed), requests=3, seconds=3600)
    assert_limited(get(client, API), requests=3, seconds=3600)
    assert get(client, "/feeds/positions/").status_code == 200
