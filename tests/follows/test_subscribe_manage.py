"""Managing follows (issue #16, the subscribe part): the page of the signed `manage`
link and the account's, the one-click unsubscribe (RFC 8058: a POST with
`List-Unsubscribe=One-Click`, no cookie, no CSRF token; idempotent; a GET only shows a
button), the account page's "What you follow", and the address shown to its owner only."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from follows.models import Follow, Subscriber
from follows.tokens import make_token
from tests.factories import UserFactory

pytest_plugins = ["tests.follows.subscribe_fixtures"]
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def reader() -> Subscriber:
    reader = Subscriber.objects.create(
        email="reader@example.org", confirmed_at=timezone.now(), cadence="daily"
    )
    for name, label in (("open_rounds", "Rounds opening"), ("new_positions", "New positions")):
        Follow.objects.create(
            subscriber=reader, kind="listing", target=f"listing:{name}", label=label
        )
    return reader


def manage_path(subscriber: Subscriber) -> str:
    return reverse("follows_manage", kwargs={"token": make_token(subscriber, "manage")})


def unsubscribe_path(subscriber: Subscriber) -> str:
    return reverse("follows_unsubscribe", kwargs={"token": make_token(subscriber, "unsubscribe")})


class TestOneClickUnsubscribe:
    def test_a_mail_client_s_rfc_8058_post_unsubscribes_without_cookie_or_csrf(self, reader):
        client = Client(enforce_csrf_checks=True)
        answer = client.post(
            unsubscribe_path(reader),
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert answer.status_code == 200
        reader.refresh_from_db()
        assert reader.unsubscribed_at is not None and not reader.is_receiving
        # The follows are kept, for a return.
        assert reader.follows.count() == 2

    def test_it_is_idempotent(self, reader):
        client = Client(enforce_csrf_checks=True)
        path = unsubscribe_path(reader)
        client.post(path, data="List-Unsubscribe=One-Click", content_type="text/plain")
        first = Subscriber.objects.get().unsubscribed_at
        again = client.post(path, data="List-Unsubscribe=One-Click", content_type="text/plain")
        assert again.status_code == 200
        assert Subscriber.objects.get().unsubscribed_at == first

    def test_a_get_by_a_link_prefetcher_changes_nothing(self, client, reader):
        answer = client.get(unsubscribe_path(reader))
        assert answer.status_code == 200
        assert "Stop all e-mails" in answer.content.decode()
        assert Subscriber.objects.get().unsubscribed_at is None

    def test_the_unsubscribe_pages_do_not_show_the_address(self, client, reader):
        path = unsubscribe_path(reader)
        assert "reader@example.org" not in client.get(path).content.decode()
        assert "reader@example.org" not in client.post(path).content.decode()


class TestManagePage:
    def test_it_lists_the_follows_and_its_owner_s_address(self, client, reader):
        page = client.get(manage_path(reader)).content.decode()
        assert "Rounds opening" in page and "New positions" in page
        assert "reader@example.org" in page

    def test_unfollow_change_settings_unsubscribe_and_resume(self, client, reader):
        path = manage_path(reader)
        follow = reader.follows.get(target="listing:open_rounds")

        answer = client.post(path, {"action": "unfollow", "follow": follow.pk})
        assert answer.status_code == 302 and answer["Location"] == path + "?done=unfollowed"
        assert list(reader.follows.values_list("target", flat=True)) == ["listing:new_positions"]
        assert "You no longer follow it" in client.get(answer["Location"]).content.decode()

        client.post(path, {"action": "settings", "cadence": "weekly", "language": "fr"})
        reader.refresh_from_db()
        assert (reader.cadence, reader.language) == ("weekly", "fr")

        client.post(path, {"action": "unsubscribe"})
        reader.refresh_from_db()
        assert reader.unsubscribed_at is not None
        assert "Receive e-mails again" in client.get(path).content.decode()

        client.post(path, {"action": "resume"})
        reader.refresh_from_db()
        assert reader.is_receiving

    def test_bad_settings_name_the_field_and_change_nothing(self, client, reader):
        answer = client.post(
            manage_path(reader), {"action": "settings", "cadence": "hourly", "language": "de"}
        )
        assert answer.status_code == 400
        page = answer.content.decode()
        assert 'href="#id_cadence_0"' in page and 'href="#id_language_0"' in page
        reader.refresh_from_db()
        assert (reader.cadence, reader.language) == ("daily", "en")

    def test_a_bad_follow_key_is_a_400_naming_it(self, client, reader):
        for bad in ("abc", "", "1" * 40):
            answer = client.post(manage_path(reader), {"action": "unfollow", "follow": bad})
            assert answer.status_code == 400
            assert "follow:" in answer.content.decode()
        assert reader.follows.count() == 2

    def test_an_unknown_action_is_a_400(self, client, reader):
        answer = client.post(manage_path(reader), {"action": "delete-everything"})
        assert answer.status_code == 400
        assert "action" in answer.content.decode()

    def test_the_page_costs_the_same_whatever_the_number_of_follows(self, client, reader):
        path = manage_path(reader)
        client.get(path)
        with CaptureQueriesContext(connection) as few:
            client.get(path)
        Follow.objects.bulk_create(
            Follow(subscriber=reader, kind="search", target=f"search:{n:064d}", label=f"S{n}")
            for n in range(50)
        )
        with CaptureQueriesContext(connection) as many:
            page = client.get(path).content.decode()
        assert len(many) == len(few)
        assert "S49" in page


class TestAccount:
    def test_one_click_follow_makes_a_confirmed_subscriber_with_the_account_s_address(
        self, client, policy
    ):
        user = UserFactory(email="editor@example.org")
        client.force_login(user)
        answer = client.post(
            "/follows/follow/", {"target": f"policy:{policy.pk}", "next": policy.url}
        )
        assert answer.status_code == 302 and answer["Location"] == policy.url
        subscriber = Subscriber.objects.get()
        assert subscriber.user == user and subscriber.email == "editor@example.org"
        assert subscriber.is_receiving
        page = client.get(policy.url).content.decode()
        assert "You follow it." in page and "Stop following" in page

        client.post("/follows/unfollow/", {"target": f"policy:{policy.pk}", "next": policy.url})
        assert not Follow.objects.exists()

    def test_the_account_page_lists_what_one_follows(self, client, policy):
        user = UserFactory(email="editor@example.org")
        client.force_login(user)
        client.post("/follows/follow/", {"target": f"policy:{policy.pk}"})
        client.post("/follows/follow/", {"target": "listing:open_rounds"})

        page = client.get(reverse("contributor")).content.decode()

        assert "What you follow" in page
        assert "Policy: Community action policy" in page and "Rounds opening" in page
        assert reverse("follows_account") in page

    def test_the_account_s_manage_page(self, client, policy):
        user = UserFactory(email="editor@example.org")
        client.force_login(user)
        assert "You follow nothing yet" in client.get(reverse("follows_account")).content.decode()
        client.post("/follows/follow/", {"target": f"policy:{policy.pk}"})
        page = client.get(reverse("follows_account")).content.decode()
        assert "Policy: Community action policy" in page and "editor@example.org" in page

    def test_the_account_s_manage_page_asks_to_sign_in(self, client):
        answer = client.get(reverse("follows_account"))
        assert answer.status_code == 302 and "sign-in" in answer["Location"]

    def test_an_address_subscribed_without_account_becomes_the_account_s(self, client, policy):
        earlier = Subscriber.objects.create(email="Editor@Example.org")
        Follow.objects.create(subscriber=earlier, kind="listing", target="listing:open_rounds")
        user = UserFactory(email="editor@example.org")
        client.force_login(user)
        client.post("/follows/follow/", {"target": f"policy:{policy.pk}"})
        subscriber = Subscriber.objects.get()
        assert subscriber.user == user and subscriber.is_receiving
        assert subscriber.follows.count() == 2

    def test_an_account_whose_address_another_subscriber_has_is_told_so(self, client, policy):
        user = UserFactory(email="editor@example.org")
        client.force_login(user)
        client.post("/follows/follow/", {"target": f"policy:{policy.pk}"})
        Subscriber.objects.create(email="taken@example.org")
        user.email = "TAKEN@example.org"
        user.save()
        answer = client.post("/follows/follow/", {"target": "listing:open_rounds"})
        assert answer.status_code == 400
        assert "Another subscriber" in answer.content.decode()
        assert Subscriber.objects.get(user=user).email == "editor@example.org"

    def test_following_the_french_page_follows_the_record(self, client, policy):
        from wagtail.models import Locale

        from concertation.site_setup import publish_translation

        french = Locale.objects.get(language_code="fr")
        publish_translation(policy.get_parent().specific, french, title="Politiques", slug="pol")
        french_policy = publish_translation(policy, french, title="Politique", slug="politique")
        client.force_login(UserFactory(email="editor@example.org"))
        with translation.override("fr"):
            follow_path, unfollow_path = reverse("follows_follow"), reverse("follows_unfollow")
        assert follow_path == "/fr/suivis/suivre/"
        client.post(follow_path, {"target": f"policy:{french_policy.pk}"})
        follow = Follow.objects.get()
        assert follow.target == f"policy:{policy.pk}"
        assert follow.label == "Policy: Politique" or "Politique" in follow.label
        page = client.get(french_policy.url, follow=True).content.decode()
        assert unfollow_path in page
