"""Following without an account (issue #16, the subscribe part): the address is
confirmed by a link before anything but the confirmation is sent (double opt-in),
through a real SMTP conversation; the link opens a page whose button confirms; a second
subscription of the same address joins the same subscriber and says nothing of whether
it was known; French pages under /fr/."""

import pytest
from django.urls import reverse
from django.utils import translation

from follows.models import Delivery, DeliveryKind, Follow, Subscriber
from follows.tokens import make_token
from tests.follows.subscribe_links import confirmation_link, links

pytest_plugins = ["tests.follows.subscribe_fixtures"]
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

FOLLOW = "/follows/follow/"


def subscribe(client, target: str, email: str, cadence: str = "daily", **extra):
    return client.post(FOLLOW, {"target": target, "email": email, "cadence": cadence, **extra})


class TestDoubleOptIn:
    def test_the_whole_flow_from_the_form_to_the_confirmed_follow(
        self, client, policy, smtp_server, run_on_commit
    ):
        form = client.get(FOLLOW, {"target": f"policy:{policy.pk}", "next": policy.url})
        assert form.status_code == 200
        page = form.content.decode()
        assert "Policy: Community action policy" in page
        assert 'name="email"' in page and 'value="daily"' in page

        with run_on_commit():
            answer = subscribe(client, f"policy:{policy.pk}", "Reader@Example.org", "weekly")
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("follows_check_inbox"))
        assert "Check your inbox" in client.get(answer["Location"]).content.decode()

        subscriber = Subscriber.objects.get()
        assert subscriber.email == "Reader@example.org"
        assert subscriber.cadence == "weekly" and subscriber.language == "en"
        assert subscriber.confirmed_at is None and not subscriber.is_receiving
        assert Follow.objects.get().target == f"policy:{policy.pk}"

        [message] = smtp_server.messages
        assert message["To"] == "Reader@example.org"
        assert "Confirm" in message["Subject"]
        assert "Policy: Community action policy" in message.get_body(("plain",)).get_content()
        link = confirmation_link(message)

        # A link pre-fetcher (or the reader) opening it confirms nothing.
        opened = client.get(link)
        assert opened.status_code == 200
        assert "Confirm my address" in opened.content.decode()
        assert Subscriber.objects.get().confirmed_at is None

        confirmed = client.post(link)
        assert confirmed.status_code == 302
        assert "/follows/manage/" in confirmed["Location"]
        assert Subscriber.objects.get().is_receiving
        manage = client.get(confirmed["Location"]).content.decode()
        assert "Your address is confirmed" in manage
        assert "Reader@example.org" in manage  # its owner's page
        # Nothing but the confirmation was sent.
        assert [d.kind for d in Delivery.objects.all()] == [DeliveryKind.CONFIRMATION]

    def test_the_confirmation_e_mail_carries_the_unsubscribe_headers(
        self, client, policy, smtp_server, run_on_commit
    ):
        with run_on_commit():
            subscribe(client, f"policy:{policy.pk}", "reader@example.org")
        [message] = smtp_server.messages
        assert "/follows/unsubscribe/" in message["List-Unsubscribe"]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    def test_a_confirmed_link_used_again_changes_nothing_and_says_so(
        self, client, policy, smtp_server, run_on_commit
    ):
        with run_on_commit():
            subscribe(client, f"policy:{policy.pk}", "reader@example.org")
        link = confirmation_link(smtp_server.messages[0])
        client.post(link)
        confirmed_at = Subscriber.objects.get().confirmed_at

        for replay in (client.get(link), client.post(link)):
            assert replay.status_code == 400
            assert "already used" in replay.content.decode()
        assert Subscriber.objects.get().confirmed_at == confirmed_at


class TestSameAddressTwice:
    def test_a_second_subscription_joins_the_same_subscriber_whatever_the_case(
        self, client, policy, round_page, smtp_server, run_on_commit
    ):
        with run_on_commit():
            first = subscribe(client, f"policy:{policy.pk}", "reader@example.org")
        link = confirmation_link(smtp_server.messages[0])
        client.post(link)
        with run_on_commit():
            second = subscribe(client, f"round:{round_page.pk}", "READER@example.ORG", "immediate")

        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"]
        subscriber = Subscriber.objects.get()
        assert subscriber.follows.count() == 2
        # The stranger's choice does not change the owner's settings.
        assert subscriber.cadence == "daily"
        # Confirmed already: no second confirmation.
        assert len(smtp_server.messages) == 1

    def test_the_answer_is_the_same_whether_the_address_was_known_or_not(
        self, client, policy, round_page, smtp_server, run_on_commit
    ):
        with run_on_commit():
            subscribe(client, f"policy:{policy.pk}", "known@example.org")
        client.post(confirmation_link(smtp_server.messages[0]))

        with run_on_commit():
            known = subscribe(client, f"round:{round_page.pk}", "known@example.org")
            unknown = subscribe(client, f"round:{round_page.pk}", "new@example.org")
        assert known.status_code == unknown.status_code == 302
        assert known["Location"] == unknown["Location"]
        assert client.get(known["Location"]).content == client.get(unknown["Location"]).content

    def test_an_unconfirmed_address_gets_its_confirmation_again_once_per_window(
        self, client, policy, round_page, smtp_server, run_on_commit
    ):
        with run_on_commit():
            subscribe(client, f"policy:{policy.pk}", "reader@example.org")
            subscribe(client, f"round:{round_page.pk}", "reader@example.org")
        # Queued once in the resend window, whatever the number of requests.
        assert len(smtp_server.messages) == 1
        Delivery.objects.all().delete()
        with run_on_commit():
            subscribe(client, f"round:{round_page.pk}", "reader@example.org")
        assert len(smtp_server.messages) == 2
        assert Subscriber.objects.get().follows.count() == 2


class TestFrench:
    def test_the_pages_and_the_e_mail_are_in_french_under_fr(
        self, client, policy, smtp_server, run_on_commit
    ):
        with translation.override("fr"):
            path = reverse("follows_follow")
        assert path.startswith("/fr/")
        form = client.get(path, {"target": f"policy:{policy.pk}"})
        assert form.status_code == 200
        assert '<html lang="fr">' in form.content.decode()
        with run_on_commit():
            answer = client.post(
                path,
                {
                    "target": f"policy:{policy.pk}",
                    "email": "lectrice@example.org",
                    "cadence": "daily",
                },
            )
        assert answer["Location"].startswith("/fr/")
        subscriber = Subscriber.objects.get()
        assert subscriber.language == "fr"
        [message] = smtp_server.messages
        link = confirmation_link(message)
        assert link.startswith("/fr/")
        assert all("/fr/" in url for url in links(message))
        assert client.get(link).status_code == 200
        assert client.post(link).status_code == 302
        assert Subscriber.objects.get().is_receiving

    def test_a_french_subscriber_s_links_are_french(self, policy):
        subscriber = Subscriber.objects.create(email="a@example.org", language="fr")
        from follows.tokens import confirm_url, manage_url, unsubscribe_url

        for url in (confirm_url(subscriber), manage_url(subscriber), unsubscribe_url(subscriber)):
            assert "/fr/" in url and url.startswith("http")
        assert make_token(subscriber, "manage") in manage_url(subscriber)
