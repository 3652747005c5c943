"""What goes wrong while sending, over a real SMTP conversation: a crash never sends
twice, a server down is retried, a permanent refusal bounces and suspends the address;
`queue` queues once by key and holds a paused round's e-mails."""

import datetime

import pytest

from follows import sending
from follows.mail import Rendered, queue, renderer, send_many
from follows.models import (
    Delivery,
    DeliveryKind,
    DeliveryState,
    Notice,
    NoticeState,
    PausedRound,
    Subscriber,
)
from follows.sending import send_due
from tests.factories import OrganizationFactory
from tests.follows.send_fixtures import NOW, make_open_round, notice, reader

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def a_reader_with_news(email: str = "reader@example.org") -> Subscriber:
    someone = reader(email)
    notice(someone, f"organization:{OrganizationFactory().pk}")
    return someone


class TestCrashes:
    def test_a_row_left_sending_is_never_sent_again_by_itself(self, smtp_server):
        someone = a_reader_with_news()
        Delivery.objects.create(
            key="digest:stuck",
            kind=DeliveryKind.DIGEST,
            state=DeliveryState.SENDING,
            attempts=1,
            subscriber=someone,
            email=someone.email,
            language="en",
        )
        send_due(NOW)
        send_due(NOW + datetime.timedelta(days=2))
        assert Delivery.objects.get(key="digest:stuck").state == DeliveryState.SENDING
        # The reader's own digest went, once; the stuck row did not.
        assert len(smtp_server.messages) == 1

    def test_a_crash_after_the_commit_sends_nothing_twice(self, smtp_server, monkeypatch):
        """The process dies between committing the digest and talking to the server: the
        next pass sends neither the digest again nor its notices in another."""
        a_reader_with_news()

        def die(*args, **kwargs):
            raise SystemExit("killed")

        monkeypatch.setattr(sending, "deliver", die)
        with pytest.raises(SystemExit):
            send_due(NOW)
        monkeypatch.undo()

        assert send_due(NOW) == 0
        assert send_due(NOW + datetime.timedelta(days=1)) == 0
        assert smtp_server.messages == []
        delivery = Delivery.objects.get()
        assert delivery.state == DeliveryState.SENDING
        assert Notice.objects.get().state == NoticeState.SENT

    def test_send_due_twice_sends_once(self, smtp_server):
        a_reader_with_news()
        assert send_due(NOW) + send_due(NOW) == 1
        assert len(smtp_server.messages) == 1


class TestTemporaryFailures:
    def test_a_server_down_is_retried_once_it_is_back(self, smtp_server, settings):
        settings.FOLLOWS_RETRY_SECONDS = 60
        a_reader_with_news()
        smtp_server.stop()

        assert send_due(NOW) == 0

        delivery = Delivery.objects.get()
        assert delivery.state == DeliveryState.FAILED
        assert delivery.attempts == 1
        assert delivery.next_attempt_at is not None
        assert "Connection" in delivery.last_error or "refused" in delivery.last_error.lower()
        # Not due before its time…
        smtp_server.start()
        assert send_due(delivery.next_attempt_at - datetime.timedelta(seconds=1)) == 0
        # …then sent, once.
        assert send_due(delivery.next_attempt_at + datetime.timedelta(seconds=1)) == 1
        delivery.refresh_from_db()
        assert delivery.state == DeliveryState.SENT
        assert delivery.attempts == 2
        assert len(smtp_server.messages) == 1
        assert smtp_server.messages[0]["To"] == "reader@example.org"

    def test_a_4xx_answer_is_retried_and_given_up_after_the_last_attempt(
        self, smtp_server, settings
    ):
        settings.FOLLOWS_MAX_ATTEMPTS = 2
        someone = a_reader_with_news("busy@example.org")
        smtp_server.defer.add("busy@example.org")

        send_due(NOW)
        delivery = Delivery.objects.get()
        assert delivery.state == DeliveryState.FAILED
        assert "451" in delivery.last_error
        send_due(delivery.next_attempt_at)
        delivery.refresh_from_db()
        assert delivery.state == DeliveryState.GAVE_UP
        assert delivery.attempts == 2
        # A temporary refusal is no bounce.
        someone.refresh_from_db()
        assert someone.bounce_count == 0
        assert smtp_server.messages == []

    def test_the_wait_doubles_between_attempts(self, smtp_server, settings):
        settings.FOLLOWS_RETRY_SECONDS = 100
        a_reader_with_news()
        smtp_server.stop()
        send_due(NOW)
        first = Delivery.objects.get()
        send_due(first.next_attempt_at)
        second = Delivery.objects.get()
        assert second.attempts == 2
        assert second.next_attempt_at - first.next_attempt_at >= datetime.timedelta(seconds=190)


class TestBounces:
    def test_a_permanent_refusal_bounces_and_suspends_the_address(self, smtp_server, settings):
        settings.FOLLOWS_MAX_BOUNCES = 2
        someone = a_reader_with_news("gone@example.org")
        smtp_server.refuse.add("gone@example.org")

        assert send_due(NOW) == 0
        delivery = Delivery.objects.get()
        assert delivery.state == DeliveryState.BOUNCED
        assert "550" in delivery.last_error
        someone.refresh_from_db()
        assert (someone.bounce_count, someone.suspended_at) == (1, None)

        # Never retried.
        assert send_due(NOW + datetime.timedelta(hours=6)) == 0
        assert Delivery.objects.get().state == DeliveryState.BOUNCED

        notice(someone, f"organization:{OrganizationFactory().pk}")
        send_due(NOW + datetime.timedelta(days=1))
        someone.refresh_from_db()
        assert someone.bounce_count == 2
        assert someone.suspended_at is not None

        # Suspended: nothing more is made for it.
        notice(someone, f"organization:{OrganizationFactory().pk}")
        send_due(NOW + datetime.timedelta(days=2))
        assert Delivery.objects.count() == 2
        assert smtp_server.messages == []


# A kind of e-mail of these tests' own, so no other part's renderer is replaced.
TEST_KIND = "test"


@renderer(TEST_KIND)
def render_test(delivery) -> Rendered:
    return Rendered(subject="A test", text="Hello.", html=None)


class TestQueue:
    def test_the_same_key_queues_once_and_sends_once(self, smtp_server, run_on_commit):
        someone = reader()
        with run_on_commit():
            first = queue(
                key="test:1",
                kind=TEST_KIND,
                email=someone.email,
                language="en",
                subscriber=someone,
            )
            second = queue(
                key="test:1",
                kind=TEST_KIND,
                email=someone.email,
                language="en",
                subscriber=someone,
            )
        assert first.pk == second.pk
        assert Delivery.objects.get().state == DeliveryState.SENT
        assert len(smtp_server.messages) == 1
        assert send_many(Delivery.objects.all()) == 0

    def test_a_paused_rounds_emails_are_held(self, smtp_server, run_on_commit, home_page):
        round_page = make_open_round(home_page)
        PausedRound.objects.create(round=round_page)
        with run_on_commit():
            delivery = queue(
                key="invitation:test",
                kind=DeliveryKind.INVITATION,
                email="editor@example.org",
                language="en",
                round=round_page,
            )
        assert delivery.state == DeliveryState.HELD
        assert send_due(NOW) == 0
        assert smtp_server.messages == []
