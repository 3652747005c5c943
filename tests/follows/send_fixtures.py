"""Builders of the sending tests: readers, follows and notices made directly (what the
subscribe and detect parts make), so a test says only what it needs."""

import datetime

from django.utils import timezone

from follows.models import Cadence, Follow, FollowKind, Notice, Subscriber
from follows.targets import record_target

# A moment after the day's digest hour, so daily digests are due.
NOW = timezone.make_aware(datetime.datetime(2026, 3, 4, 9, 0))  # a Wednesday


def reader(
    email: str = "reader@example.org",
    *,
    language: str = "en",
    cadence: str = Cadence.DAILY,
    user=None,
    confirmed: bool = True,
) -> Subscriber:
    return Subscriber.objects.create(
        email=email,
        language=language,
        cadence=cadence,
        user=user,
        confirmed_at=NOW - datetime.timedelta(days=3) if confirmed else None,
    )


def follow(subscriber: Subscriber, kind: str, pk: int, label: str = "") -> Follow:
    return Follow.objects.create(
        subscriber=subscriber,
        kind=FollowKind.RECORD,
        target=record_target(kind, pk),
        label=label or f"{kind} {pk}",
    )


def notice(subscriber: Subscriber, subject: str, *, via: Follow | None = None, kind="published"):
    return Notice.objects.create(
        subscriber=subscriber,
        follow=via,
        kind=kind,
        subject=subject,
        created_at=NOW - datetime.timedelta(hours=1),
    )


def make_open_round(home_page):
    """A round open from May 2000 until far in the future, on a one-version policy."""
    from consultations.services.rounds import change_round_state
    from tests.consultations.test_rounds import add_round
    from tests.factories import publish_policy_version

    policy = publish_policy_version(home_page, "Consultation document", "x").get_parent()
    round_page = add_round(
        policy.specific, opens_on=datetime.date(2000, 5, 1), closes_on=datetime.date(2999, 6, 30)
    )
    change_round_state(round_page, "open")
    return round_page
