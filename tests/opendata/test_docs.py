"""Every `curl` example of docs/api.md answers 200 with JSON when run through the
application, so the documentation cannot drift from the API."""

import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import APIToken

from concertation.factories import (
    ConstituencyFactory,
    OrganizationFactory,
    RegionFactory,
    SectorFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
# The token the examples show (a well-formed one, docs/api.md "Authentication"): made a
# real token of a user for the test.
EXAMPLE_TOKEN = "wagtail_ExampleTokenForTheDocsExamp20avjh"


def curl_examples() -> list[tuple[str, dict[str, str]]]:
    """Each `curl` line's address (path and query) and its `-H` headers."""
    examples = []
    for line in DOC.read_text().splitlines():
        if not line.startswith("curl "):
            continue
        words = shlex.split(line)[1:]
        headers, address = {}, None
        while words:
            word = words.pop(0)
            if word == "-H":
                name, _colon, value = words.pop(0).partition(":")
                headers["HTTP_" + name.strip().upper().replace("-", "_")] = value.strip()
            else:
                address = word
        parts = urlsplit(address)
        examples.append((f"{parts.path}?{parts.query}" if parts.query else parts.path, headers))
    return examples


def test_the_documentation_has_curl_examples():
    assert len(curl_examples()) >= 4


@pytest.mark.parametrize(("address", "headers"), curl_examples())
def test_each_curl_example_answers_json(client, address, headers):
    OrganizationFactory(
        sectors=[SectorFactory(code="housing")],
        region=RegionFactory(code="qc-06"),
        constituencies=[ConstituencyFactory(code="women")],
    )
    if headers.get("HTTP_AUTHORIZATION") == f"Bearer {EXAMPLE_TOKEN}":
        APIToken.objects.create(
            user=get_user_model().objects.create_user("researcher"),
            name="The documentation's example",
            key_hash=APIToken.hash_token(EXAMPLE_TOKEN),
            prefix=EXAMPLE_TOKEN[:12],
        )

    response = client.get(address, **headers)

    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert response.json()
