"""Without Elasticsearch, or with it down, search answers from the database (the simple
search) and says so; it honours every control the page shows — words with or without
accents, every filter, the date range, the sort, paging, facet counts, the export — and
finds only what the visitor may read. Saving never depends on the engine.

Runs on the suite's database (PostgreSQL: `unaccent`) and on SQLite (`make run`'s; its
`unaccent` function): see docs/decisions/010-accent-folding-in-the-database-fallback.md."""

import csv
import datetime
import io
import json
import socket

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from consultations.services.rounds import submit_brief
from organizations.models import Organization
from organizations.permissions import grant_editor
from tests.factories import (
    ConstituencyFactory,
    ForumFactory,
    OrganizationFactory,
    RegionFactory,
    SectorFactory,
    UserFactory,
    publish_policy_version,
)

pytestmark = pytest.mark.django_db

API = "/api/search/"


@pytest.fixture(autouse=True)
def simple_search(settings):
    """No engine configured: every search of these tests is the database's."""
    settings.ELASTICSEARCH_URL = ""


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on: a real refused connection, not a mock."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def found(client, **params) -> list[str]:
    """The titles of the API's results for `params`, from the database."""
    body = client.get(API, params).json()
    assert body["backend"] == "database", body
    return [result["title"] for result in body["results"]]


def facet(client, name: str, **params) -> dict[str, int]:
    body = client.get(API, params).json()
    return {bucket["value"]: bucket["count"] for bucket in body["facets"][name]}


# The notice and the words ------------------------------------------------------------


def test_without_elasticsearch_the_database_answers_with_a_note(client):
    OrganizationFactory(name="Maison des jeunes de Lévis", summary_en="A youth centre.")

    response = client.get("/search/", {"q": "youth"})

    results = response.context["results"]
    assert results.backend == "database"
    assert not results.engine_unavailable
    assert [hit.title for hit in results.hits] == ["Maison des jeunes de Lévis"]
    page = response.content.decode()
    assert "<mark>youth</mark>" in page
    assert "The simple search is in use." in page
    assert "No search engine is configured." in page
    # What it cannot do is not offered: no "More like this" link.
    assert "More like this" not in page


def test_fallback_needs_every_word(client):
    OrganizationFactory(name="Youth housing", summary_en="")
    OrganizationFactory(name="Youth centre", summary_en="")

    assert found(client, q="youth housing") == ["Youth housing"]


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Une communauté solidaire.", "communaute"),
        ("Une communaute solidaire.", "communauté"),
        ("Une communauté solidaire.", "COMMUNAUTÉ"),
        ("UNE COMMUNAUTÉ SOLIDAIRE.", "Communauté"),
        ("Le cœur du quartier.", "coeur"),
        ("Élan régional.", "elan regional"),
    ],
)
def test_accents_and_case_are_ignored_both_ways(client, stored, typed):
    OrganizationFactory(name="Carrefour", summary_fr=stored)
    OrganizationFactory(name="Autre", summary_fr="Rien à voir.")

    assert found(client, q=typed) == ["Carrefour"]


def test_a_highlight_marks_the_accented_word_as_written(client):
    OrganizationFactory(name="Carrefour", summary_fr="Pour la communauté du quartier.")

    page = client.get("/search/", {"q": "communaute"}).content.decode()

    assert "<mark>communauté</mark>" in page


def test_a_word_in_the_title_ranks_first(client):
    OrganizationFactory(name="Alpha", summary_en="About housing.")
    OrganizationFactory(name="Housing first", summary_en="")

    assert found(client, q="housing") == ["Housing first", "Alpha"]


def test_a_record_in_another_language_is_marked_with_its_language(client, home_page):
    """An English version found from the French page: its title and passage carry
    lang="en" (WCAG 3.1.2), the page's own words do not."""
    publish_policy_version(home_page, "Recognition criteria", "Autonomous organizations.")

    french = client.get("/fr/search/", {"q": "autonomous"}).content.decode()
    english = client.get("/search/", {"q": "autonomous"}).content.decode()

    assert 'class="result-title"' in french
    assert '<p class="highlight" lang="en">' in french
    assert french.count('lang="en">Recognition criteria — Scope</a>') == 1
    assert ">Recognition criteria — Scope</a>" in english
    assert 'lang="en"' not in english.split('<ol class="results">')[1]


# Policy text ---------------------------------------------------------------------------


def test_the_text_of_a_policy_section_is_found_and_leads_to_the_section(client, home_page):
    version = publish_policy_version(
        home_page,
        "Politique 2000",
        "",
        sections=[
            ("1", "Portée", "Les aînés en résidence."),
            ("2", "Financement", "Le soutien à la mission globale."),
        ],
    )

    body = client.get(API, {"q": "aines residence"}).json()

    assert [(r["kind"], r["title"]) for r in body["results"]] == [
        ("policy_section", "Politique 2000 — Portée")
    ]
    assert body["results"][0]["url"].endswith("#section-1")
    assert body["results"][0]["object_id"] == f"{version.pk}:1"
    # The version's own title and a section's words: that section, as the index has it.
    assert found(client, q="politique mission") == ["Politique 2000 — Financement"]
    assert found(client, q="mission", kind="policy_version") == []
    assert found(client, q="mission", kind="policy_section") == ["Politique 2000 — Financement"]


def test_fallback_finds_policy_versions(client, home_page):
    publish_policy_version(
        home_page, "First version", "A text.", summary_of_changes="A utilitarian view."
    )
    publish_policy_version(
        home_page,
        "Hidden draft",
        "A text on utilitarian drafts.",
        publish=False,
        summary_of_changes="A utilitarian draft.",
    )

    assert found(client, q="utilitarian") == ["First version"]


@pytest.mark.parametrize("word", ["anchor", "heading", "section", "value", "type"])
def test_fallback_does_not_match_the_structure_of_the_policy_text(client, home_page, word):
    """The text is stored as StreamField JSON: its block names and keys are no words of
    the policy, so they must match nothing."""
    publish_policy_version(
        home_page,
        "First version",
        "A text on housing.",
        summary_of_changes="Adds a chapter on tenants.",
    )

    assert client.get("/search/", {"q": word}).context["results"].total == 0
    assert client.get("/search/", {"q": "tenants"}).context["results"].total == 1
    assert found(client, q="housing") == ["First version — Scope"]


# Filters, dates, sort --------------------------------------------------------------------


@pytest.fixture
def catalogue(home_page):
    """Two organizations with their own facets, a forum convened by the first, and a
    policy version (language `en`, year 2000)."""
    north, south = RegionFactory(code="north"), RegionFactory(code="south")
    health, housing = SectorFactory(code="health"), SectorFactory(code="housing")
    elders, youth = ConstituencyFactory(code="elders"), ConstituencyFactory(code="youth")
    first = OrganizationFactory(
        name="Network one", summary_en="A network.", region=north, sectors=[health]
    )
    first.constituencies.set([elders])
    second = OrganizationFactory(
        name="Network two", summary_en="A network.", region=south, sectors=[housing]
    )
    second.constituencies.set([youth])
    forum = ForumFactory(
        name="Network table",
        description="A network of tables.",
        convenor=first,
        region=south,
        active_from=datetime.date(1999, 3, 1),
    )
    forum.sectors.set([housing])
    publish_policy_version(
        home_page, "Network policy", "A network text.", release_date=datetime.date(2000, 6, 1)
    )
    return {"first": first, "second": second, "forum": forum}


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"sector": "health"}, ["Network one"]),
        ({"sector": ["health", "housing"]}, ["Network one", "Network table", "Network two"]),
        ({"region": "south"}, ["Network table", "Network two"]),
        ({"constituency": "youth"}, ["Network two"]),
        ({"organization": "network-one"}, ["Network one", "Network table"]),
        ({"policy": "community-action-policy"}, ["Network policy", "Network policy — Scope"]),
        ({"language": "en"}, ["Network policy", "Network policy — Scope"]),
        ({"year": "1999"}, ["Network table"]),
        ({"kind": "forum"}, ["Network table"]),
        ({"kind": ["forum", "organization"]}, ["Network one", "Network table", "Network two"]),
        # Facets combine with AND.
        ({"region": "south", "sector": "housing", "kind": "organization"}, ["Network two"]),
        ({"sector": "health", "region": "south"}, []),
    ],
)
def test_each_filter_is_applied(client, catalogue, params, titles):
    assert sorted(found(client, q="network", **params)) == titles


def test_filters_apply_without_words(client, catalogue):
    assert sorted(found(client, region="south")) == ["Network table", "Network two"]


@pytest.fixture
def dated(home_page):
    for title, day in [
        ("Version of 1999", datetime.date(1999, 12, 31)),
        ("Version of new year", datetime.date(2000, 1, 1)),
        ("Version of summer", datetime.date(2000, 6, 30)),
    ]:
        publish_policy_version(home_page, title, "Text.", release_date=day)


@pytest.mark.parametrize(
    ("bounds", "titles"),
    [
        ({"from": "2000-01-01"}, ["Version of new year", "Version of summer"]),
        ({"to": "2000-01-01"}, ["Version of 1999", "Version of new year"]),
        ({"from": "2000-01-01", "to": "2000-01-01"}, ["Version of new year"]),
        ({"from": "2000-07-01"}, []),
    ],
)
def test_the_date_range_is_applied_whole_days_included(client, dated, bounds, titles):
    assert found(client, q="version", kind="policy_version", sort="date", **bounds) == titles


def test_a_record_dated_outside_the_range_is_left_out(client, home_page):
    publish_policy_version(home_page, "Released", "Text.", release_date=datetime.date(2000, 1, 1))
    OrganizationFactory(name="Released organization", summary_en="")  # created today

    assert sorted(found(client, q="released", to="2000-12-31")) == ["Released", "Released — Scope"]
    assert found(client, q="released", **{"from": "2001-01-01"}) == ["Released organization"]


@pytest.mark.parametrize(
    ("sort", "titles"),
    [
        ("date", ["Version of 1999", "Version of new year", "Version of summer"]),
        ("-date", ["Version of summer", "Version of new year", "Version of 1999"]),
        # Without words, relevance is the newest first.
        ("relevance", ["Version of summer", "Version of new year", "Version of 1999"]),
    ],
)
def test_the_sort_is_applied(client, dated, sort, titles):
    assert found(client, kind="policy_version", sort=sort) == titles
    page = client.get("/search/", {"kind": "policy_version", "sort": sort})
    assert [hit.title for hit in page.context["results"].hits] == titles


def test_pages_follow_one_another_without_gaps_or_repeats(client):
    OrganizationFactory.create_batch(25, summary_en="Paged network.")

    pages = [client.get(API, {"q": "paged", "size": 10, "page": n}).json() for n in (1, 2, 3)]

    assert [body["total"] for body in pages] == [25, 25, 25]
    assert [len(body["results"]) for body in pages] == [10, 10, 5]
    ids = [result["object_id"] for body in pages for result in body["results"]]
    assert len(set(ids)) == 25
    page = client.get("/search/", {"q": "paged", "size": 10, "page": 2}).content.decode()
    assert "Previous" in page and "Next" in page


# Facets and export ---------------------------------------------------------------------


def test_facet_counts_cover_the_whole_match(client, catalogue):
    assert facet(client, "kind", q="network") == {
        "organization": 2,
        "forum": 1,
        "policy_version": 1,
        "policy_section": 1,
    }
    assert facet(client, "sector", q="network") == {"housing": 2, "health": 1}
    assert facet(client, "region", q="network") == {"south": 2, "north": 1}
    assert facet(client, "organization", q="network") == {"network-one": 2, "network-two": 1}
    assert facet(client, "year", q="network", kind="policy_version") == {"2000": 1}
    # Counts follow the filters, and only the facets asked for are returned.
    body = client.get(API, {"q": "network", "sector": "housing", "facet": "kind"}).json()
    assert body["facets"] == {
        "kind": [{"value": "forum", "count": 1}, {"value": "organization", "count": 1}]
    }


def test_the_page_lists_the_facets_as_links(client, catalogue):
    page = client.get("/search/", {"q": "network"}).content.decode()

    assert 'class="facet facet--sector"' in page
    assert "sector=housing" in page


def test_the_export_streams_every_result_from_the_database(client, catalogue):
    response = client.get("/api/search/export.csv", {"q": "network", "sort": "date"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["title"] for row in rows][:1] == ["Network table"]
    assert len(rows) == 5

    response = client.get("/api/search/export.json", {"q": "network", "kind": "organization"})
    assert response.status_code == 200
    records = json.loads(b"".join(response.streaming_content))
    assert sorted(record["title"] for record in records) == ["Network one", "Network two"]
    assert set(records[0]) == {"kind", "object_id", "title", "url", "language", "date"}

    page = client.get("/search/", {"q": "network"}).content.decode()
    assert "/api/search/export.csv?" in page


# Who finds what ------------------------------------------------------------------------


@pytest.fixture
def private_policy(home_page):
    """A released version under a policy only the group "Cabinet" may read, and a draft
    nobody finds."""
    version = publish_policy_version(home_page, "Cabinet version", "Confidential housing plan.")
    cabinet = Group.objects.create(name="Cabinet")
    restriction = PageViewRestriction.objects.create(
        page=version.get_parent(), restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([cabinet])
    publish_policy_version(home_page, "Draft version", "Draft housing plan.", publish=False)
    member = UserFactory(username="cabinet-member")
    member.groups.add(cabinet)
    return {"member": member, "outsider": UserFactory(username="outsider")}


@pytest.mark.parametrize(("who", "finds"), [("member", True), ("outsider", False), (None, False)])
def test_a_restricted_page_is_found_by_its_readers_only(client, private_policy, who, finds):
    if who:
        client.force_login(private_policy[who])
    expected = ["Cabinet version — Scope"] if finds else []

    assert found(client, q="housing plan") == expected
    assert facet(client, "kind", q="housing plan") == ({"policy_section": 1} if finds else {})
    exported = b"".join(
        client.get("/api/search/export.csv", {"q": "housing"}).streaming_content
    ).decode()
    assert ("Cabinet version" in exported) is finds
    assert "Draft version" not in exported
    page = client.get("/search/", {"q": "confidential"}).content.decode()
    assert ("Cabinet version" in page) is finds
    assert found(client, q="draft") == []


@pytest.fixture
def unpublished_brief(home_page):
    """A brief to a round still open: its organization's editors read it, nobody else."""
    from consultations.services.rounds import change_round_state
    from tests.consultations.test_rounds import add_round

    version = publish_policy_version(home_page, "Consultation document", "Some text.")
    round_page = add_round(
        version.get_parent().specific,
        version=version,
        opens_on=datetime.date(2000, 5, 1),
        closes_on=datetime.date(2000, 6, 30),
    )
    change_round_state(round_page, "open")
    author = OrganizationFactory(name="Author")
    editor = UserFactory(username="editor")
    grant_editor(editor, author)
    submission = submit_brief(
        round_page,
        author,
        editor,
        title="Unpublished brief",
        summary="Our draft on the autonomy of community action, by director Hélène Côté.",
        today=datetime.date(2000, 5, 15),
    )
    other = UserFactory(username="other-editor")
    grant_editor(other, OrganizationFactory(name="Another"))
    return {"editor": editor, "other": other, "submission": submission}


@pytest.mark.parametrize(("who", "finds"), [("editor", True), ("other", False), (None, False)])
def test_an_unpublished_brief_is_found_by_its_editors_only(client, unpublished_brief, who, finds):
    if who:
        client.force_login(unpublished_brief[who])

    assert (found(client, q="autonomy") == ["Unpublished brief"]) is finds
    assert (facet(client, "kind", kind="submission") == {"submission": 1}) is finds


@pytest.mark.parametrize("typed", ["Côté", "cote", "HELENE", "hélène"])
def test_no_spelling_of_a_redacted_word_finds_the_brief(client, unpublished_brief, typed):
    from consultations.models import Redaction

    client.force_login(unpublished_brief["editor"])
    assert found(client, q=typed) == ["Unpublished brief"]

    Redaction.objects.create(
        submission=unpublished_brief["submission"],
        passage="Hélène Côté",
        reason="personal information",
    )

    assert found(client, q=typed) == []
    assert found(client, q="director") == ["Unpublished brief"]


# Refusals, similar records, cost -----------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"from": "2000-13-01"}, "from"),
        ({"from": "2000-02-01", "to": "2000-01-01"}, "to"),
        ({"sort": "title"}, "sort"),
        ({"kind": "secret"}, "kind"),
        ({"sector": "a b"}, "sector"),
        ({"year": "20"}, "year"),
        ({"page": "abc"}, "page"),
        ({"facet": "colour"}, "facet"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, params, parameter):
    params = {"q": "x", **params}

    api = client.get(API, params)
    assert api.status_code == 400
    assert api.json()["error"]["parameter"] == parameter
    page = client.get("/search/", params)
    assert page.status_code == 400
    assert f"“{parameter}”" in page.content.decode()
    export = client.get("/api/search/export.csv", params)
    if parameter not in ("page", "facet"):  # the export does not read them
        assert export.status_code == 400


def test_similar_records_need_the_engine_and_the_page_says_so(client):
    organization = OrganizationFactory(name="Lookalike", summary_en="")

    response = client.get("/search/", {"like": f"organization:{organization.pk}"})

    assert response.context["results"].total == 0
    assert "Similar records need the search engine" in response.content.decode()


def count_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(API, params).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_records(client, home_page):
    def add(n: int) -> None:
        for _ in range(n):
            OrganizationFactory(summary_en="Counted network.", sectors=[SectorFactory()])
            ForumFactory(description="Counted network.")
            publish_policy_version(home_page, "Counted version", "Counted network text.")

    add(2)
    count_queries(client, {"q": "counted network"})  # warms the site's cached paths
    few = count_queries(client, {"q": "counted network"})
    add(6)
    many = count_queries(client, {"q": "counted network", "sort": "date"})

    assert many == few
    assert few <= 20


def test_engine_down_degrades_to_the_database_with_a_visible_note(client, settings, closed_port):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port}"
    OrganizationFactory(name="Carrefour familial", summary_en="Families first.")

    response = client.get("/search/", {"q": "families"})

    assert response.status_code == 200
    assert response.context["results"].engine_unavailable
    assert response.context["results"].total == 1
    assert "search engine is unavailable" in response.content.decode()
    export = client.get("/api/search/export.json", {"q": "families"})
    assert export.status_code == 200
    assert [r["title"] for r in json.loads(b"".join(export.streaming_content))] == [
        "Carrefour familial"
    ]


def test_a_save_succeeds_while_the_engine_is_down(
    settings, closed_port, django_capture_on_commit_callbacks
):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port}"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        OrganizationFactory(name="Saved during an outage")

    assert len(callbacks) == 1  # the index update was attempted after commit, and failed
    assert Organization.objects.filter(name="Saved during an outage").exists()
