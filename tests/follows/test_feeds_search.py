"""The Atom feed of a saved search (`/search/feed/?q=…`), against the real Elasticsearch
and against the database fallback: the newest public records first, stable entry ids,
a refused parameter answered 400 naming it, and never a restricted or unpublished
record, whoever asks."""

import datetime

import feedparser
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageViewRestriction

from consultations.services.rounds import change_round_state, submit_brief
from follows.feeds import feed_url
from follows.targets import canonical_query, saved_search_target
from organizations.permissions import grant_editor
from tests.consultations.test_rounds import add_round
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version

pytestmark = pytest.mark.django_db


def feed_path(language: str = "en") -> str:
    with translation.override(language):
        return reverse("follows_feed_search")


def fetch(client, language: str = "en", **params) -> feedparser.FeedParserDict:
    response = client.get(feed_path(language), params)
    assert response.status_code == 200, response.content[:500]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def titles(parsed) -> list[str]:
    return [entry.title for entry in parsed.entries]


def build_archive(home_page) -> dict:
    """Three public records about housing, dated apart, and two nobody outside may
    read: a version behind a group restriction, a brief its open round does not
    publish yet; and a draft version."""
    publish_policy_version(
        home_page,
        "Housing policy, 1998",
        "Housing for all.",
        release_date=datetime.date(1998, 1, 1),
    )
    newest = publish_policy_version(
        home_page, "Housing policy, 2002", "Housing first.", release_date=datetime.date(2002, 1, 1)
    )
    OrganizationFactory(name="Housing co-operative of the north")
    cabinet = Group.objects.create(name="Cabinet")
    private = publish_policy_version(home_page, "Cabinet housing plan", "Housing secrets.")
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([cabinet])
    publish_policy_version(home_page, "Draft housing plan", "Housing draft.", publish=False)
    round_page = add_round(
        newest.get_parent().specific,
        version=newest,
        opens_on=datetime.date(2000, 5, 1),
        closes_on=datetime.date(2999, 6, 30),
    )
    change_round_state(round_page, "open")
    author = OrganizationFactory(name="Tenants' committee")
    editor = UserFactory(username="editor")
    grant_editor(editor, author)
    submit_brief(
        round_page,
        author,
        editor,
        title="Unpublished housing brief",
        summary="Our housing draft.",
        today=datetime.date(2000, 5, 15),
    )
    member = UserFactory(username="cabinet-member")
    member.groups.add(cabinet)
    return {"member": member, "editor": editor}


HIDDEN = ("Cabinet housing plan", "Draft housing plan", "Unpublished housing brief")


def check_public_records_only(client, archive) -> None:
    parsed = fetch(client, q="housing", kind="policy_version")
    assert titles(parsed) == ["Housing policy, 2002", "Housing policy, 1998"]  # newest first
    everything = client.get(feed_path(), {"q": "housing"}).content.decode()
    assert "Housing co-operative of the north" in everything
    for title in HIDDEN:
        assert title not in everything
    # Signed in as someone who may read them changes nothing: a feed is the public's.
    for who in ("member", "editor"):
        client.force_login(archive[who])
        everything = client.get(feed_path(), {"q": "housing"}).content.decode()
        for title in HIDDEN:
            assert title not in everything
    client.logout()


@pytest.mark.elasticsearch
def test_on_elasticsearch_the_feed_lists_public_matches_newest_first(
    client, home_page, archive_index, index_on_commit
):
    with index_on_commit():
        records = build_archive(home_page)
    check_public_records_only(client, records)


@pytest.fixture
def fallback(settings):
    settings.ELASTICSEARCH_URL = ""


def test_on_the_database_fallback_the_feed_lists_public_matches_newest_first(
    client, fallback, archive
):
    check_public_records_only(client, archive)


@pytest.fixture
def archive(home_page) -> dict:
    return build_archive(home_page)


def test_entries_keep_their_ids_across_fetches_and_a_title_change(client, fallback, home_page):
    version = publish_policy_version(home_page, "Housing policy", "x")
    first = fetch(client, q="housing", kind="policy_version").entries[0].id
    version.title = "Housing policy (renamed)"
    version.save_revision().publish()
    renamed = fetch(client, q="housing", kind="policy_version").entries[0]

    assert renamed.title == "Housing policy (renamed)"
    assert first == renamed.id == f"tag:127.0.0.1,2026:policy_version:{version.pk}"


def test_the_feed_is_valid_atom_with_absolute_links_in_the_visitors_language(
    client, fallback, home_page
):
    organization = OrganizationFactory(name="Housing co-operative")
    english = fetch(client, q="housing")
    french = fetch(client, "fr", q="housing")

    assert english.feed.language == "en" and french.feed.language == "fr"
    assert [entry.link for entry in english.entries] == [
        f"http://testserver/organizations/{organization.slug}/"
    ]
    assert [entry.link for entry in french.entries] == [
        f"http://testserver/fr/organizations/{organization.slug}/"
    ]
    self_link = [link.href for link in english.feed.links if link.rel == "self"]
    assert self_link == ["http://testserver/search/feed/?q=housing"]
    alternate = [link.href for link in english.feed.links if link.rel == "alternate"]
    assert alternate == ["http://testserver/search/?q=housing"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({"from": "yesterday"}, "from"), ({"kind": "nothing"}, "kind"), ({"q": "x" * 2000}, "q")],
)
def test_a_bad_parameter_is_a_400_naming_it(client, fallback, params, parameter):
    response = client.get(feed_path(), params)

    assert response.status_code == 400
    assert f"“{parameter}”" in response.content.decode()


def test_paging_and_sorting_are_not_the_searchs_and_are_ignored(client, fallback, home_page):
    OrganizationFactory(name="Housing co-operative")

    parsed = fetch(client, q="housing", page="7", size="1000", sort="nonsense")

    assert titles(parsed) == ["Housing co-operative"]


def test_the_feed_costs_the_same_queries_whatever_the_number_of_matches(
    client, fallback, home_page
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(feed_path(), {"q": "housing"}).status_code == 200
        return len(queries)

    OrganizationFactory(name="Housing co-operative 0")
    publish_policy_version(home_page, "Housing policy 0", "x")
    client.get(feed_path(), {"q": "housing"})
    before = count()
    for i in range(1, 5):
        OrganizationFactory(name=f"Housing co-operative {i}")
        publish_policy_version(home_page, f"Housing policy {i}", "x")

    assert count() == before


def test_the_search_page_announces_the_feed_of_its_query(client, fallback):
    head = client.get("/search/", {"q": "housing", "page": "1"}).content.decode()
    head = head.partition("</head>")[0]

    assert 'type="application/atom+xml"' in head
    assert 'href="/search/feed/?q=housing"' in head


def test_feed_url_of_a_saved_search_target():
    query = canonical_query(QueryDict("kind=organization&q=housing&page=2"))
    target = saved_search_target(query)

    assert feed_url(target, query=query) == "/search/feed/?kind=organization&q=housing"
    with translation.override("fr"):
        assert feed_url(target, query=query, absolute=True).startswith("http://127.0.0.1:8000/fr/")


@pytest.mark.elasticsearch
def test_on_elasticsearch_the_feed_costs_the_same_queries_whatever_the_matches(
    client, home_page, archive_index, index_on_commit
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(feed_path(), {"q": "housing"}).status_code == 200
        return len(queries)

    with index_on_commit():
        OrganizationFactory(name="Housing co-operative 0")
        publish_policy_version(home_page, "Housing policy 0", "x")
    client.get(feed_path(), {"q": "housing"})
    before = count()
    with index_on_commit():
        for i in range(1, 5):
            OrganizationFactory(name=f"Housing co-operative {i}")
            publish_policy_version(home_page, f"Housing policy {i}", "x")

    assert len(fetch(client, q="housing").entries) >= 10
    assert count() == before
