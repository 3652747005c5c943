"""The search API's shortcuts keep its promises: the request body built as plain
dictionaries is the request elasticsearch-dsl described; the queries kept per set of
parameters carry no visitor, so a restricted record never reaches someone else through
them; the second request (passages of typo and stem matches) is only sent when a hit
needs it. Real Elasticsearch."""

from dataclasses import replace

import pytest
from django.http import QueryDict

from concertation.parameters import InvalidParameters
from search import engine
from search.forms import FACETS
from search.query import RESULT_FIELDS, ArchiveQuery
from tests.factories import UserFactory
from tests.search.archive_corpus import document, put

pytestmark = [pytest.mark.django_db]

API = "/api/search/"


def test_the_body_is_the_request_the_dsl_search_describes():
    for params in [
        "q=health+network&sector=community-action",
        "q=housng&like=organization:3&year=2020&from=2020-01-01&to=2021-01-01&sort=-date",
        "like=organization:2&sort=date&facet=kind&page=2&size=5",
        "",
    ]:
        query = ArchiveQuery.from_params(QueryDict(params))
        for readers in [(), ("signed-in", "user:7")]:
            visitor = replace(query, readers=readers)
            assert visitor.to_search("archive").to_dict() == visitor.to_body("archive")
            assert visitor.passages_search("archive", ["organization:1"]).to_dict() == (
                visitor.passages_body(["organization:1"])
            )


def test_a_page_asks_for_the_fields_a_result_shows_only():
    body = ArchiveQuery(text="housing").to_body("archive")

    assert body["_source"] == RESULT_FIELDS
    assert "readers" not in RESULT_FIELDS
    assert "body" not in RESULT_FIELDS


def test_the_query_of_a_set_of_parameters_is_read_once_and_shared_read_only():
    first = ArchiveQuery.from_params(QueryDict("q=housing&sector=youth"))

    assert ArchiveQuery.from_params(QueryDict("q=housing&sector=youth")) is first
    assert first.readers == ()
    with pytest.raises(TypeError):
        first.filters["sector"] = ("food",)  # type: ignore[index]
    assert set(first.facets) == set(FACETS)


def test_a_refused_parameter_is_refused_every_time():
    for _attempt in range(2):
        with pytest.raises(InvalidParameters) as refused:
            ArchiveQuery.from_params(QueryDict("q=housing&page=0"))
        assert refused.value.parameter == "page"


@pytest.mark.elasticsearch
def test_a_restricted_record_never_reaches_another_visitor_through_the_kept_query(
    client, archive_index
):
    """The same parameters, asked in turn by an anonymous visitor, the record's reader,
    another signed-in user and the anonymous visitor again: only the reader finds it,
    nor does anyone else count it in a facet."""
    reader, other = UserFactory(), UserFactory()
    put(
        [
            document("organization", 1, "Housing coalition", "Public housing work."),
            document(
                "position",
                2,
                "Housing position in draft",
                "Housing notes.",
                visibility="restricted",
                readers=[f"user:{reader.pk}"],
            ),
        ]
    )
    params = {"q": "housing", "facet": "kind"}

    def seen_by(user) -> tuple[list[str], dict[str, int]]:
        client.logout()
        if user is not None:
            client.force_login(user)
        body = client.get(API, params).json()
        kinds = {bucket["value"]: bucket["count"] for bucket in body["facets"]["kind"]}
        return [result["like"] for result in body["results"]], kinds

    assert seen_by(None) == (["organization:1"], {"organization": 1})
    found, kinds = seen_by(reader)
    assert set(found) == {"organization:1", "position:2"}
    assert kinds == {"organization": 1, "position": 1}
    assert seen_by(other) == (["organization:1"], {"organization": 1})
    assert seen_by(None) == (["organization:1"], {"organization": 1})


@pytest.fixture
def engine_requests(monkeypatch):
    """The paths of the requests the search sends to the (real) engine."""
    transport = engine.get_client().transport
    sent: list[str] = []
    perform = transport.perform_request

    def counted(method, target, *args, **kwargs):
        sent.append(target)
        return perform(method, target, *args, **kwargs)

    monkeypatch.setattr(transport, "perform_request", counted)
    return sent


@pytest.mark.elasticsearch
def test_the_passages_request_is_sent_only_for_hits_without_a_passage(
    client, archive_index, engine_requests
):
    put(
        [
            document("organization", 1, "Housing coalition", "Public housing work."),
            document("organization", 2, "Housing network", "Housing for everyone."),
        ]
    )

    engine_requests.clear()
    exact = client.get(API, {"q": "housing"}).json()
    assert len(engine_requests) == 1
    assert all(result["highlights"] for result in exact["results"])

    engine_requests.clear()
    typo = client.get(API, {"q": "housng"}).json()
    assert len(engine_requests) == 2
    assert len(typo["results"]) == 2
    assert all("<mark>Housing</mark>" in " ".join(r["highlights"]) for r in typo["results"])
