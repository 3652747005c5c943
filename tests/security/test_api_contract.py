"""The search API does what its OpenAPI description says, so a client generated from the
description is neither refused for asking what the description allows nor surprised by
an answer it does not describe.

Schemathesis generates requests from the description the server publishes
(`/api/search/openapi.json`) and sends them to the application in-process, against the
real Elasticsearch holding a few records: no answer is a 5xx, every status, content type,
header and body is the one described, and a request the description accepts is answered
200 unless it breaks one of the two rules between parameters that a parameter's schema
cannot say (`to` before `from`, page × size past the deepest result). Examples are
bounded and derandomized: the same requests on every run."""

from typing import Any

import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from search.forms import MAX_PAGE_SIZE, MAX_RESULT_WINDOW
from search.openapi import openapi_description
from tests.search.archive_corpus import document, put

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]

API = "/api/search/"
DESCRIPTION = "/api/search/openapi.json"

CORPUS = [
    document(
        "organization",
        1,
        "Maison des jeunes",
        "Youth centre running housing programs.",
        date="2021-03-04T09:00:00+00:00",
        sector=["youth"],
        region=["03"],
        organization=["maison-jeunes"],
    ),
    document(
        "policy_version",
        4,
        "Community action policy 2024",
        "Recognition of community organizations and their funding; housing.",
        date="2024-02-02",
        language="en",
        policy="community-action",
    ),
    document("policy_section", "4:scope", "Scope", "Community housing and funding.", language="en"),
    document(
        "position",
        5,
        "Secret housing position",
        "Housing for youth.",
        date="2024-03-03",
        visibility="restricted",
    ),
]

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]

# Werkzeug's test client leaves REMOTE_ADDR empty; a server always sets it.
CLIENT = {"REMOTE_ADDR": "192.0.2.10"}

BOUNDED = settings(
    max_examples=50,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture
def corpus(archive_index):
    put(CORPUS)


def parameter_schema(name: str) -> dict[str, Any]:
    parameters = openapi_description()["paths"][API]["get"]["parameters"]
    return next(p["schema"] for p in parameters if p["name"] == name)


def described(name: str, value: Any) -> bool:
    """Whether the description accepts `value` for the search API's parameter `name`."""
    try:
        jsonschema.validate(value, parameter_schema(name))
    except jsonschema.ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    "like",
    [
        "_:0",
        "a:0",
        "organization:1",
        "policy_section:4:scope",
        "policy_version:999",
        "nope:1",
        "organization:",
        "organization:1 2",
        ":1",
    ],
)
def test_like_is_accepted_by_the_description_exactly_when_the_server_accepts_it(
    client, corpus, like
):
    """`like=_:0` used to match the description's pattern (any lower-case word before the
    colon) while the server refuses any kind it does not index."""
    accepted = client.get(API, {"like": like}).status_code == 200

    assert described("like", like) == accepted


@pytest.mark.parametrize("size", [1, 7, 20, MAX_PAGE_SIZE])
def test_the_description_declares_how_deep_pages_go(client, corpus, size):
    """`page` used to have no maximum: a client could ask page 10,000 in good faith.
    The description's maximum is the deepest page the server serves at all (size 1);
    at any size, the last page within page × size ≤ 1000 is served and the next refused."""
    assert parameter_schema("page")["maximum"] == MAX_RESULT_WINDOW
    assert parameter_schema("size")["maximum"] == MAX_PAGE_SIZE
    deepest = MAX_RESULT_WINDOW // size

    assert client.get(API, {"page": deepest, "size": size}).status_code == 200
    refused = client.get(API, {"page": deepest + 1, "size": size})
    assert refused.status_code == 400
    assert refused.json()["error"]["parameter"] == "page"
    assert not described("page", MAX_RESULT_WINDOW + 1)


@pytest.mark.parametrize("export", ["export.csv", "export.json"])
def test_the_exports_ignore_the_parameters_they_do_not_list(client, corpus, export):
    """The exports' description leaves out `page`, `size` and `facet` (unknown parameters
    are ignored, it says); they used to be read all the same, and a bad value refused."""
    listed = {
        p["name"] for p in openapi_description()["paths"][f"{API}{export}"]["get"]["parameters"]
    }
    assert not listed & {"page", "size", "facet"}

    response = client.get(f"{API}{export}", {"page": "0", "size": "1000", "facet": "secret"})

    assert response.status_code == 200
    assert b"Maison des jeunes" in b"".join(response.streaming_content)


def breaks_a_rule_between_parameters(query: dict[str, Any]) -> bool:
    """The two documented 400s no single parameter's schema can express."""
    dates = query.get("from"), query.get("to")
    if all(dates) and dates[1] < dates[0]:
        return True
    page, size = int(query.get("page", 1)), int(query.get("size", 20))
    return page * size > MAX_RESULT_WINDOW


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_answer_is_the_one_described(corpus, application, mode):
    """Generated requests for every operation, valid ones and invalid ones: never a 5xx,
    always a described status, content type, header and body; and valid ones are
    answered 200 (the search) or 200 (the exports) unless they break a documented rule
    between parameters."""
    schema = schemathesis.openapi.from_wsgi(DESCRIPTION, application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {operation.path for operation in operations} == {
        API,
        f"{API}export.csv",
        f"{API}export.json",
    }

    for operation in operations:

        @BOUNDED
        @given(case=operation.as_strategy(generation_mode=mode))
        def answers_as_described(case):
            response = case.call_and_validate(checks=CHECKS, environ_base=CLIENT)
            if mode.is_positive and not breaks_a_rule_between_parameters(case.query or {}):
                assert response.status_code == 200, (case.query, response.text[:300])

        answers_as_described()
