"""The demo has a follower with a digest ready to send (issue #16): after the demo is
loaded, the first detection-and-sending pass sends that follower one digest naming what
it follows, and a second pass sends nothing; `manage.py load_demo` then `manage.py
notify`, as `make run` does, sends it too."""

from contextlib import contextmanager
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page

from concertation.demo import load_demo
from consultations.models import ConsultationRoundPage, Submission
from follows import demo
from follows.models import Cadence, Follow, FollowKind, Notice, Subscriber
from follows.sending import notify_once
from organizations.models import Organization

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(params=[pytest.param("elasticsearch", marks=pytest.mark.elasticsearch), "database"])
def indexed(request, settings):
    """A context manager to load the demo in: searchable by the end of the block, on the
    real engine (a fresh index) or on the database fallback (`make run` without
    ELASTICSEARCH_URL)."""
    if request.param == "database":
        settings.ELASTICSEARCH_URL = ""

        @contextmanager
        def nothing_to_index():
            yield

        return nothing_to_index
    request.getfixturevalue("archive_index")
    return request.getfixturevalue("index_on_commit")


def follower() -> Subscriber:
    return Subscriber.objects.get(email=demo.EMAIL)


def sent_to_follower() -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if message.to == [demo.EMAIL]]


def followed_titles() -> dict[str, list[str]]:
    """What the digest should name, read from the demo: the open round (either
    language's title), the coalition's named brief to the 2000 consultation, and a
    housing organization the saved search finds."""
    rounds = ConsultationRoundPage.objects.get(slug=demo.OPEN_ROUND).get_translations(
        inclusive=True
    )
    coalition = Organization.objects.get(slug=demo.ORGANIZATION)
    brief = Submission.objects.published().get(
        organization=coalition, round__slug="public-consultation-2000"
    )
    return {
        "round": [page.title for page in rounds],
        "organization": [brief.title],
        "search": [Organization.objects.get(slug="comite-logement-saguenay").name],
    }


def test_the_demo_follower_is_confirmed_daily_and_follows_four_things_from_before_the_demo():
    load_demo()
    reader = follower()
    follows = list(reader.follows.order_by("pk"))

    assert reader.is_receiving
    assert (reader.cadence, reader.language, reader.user) == (Cadence.DAILY, "fr", None)
    assert reader.digest_until is None
    assert [follow.kind for follow in follows] == [
        FollowKind.RECORD,
        FollowKind.RECORD,
        FollowKind.RECORD,
        FollowKind.SEARCH,
    ]
    assert [follow.target.partition(":")[0] for follow in follows] == [
        "round",
        "organization",
        "policy",
        "search",
    ]
    assert follows[3].query == demo.SEARCH
    # Labels in the follower's language, from the French pages.
    assert follows[0].label.startswith("Ronde de consultation")
    # Followed before anything of the demo was published, nothing announced yet.
    first = Page.objects.filter(first_published_at__isnull=False).order_by("first_published_at")
    assert all(follow.created_at < first[0].first_published_at for follow in follows)
    assert reader.created_at <= reader.confirmed_at < first[0].first_published_at
    assert not Notice.objects.exists()


def test_the_first_pass_sends_one_digest_naming_what_it_follows_and_the_second_nothing(indexed):
    with indexed():
        load_demo()
    mail.outbox.clear()

    counts = notify_once(timezone.now())

    [digest] = sent_to_follower()
    assert counts["sent"] == len(mail.outbox)
    body = digest.body
    for follow in Follow.objects.filter(subscriber=follower()):
        # Every follow brought news, grouped under its label.
        assert follow.label in body, follow.label
    for what, titles in followed_titles().items():
        assert any(title in body for title in titles), (what, titles)
    assert "/fr/" in body
    assert follower().digest_until is not None

    again = notify_once(timezone.now())

    assert again["sent"] == 0
    assert sent_to_follower() == [digest]


def test_load_demo_then_notify_as_make_run_does_sends_the_digest_once(settings):
    # `make run` without ELASTICSEARCH_URL: the saved search answers from the database.
    settings.ELASTICSEARCH_URL = ""
    call_command("load_demo", stdout=StringIO())
    mail.outbox.clear()

    call_command("notify", stdout=StringIO())

    [digest] = sent_to_follower()
    assert any(title in digest.body for title in followed_titles()["organization"])

    call_command("load_demo", stdout=StringIO())
    call_command("notify", stdout=StringIO())

    assert Subscriber.objects.filter(email=demo.EMAIL).count() == 1
    assert sent_to_follower() == [digest]
