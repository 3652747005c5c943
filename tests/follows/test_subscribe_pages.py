"""The follow control (issue #16, the subscribe part) on a policy, a round, an
organization, a forum, a programme, the open rounds, the positions and search results:
anonymous visitors get a link to the form (no form on the page, so it stays cacheable
and costs no query), signed-in readers a one-click button and whether they follow it
already (one query, whatever they follow)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from follows.models import Follow, Subscriber
from tests.factories import ForumFactory, OrganizationFactory, ProgrammeFactory, UserFactory

pytest_plugins = ["tests.follows.subscribe_fixtures"]
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def pages(policy, round_page, position_index):
    organization = OrganizationFactory()
    forum = ForumFactory()
    programme = ProgrammeFactory()
    return {
        "Follow this policy": (policy.url, f"policy:{policy.pk}"),
        "Follow this round": (round_page.url, f"round:{round_page.pk}"),
        "Follow this organization": (
            organization.get_absolute_url(),
            f"organization:{organization.pk}",
        ),
        "Follow this forum": (forum.get_absolute_url(), f"forum:{forum.pk}"),
        "Follow this programme": (programme.get_absolute_url(), f"programme:{programme.pk}"),
        "Follow the rounds as they open": (reverse("open_rounds"), "listing:open_rounds"),
        "Follow new positions": (position_index.url, "listing:new_positions"),
    }


def get(client, url: str) -> str:
    answer = client.get(url, follow=True)
    assert answer.status_code == 200, url
    return answer.content.decode()


class TestAnonymous:
    def test_every_page_links_to_the_follow_form_without_a_form_of_its_own(self, client, pages):
        for call, (url, target) in pages.items():
            page = get(client, url)
            assert call in page, url
            assert "/follows/follow/?target=" + target.replace(":", "%3A") in page, url
            assert 'action="/follows/follow/"' not in page
        # No CSRF cookie was set: the public page cache may keep these pages.
        assert "csrftoken" not in client.cookies

    def test_each_link_opens_the_form_for_its_target(self, client, pages):
        for call, (_url, target) in pages.items():
            answer = client.get("/follows/follow/", {"target": target})
            assert answer.status_code == 200, call
            assert 'name="email"' in answer.content.decode()

    def test_listings_and_searches_link_to_their_atom_feed(self, client, pages):
        from follows.feeds import feed_url

        url, target = pages["Follow the rounds as they open"]
        assert f'href="{feed_url(target)}" type="application/atom+xml"' in get(client, url)
        page = get(client, reverse("search:search") + "?q=housing")
        assert 'type="application/atom+xml">Atom feed</a>' in page
        policy_url, _target = pages["Follow this policy"]
        assert ">Atom feed</a>" not in get(client, policy_url)

    def test_search_results_offer_to_follow_the_search_only_with_a_query(self, client):
        assert "Follow this search" not in get(client, reverse("search:search"))
        page = get(client, reverse("search:search") + "?q=housing&page=1")
        assert "Follow this search" in page
        assert "target=search&amp;query=q%3Dhousing" in page


class TestSignedIn:
    def test_a_one_click_button_then_the_state(self, client, pages):
        user = UserFactory(email="reader@example.org")
        client.force_login(user)
        for call, (url, target) in pages.items():
            page = get(client, url)
            assert f'<button type="submit">{call}</button>' in page, url
            answer = client.post("/follows/follow/", {"target": target, "next": url})
            assert answer.status_code == 302 and answer["Location"] == url
            assert "You follow it." in get(client, url), url
        assert Subscriber.objects.get().follows.count() == len(pages)

    def test_search_results_follow_the_search(self, client):
        client.force_login(UserFactory(email="reader@example.org"))
        url = reverse("search:search") + "?q=housing"
        page = get(client, url)
        assert 'name="query" value="q=housing"' in page
        client.post("/follows/follow/", {"target": "search", "query": "q=housing", "next": url})
        assert Follow.objects.get().query == "q=housing"
        assert "You follow it." in get(client, url)

    def test_the_control_costs_one_query_whatever_one_follows(self, client, policy):
        user = UserFactory(email="reader@example.org")
        client.force_login(user)
        client.post("/follows/follow/", {"target": f"policy:{policy.pk}"})
        get(client, policy.url)
        with CaptureQueriesContext(connection) as few:
            get(client, policy.url)
        subscriber = Subscriber.objects.get()
        Follow.objects.bulk_create(
            Follow(subscriber=subscriber, kind="search", target=f"search:{n:064d}")
            for n in range(100)
        )
        with CaptureQueriesContext(connection) as many:
            get(client, policy.url)
        assert len(many) == len(few)
        follow_queries = [q for q in few.captured_queries if "follows_follow" in q["sql"]]
        assert len(follow_queries) == 1


class TestPageCache:
    def test_pages_with_the_control_stay_cached_and_subscribing_keeps_them(
        self, client, settings, policy, run_on_commit
    ):
        """The control adds no form to an anonymous page, so the public page cache keeps
        it; writes of the follows (a subscription, its e-mail) show on no cached page
        and leave the copies as they were."""
        from django.core.cache import cache

        from concertation import page_cache

        settings.PAGE_CACHE_SECONDS = 300
        cache.clear()
        try:
            assert client.get(policy.url)["X-Page-Cache"] == "miss"
            assert client.get(policy.url)["X-Page-Cache"] == "hit"
            token = cache.get(page_cache.TOKEN_KEY)
            with run_on_commit():
                answer = client.post(
                    "/follows/follow/",
                    {"target": f"policy:{policy.pk}", "email": "a@example.org", "cadence": "daily"},
                )
            assert answer.status_code == 302
            assert cache.get(page_cache.TOKEN_KEY) == token
            assert client.get(policy.url)["X-Page-Cache"] == "hit"
        finally:
            cache.clear()
