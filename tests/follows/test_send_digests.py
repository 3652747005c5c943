"""Digests and as-it-happens e-mails through a real SMTP conversation (aiosmtpd): one
e-mail per reader per period whatever the follows, the one-click unsubscribe headers,
the reader's language, and only what the reader may open at sending time."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, PageViewRestriction

from concertation.site_setup import publish_translation
from follows.models import Cadence, Delivery, DeliveryState, Notice, NoticeState
from follows.sending import period_end, send_due
from organizations.permissions import grant_editor, revoke_editor
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version
from tests.follows.send_fixtures import NOW, follow, make_open_round, notice, reader

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SITE = "https://concertation.example"


@pytest.fixture
def open_round(home_page):
    return make_open_round(home_page)


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.WAGTAILADMIN_BASE_URL = SITE


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


class TestOneDigestPerReader:
    def test_one_email_whatever_the_number_of_follows_with_rfc_8058_headers(self, smtp_server):
        """Three follows, five notices: one e-mail, grouped by follow, with the one-click
        unsubscribe headers and the link to manage follows."""
        someone = reader("someone@example.org")
        organizations = OrganizationFactory.create_batch(5)
        follows = [
            follow(someone, "organization", org.pk, f"Organization: {org.name}")
            for org in organizations[:3]
        ]
        for index, org in enumerate(organizations):
            notice(someone, f"organization:{org.pk}", via=follows[index % 3])

        assert send_due(NOW) == 1

        [message] = smtp_server.messages
        assert message["To"] == "someone@example.org"
        assert message["List-Unsubscribe"].strip().startswith(f"<{SITE}/")
        assert message["List-Unsubscribe"].strip().endswith(">")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["Message-ID"]
        text = body_of(message)
        for org in organizations:
            assert org.name in text
            assert f"{SITE}/organizations/{org.slug}/" in text
        assert text.count("== Organization: ") == 3
        assert "/manage/" in text or "manage" in text.lower()
        assert "<a href=" in html_of(message)
        delivery = Delivery.objects.get()
        assert delivery.state == DeliveryState.SENT
        assert delivery.key == f"digest:{someone.pk}:{period_end(Cadence.DAILY, NOW).isoformat()}"
        assert delivery.message_id == message["Message-ID"]
        assert set(Notice.objects.values_list("state", "delivery")) == {
            (NoticeState.SENT, delivery.pk)
        }

    def test_a_second_pass_in_the_same_period_sends_nothing(self, smtp_server):
        someone = reader()
        org = OrganizationFactory()
        notice(someone, f"organization:{org.pk}", via=follow(someone, "organization", org.pk))

        assert send_due(NOW) == 1
        assert send_due(NOW + datetime.timedelta(minutes=5)) == 0
        # A notice arriving later waits for the next period…
        other = OrganizationFactory()
        notice(someone, f"organization:{other.pk}")
        assert send_due(NOW + datetime.timedelta(hours=2)) == 0
        # …and goes in the next day's digest.
        assert send_due(NOW + datetime.timedelta(days=1)) == 1
        assert len(smtp_server.messages) == 2
        assert other.name in body_of(smtp_server.messages[1])
        assert Delivery.objects.count() == 2

    def test_weekly_readers_wait_for_monday(self, smtp_server):
        someone = reader(cadence=Cadence.WEEKLY)
        org = OrganizationFactory()
        someone.digest_until = period_end(Cadence.WEEKLY, NOW)
        someone.save()
        notice(someone, f"organization:{org.pk}")

        assert send_due(NOW + datetime.timedelta(days=1)) == 0  # Thursday
        monday = NOW + datetime.timedelta(days=5)
        assert send_due(monday) == 1

    def test_immediate_readers_get_one_email_a_pass(self, smtp_server):
        someone = reader(cadence=Cadence.IMMEDIATE)
        first, second = OrganizationFactory.create_batch(2)
        notice(someone, f"organization:{first.pk}")
        assert send_due(NOW) == 1
        notice(someone, f"organization:{second.pk}")
        assert send_due(NOW + datetime.timedelta(minutes=1)) == 1
        assert [m["To"] for m in smtp_server.messages] == [someone.email] * 2
        assert first.name in smtp_server.messages[0]["Subject"]

    def test_unconfirmed_unsubscribed_and_suspended_readers_get_nothing(self, smtp_server):
        org = OrganizationFactory()
        unconfirmed = reader("a@example.org", confirmed=False)
        unsubscribed = reader("b@example.org")
        unsubscribed.unsubscribed_at = NOW
        unsubscribed.save()
        suspended = reader("c@example.org")
        suspended.suspended_at = NOW
        suspended.save()
        for someone in (unconfirmed, unsubscribed, suspended):
            notice(someone, f"organization:{org.pk}")

        assert send_due(NOW) == 0
        assert smtp_server.messages == []
        assert set(Notice.objects.values_list("state", flat=True)) == {NoticeState.PENDING}


class TestLanguage:
    def test_a_french_reader_gets_french_links_and_html(self, smtp_server):
        someone = reader("lectrice@example.org", language="fr")
        org = OrganizationFactory()
        notice(someone, f"organization:{org.pk}", via=follow(someone, "organization", org.pk))

        send_due(NOW)

        [message] = smtp_server.messages
        assert message["List-Unsubscribe"].strip().startswith(f"<{SITE}/fr/")
        text = body_of(message)
        assert f"{SITE}/fr/" in text
        assert f"{SITE}/organizations/" not in text
        assert 'lang="fr"' in html_of(message)
        assert Delivery.objects.get().language == "fr"

    def test_a_page_is_shown_as_its_translation_in_the_readers_language(
        self, smtp_server, home_page
    ):
        """Detection names a version by one of its pages (here the English one): a French
        reader reads its French page, an English reader the English one; a translation
        its reader may not open the same way is not swapped in."""
        french = Locale.objects.get(language_code="fr")
        version = publish_policy_version(home_page, "Housing policy, version 2", "text")
        policy = version.get_parent().specific
        publish_translation(policy.get_parent().specific, french, title="Politiques", slug="pol")
        publish_translation(policy, french, title="Politique", slug="politique")
        publish_translation(version, french, title="Politique du logement, version 2", slug="v2")
        hidden = publish_policy_version(home_page, "Cabinet version", "text")
        hidden_fr = publish_translation(hidden, french, title="Version du cabinet", slug="cab")
        PageViewRestriction.objects.create(
            page=hidden_fr, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
        lectrice = reader("lectrice@example.org", language="fr")
        reader_en = reader("reader@example.org")
        for someone in (lectrice, reader_en):
            notice(someone, f"policy_version:{version.pk}")
            notice(someone, f"policy_version:{hidden.pk}")

        assert send_due(NOW) == 2

        by_address = {message["To"]: body_of(message) for message in smtp_server.messages}
        french_text = by_address["lectrice@example.org"]
        assert "Politique du logement, version 2" in french_text
        assert "Housing policy, version 2" not in french_text
        assert f"{SITE}/fr/pol/politique/v2/" in french_text
        assert "Cabinet version" in french_text and "Version du cabinet" not in french_text
        english_text = by_address["reader@example.org"]
        assert "Housing policy, version 2" in english_text
        assert "Politique du logement" not in english_text


class TestOnlyWhatTheReaderMayOpen:
    def test_a_version_unpublished_before_sending_is_withheld(self, smtp_server, home_page):
        version = publish_policy_version(home_page, "Draft two", "text")
        someone = reader()
        notice(someone, f"policy_version:{version.pk}")
        version.unpublish()

        assert send_due(NOW) == 0

        assert smtp_server.messages == []
        assert Notice.objects.get().state == NoticeState.WITHHELD
        # Never retried: published again, it is not sent later either.
        version.save_revision().publish()
        assert send_due(NOW + datetime.timedelta(days=1)) == 0

    def test_a_withheld_record_is_left_out_and_the_rest_sent(self, smtp_server, home_page):
        shown = publish_policy_version(home_page, "Version one", "text")
        hidden = publish_policy_version(home_page, "Version two", "text")
        someone = reader()
        notice(someone, f"policy_version:{shown.pk}")
        notice(someone, f"policy_version:{hidden.pk}")
        hidden.unpublish()

        assert send_due(NOW) == 1

        text = body_of(smtp_server.messages[0])
        assert "Version one" in text
        assert "Version two" not in text
        assert "Version two" not in smtp_server.messages[0]["Subject"]

    def test_a_record_that_no_longer_exists_is_withheld(self, smtp_server):
        someone = reader()
        notice(someone, "organization:999999")
        assert send_due(NOW) == 0
        assert Notice.objects.get().state == NoticeState.WITHHELD

    def test_an_unpublished_brief_goes_to_its_editors_only_while_they_are(
        self, smtp_server, open_round
    ):
        """A brief not yet published by its round is read by its organization's editors:
        an editor whose grant was revoked before sending is no longer told of it, nor is
        an address without an account."""
        from consultations.services.rounds import submit_brief

        org = OrganizationFactory(name="Centre des femmes")
        still, revoked = UserFactory(username="still"), UserFactory(username="revoked")
        grant_editor(still, org)
        grant_editor(revoked, org)
        brief = submit_brief(
            open_round,
            org,
            still,
            title="Our confidential brief",
            summary="x",
            today=datetime.date(2001, 1, 1),
        )
        assert not brief.is_published
        subject = f"submission:{brief.pk}"
        for someone in (
            reader("still@example.org", user=still),
            reader("revoked@example.org", user=revoked),
            reader("anonymous@example.org"),
        ):
            notice(someone, subject)
        revoke_editor(revoked, org)

        assert send_due(NOW) == 1

        [message] = smtp_server.messages
        assert message["To"] == "still@example.org"
        assert "Our confidential brief" in body_of(message)
        states = dict(Notice.objects.values_list("subscriber__email", "state"))
        assert states == {
            "still@example.org": NoticeState.SENT,
            "revoked@example.org": NoticeState.WITHHELD,
            "anonymous@example.org": NoticeState.WITHHELD,
        }


class TestQueriesPerDigest:
    def count_queries(self, notices: int) -> int:
        someone = reader(f"count{notices}@example.org")
        organizations = OrganizationFactory.create_batch(notices)
        follows = [follow(someone, "organization", org.pk) for org in organizations[:5]]
        for index, org in enumerate(organizations):
            notice(someone, f"organization:{org.pk}", via=follows[index % 5])
        with CaptureQueriesContext(connection) as queries:
            assert send_due(NOW) == 1
        return len(queries)

    def test_a_digest_costs_the_same_queries_for_10_or_50_notices(self, smtp_server):
        assert self.count_queries(10) == self.count_queries(50)

    def test_a_chunk_of_readers_costs_the_same_queries_for_2_or_8_readers(self, smtp_server):
        def run(readers: int, day: int) -> int:
            org = OrganizationFactory()
            for index in range(readers):
                someone = reader(f"r{day}-{index}@example.org")
                notice(
                    someone, f"organization:{org.pk}", via=follow(someone, "organization", org.pk)
                )
            with CaptureQueriesContext(connection) as queries:
                assert send_due(NOW + datetime.timedelta(days=day)) == readers
            return len(queries)

        assert run(2, 0) == run(8, 1)
