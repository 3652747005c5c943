"""Facets, filters, sorting, typo tolerance, "more like this", paging bounds and the
JSON API, on the real Elasticsearch; refused input is a 400 naming the parameter, never
a 500 nor an engine message."""

import pytest
from openapi_spec_validator import validate

from search import engine
from search.forms import FACETS, PARAMETERS
from search.index import alias_name
from search.openapi import openapi_description
from search.query import ArchiveQuery
from tests.factories import OrganizationFactory, SectorFactory, publish_policy_version
from tests.search.archive_corpus import document, put

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]

API = "/api/search/"

CORPUS = [
    document(
        "organization",
        1,
        "Maison des jeunes",
        "Youth centre running housing programs.",
        date="2021-03-04T09:00:00+00:00",
        sector=["youth"],
        region=["03"],
        constituency=["youth"],
        organization=["maison-jeunes"],
    ),
    document(
        "organization",
        2,
        "Banque alimentaire de Lévis",
        "Sécurité alimentaire et economie sociale.",
        date="2022-06-01T18:30:00+00:00",
        sector=["food"],
        region=["12"],
        organization=["food-bank"],
    ),
    document(
        "policy_version",
        3,
        "Politique de reconnaissance",
        "Le rôle des organismes communautaires.",
        date="2022-01-10",
        language="fr",
        policy="community-action",
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
    document(
        "policy_version",
        6,
        "Community action policy 2020",
        "Recognition of community organizations and their funding.",
        date="2020-05-05",
        language="en",
        policy="community-action",
    ),
    # Never shown nor counted.
    document(
        "position",
        5,
        "Secret housing position",
        "Housing for youth, community funding.",
        date="2024-03-03",
        visibility="restricted",
        sector=["youth"],
        organization=["maison-jeunes"],
        language="en",
    ),
]


@pytest.fixture
def corpus(archive_index):
    put(CORPUS)


def search(client, **params) -> dict:
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["backend"] == "elasticsearch"
    return body


def uids(body: dict) -> list[str]:
    return [result["like"] for result in body["results"]]


def counts(body: dict, facet: str) -> dict[str, int]:
    return {bucket["value"]: bucket["count"] for bucket in body["facets"][facet]}


def test_facet_counts_are_exact_and_never_count_non_public_records(client, corpus):
    body = search(client)

    assert body["total"] == 5
    assert counts(body, "kind") == {"organization": 2, "policy_version": 3}
    assert counts(body, "sector") == {"youth": 1, "food": 1}
    assert counts(body, "region") == {"03": 1, "12": 1}
    assert counts(body, "constituency") == {"youth": 1}
    assert counts(body, "year") == {"2020": 1, "2021": 1, "2022": 2, "2024": 1}
    assert counts(body, "policy") == {"community-action": 3}
    assert counts(body, "organization") == {"maison-jeunes": 1, "food-bank": 1}
    assert counts(body, "language") == {"en": 2, "fr": 1}


def test_facet_counts_follow_the_filters(client, corpus):
    body = search(client, kind="policy_version")

    assert counts(body, "kind") == {"policy_version": 3}
    assert counts(body, "year") == {"2020": 1, "2022": 1, "2024": 1}
    assert counts(body, "sector") == {}


def test_facet_parameter_chooses_the_facets(client, corpus):
    assert set(search(client, facet=["kind", "year"])["facets"]) == {"kind", "year"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "policy_version"}, {"policy_version:3", "policy_version:4", "policy_version:6"}),
        ({"sector": "youth"}, {"organization:1"}),
        ({"sector": ["youth", "food"]}, {"organization:1", "organization:2"}),
        ({"region": "12"}, {"organization:2"}),
        ({"constituency": "youth"}, {"organization:1"}),
        ({"year": "2022"}, {"organization:2", "policy_version:3"}),
        (
            {"policy": "community-action"},
            {"policy_version:3", "policy_version:4", "policy_version:6"},
        ),
        ({"organization": "maison-jeunes"}, {"organization:1"}),
        ({"language": "fr"}, {"policy_version:3"}),
        ({"kind": "organization", "year": "2022"}, {"organization:2"}),
        ({"from": "2022-01-01", "to": "2022-06-01"}, {"policy_version:3", "organization:2"}),
        ({"from": "2024-01-01"}, {"policy_version:4"}),
        ({"to": "2020-12-31"}, {"policy_version:6"}),
    ],
)
def test_each_filter(client, corpus, params, expected):
    assert set(uids(search(client, **params))) == expected


def test_sort_by_date_both_ways(client, corpus):
    oldest_first = [
        "policy_version:6",
        "organization:1",
        "policy_version:3",
        "organization:2",
        "policy_version:4",
    ]
    assert uids(search(client, sort="date")) == oldest_first
    assert uids(search(client, sort="-date")) == oldest_first[::-1]
    assert uids(search(client, q="community", sort="date")) == [
        "policy_version:6",
        "policy_version:4",
    ]


def test_a_typo_still_finds_the_word(client, corpus):
    assert set(uids(search(client, q="recogniton"))) == {"policy_version:4", "policy_version:6"}
    assert set(uids(search(client, q="housng"))) == {"organization:1", "policy_version:4"}


def test_a_typo_match_still_shows_a_readable_passage(client, corpus):
    """Passages come from the exact words first; a hit found through a typo alone gets
    its passage from the fuzzy clause in a second request, the word as written marked."""
    results = {result["like"]: result for result in search(client, q="housng")["results"]}

    assert set(results) == {"organization:1", "policy_version:4"}
    for result in results.values():
        assert any("<mark>housing</mark>" in fragment for fragment in result["highlights"])
    assert (
        "Youth centre running <mark>housing</mark> programs."
        in (results["organization:1"]["highlights"])
    )


def test_a_stem_match_still_shows_its_passage(client, corpus):
    """ "policies" is no folded word of "policy" nor within two edits of it: the hit is
    found through the English stems, and the second request highlights them."""
    results = search(client, q="policies")["results"]

    assert {result["like"] for result in results} == {"policy_version:4", "policy_version:6"}
    for result in results:
        assert any("<mark>policy</mark>" in fragment for fragment in result["highlights"])


def test_a_typo_passage_never_comes_from_a_record_the_visitor_may_not_read(client, corpus):
    """The second request is asked for hit ids; given a restricted record's id it still
    finds nothing for an anonymous visitor (its passage would quote it)."""
    query = ArchiveQuery(text="housng")
    response = (
        query.passages_search(alias_name(), ["position:5", "organization:1"])
        .using(engine.get_client())
        .execute()
    )

    assert [hit.meta.id for hit in response] == ["organization:1"]


def test_the_page_request_highlights_the_exact_words_only():
    """The fuzzy clause costs the engine most of a highlighted query, the stemmed fields
    half of the rest: the first request highlights the folded fields with the exact
    clause (`highlight_query`); the query keeps both clauses."""
    body = ArchiveQuery(text="housng").to_search("archive").to_dict()

    assert "fuzziness" not in str(body["highlight"])
    assert set(body["highlight"]["fields"]) == {"title", "body"}
    assert body["highlight"]["highlight_query"]["multi_match"]["query"] == "housng"
    assert "fuzziness" in str(body["query"])


def test_french_elision_and_accents(client, corpus):
    assert "organization:2" in uids(search(client, q="l'économie"))


def test_results_carry_highlights_and_dates(client, corpus):
    result = search(client, q="alimentaire")["results"][0]
    assert result["kind"] == "organization"
    assert result["title"] == "Banque alimentaire de Lévis"
    assert result["url"] == "/organization/2/"
    assert result["date"].startswith("2022-06-01")
    assert any("<mark>alimentaire</mark>" in fragment for fragment in result["highlights"])


def test_more_like_this(client, corpus):
    found = uids(search(client, like="policy_version:4"))
    assert "policy_version:6" in found
    assert "policy_version:4" not in found
    assert "position:5" not in found


def test_more_like_this_an_unknown_record_finds_nothing(client, corpus):
    assert search(client, like="policy_version:999")["total"] == 0


@pytest.mark.parametrize(
    "like", ["policy_version:", "nope:1", "policy_version:1;drop", "x", ":1", "organization:1 2"]
)
def test_more_like_this_refuses_a_malformed_record(client, corpus, like):
    response = client.get(API, {"like": like})
    assert response.status_code == 400
    assert response.json()["error"]["parameter"] == "like"


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"size": "101"}, "size"),
        ({"size": "0"}, "size"),
        ({"size": "-5"}, "size"),
        ({"page": "11", "size": "100"}, "page"),
        ({"page": "51"}, "page"),
        ({"page": "0"}, "page"),
        ({"page": "99999999999999999999"}, "page"),
        ({"sort": "score"}, "sort"),
        ({"facet": "secret"}, "facet"),
        ({"kind": "secret"}, "kind"),
        ({"sector": "bad value!"}, "sector"),
        ({"organization": "x" * 101}, "organization"),
        ({"region": [str(n) for n in range(21)]}, "region"),
        ({"year": "20x1"}, "year"),
        ({"from": "2024-13-01"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"to": "2024-02-30"}, "to"),
        ({"from": "2024-02-02", "to": "2024-01-01"}, "to"),
        ({"q": "x" * 10_000}, "q"),
    ],
)
def test_refused_parameters_are_a_400_naming_them(client, corpus, params, parameter):
    response = client.get(API, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert set(error) == {"parameter", "message"}
    assert error["parameter"] == parameter
    assert error["message"]
    page = client.get("/search/", params)
    assert page.status_code == 400
    assert f"“{parameter}”" in page.content.decode()


def test_the_deepest_pages_allowed(client, corpus):
    assert search(client, page="10", size="100")["results"] == []
    assert search(client, page="50")["page"] == 50


@pytest.mark.parametrize(
    "text",
    [
        "title:x",
        "_exists_:secret",
        "*abc",
        "/.*/",
        "co\x00op",
        "🏠 housing",
        "🙂",
        "",
        "((((",
        '"unbalanced',
        "a AND OR NOT",
        "\\",
        "~~~",
        "housing^100",
        "title:(a OR b)",
        "x" * 1000,
        "économie " * 100,
    ],
)
def test_any_text_gives_results_or_a_clear_400_never_an_engine_error(client, corpus, text):
    body = search(client, q=text)
    assert "position:5" not in uids(body)
    page = client.get("/search/", {"q": text})
    assert page.status_code == 200
    results = page.context.get("results")
    assert results is None or results.backend == "elasticsearch"


def test_query_syntax_is_read_as_words(client, corpus):
    assert uids(search(client, q="_exists_:title")) == []
    assert search(client, q="🏠 housing")["total"] == 2


def test_the_page_shows_facets_and_more_like_this(client, corpus):
    page = client.get("/search/", {"q": "community", "kind": "policy_version"}).content.decode()
    assert 'class="facet facet--year"' in page
    assert "?like=policy_version%3A4" in page
    assert "/api/search/export.csv?" in page


def test_api_shape(client, corpus):
    response = client.get(API, {"q": "community", "size": "1"})
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"total", "page", "size", "results", "facets", "backend"}
    assert (body["total"], body["page"], body["size"], len(body["results"])) == (2, 1, 1, 1)
    assert set(body["results"][0]) == {
        "kind",
        "object_id",
        "title",
        "url",
        "language",
        "date",
        "highlights",
        "like",
        "restricted",
    }
    assert set(body["facets"]) == set(FACETS)


def test_api_answers_get_only(client, corpus):
    assert client.post(API).status_code == 405


def test_facets_from_documents_built_by_the_apps(client, home_page, archive_index, index_on_commit):
    """Counts over records indexed the ordinary way (saves, then after-commit updates)."""
    housing = SectorFactory(code="housing")
    food = SectorFactory(code="food")
    with index_on_commit():
        OrganizationFactory(name="Logement un", sectors=[housing])
        OrganizationFactory(name="Logement deux", sectors=[housing, food])
        OrganizationFactory(name="Cuisine", sectors=[food])
        publish_policy_version(home_page, "First version", "A text.")
        publish_policy_version(home_page, "Draft", "A text.", publish=False)

    body = search(client)

    assert counts(body, "kind") == {"organization": 3, "policy_version": 1, "policy_section": 1}
    assert counts(body, "sector") == {"housing": 2, "food": 2}
    assert len(uids(search(client, sector="housing", sort="date"))) == 2


def test_openapi_description_is_valid_and_lists_every_parameter(client):
    response = client.get("/api/search/openapi.json")
    assert response.status_code == 200
    description = response.json()
    validate(description)
    assert description == openapi_description()
    listed = {p["name"] for p in description["paths"]["/api/search/"]["get"]["parameters"]}
    assert listed == set(PARAMETERS)
    sort = next(
        p for p in description["paths"]["/api/search/"]["get"]["parameters"] if p["name"] == "sort"
    )
    assert sort["schema"]["enum"] == ["relevance", "date", "-date"]
    assert "400" in description["paths"]["/api/search/"]["get"]["responses"]


def test_without_the_engine_the_api_answers_from_the_database(client, settings):
    settings.ELASTICSEARCH_URL = ""
    OrganizationFactory(name="Maison des jeunes de Lévis", summary_en="A youth centre.")

    body = client.get(API, {"q": "youth"}).json()

    assert body["backend"] == "database"
    assert body["facets"]["kind"] == [{"value": "organization", "count": 1}]
    assert "simple search" in body["notice"]
    assert [result["title"] for result in body["results"]] == ["Maison des jeunes de Lévis"]
    # Every filter applies: an unknown sector finds nothing.
    assert client.get(API, {"q": "youth", "sector": "anything"}).json()["total"] == 0
    page = client.get("/search/", {"q": "youth", "sector": "anything"})
    assert page.status_code == 200
    assert "The simple search is in use." in page.content.decode()


def test_parts_of_records_are_a_kind_to_filter_on_and_to_find_look_alikes_of(client, archive_index):
    """A policy version's sections are documents of kind `policy_section`, with ids
    `policy_section:<pk>:<anchor>`."""
    put(
        [
            document("policy_section", "7:scope", "Scope", "Community housing and funding."),
            document("policy_section", "7:funding", "Funding", "Community housing funding."),
        ]
    )

    assert set(uids(search(client, kind="policy_section"))) == {
        "policy_section:7:scope",
        "policy_section:7:funding",
    }
    assert uids(search(client, like="policy_section:7:scope")) == ["policy_section:7:funding"]
    page = client.get("/search/", {"q": "housing"})
    assert page.status_code == 200
    assert "?like=policy_section%3A7%3Ascope" in page.content.decode()
