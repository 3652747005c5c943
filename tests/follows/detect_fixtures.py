"""Data of the detection and saved-search tests: readers and their follows, made an hour
before the records they are told of (detection's first pass starts from the earliest
follow: nothing public before it is anyone's news)."""

import datetime

from django.utils import timezone

from follows.models import Follow, FollowKind, Notice, Subscriber
from follows.targets import saved_search_target

AN_HOUR_AGO = datetime.timedelta(hours=1)


def reader(email: str, *targets: str, user=None, **fields) -> Subscriber:
    """A confirmed reader following `targets` (record or listing keys) for an hour."""
    fields.setdefault("confirmed_at", timezone.now() - AN_HOUR_AGO)
    subscriber = Subscriber.objects.create(email=email, user=user, **fields)
    for target in targets:
        follow(subscriber, target)
    return subscriber


def follow(subscriber: Subscriber, target: str, *, created_at=None) -> Follow:
    kind = FollowKind.LISTING if target.startswith("listing:") else FollowKind.RECORD
    return Follow.objects.create(
        subscriber=subscriber,
        kind=kind,
        target=target,
        created_at=created_at or timezone.now() - AN_HOUR_AGO,
    )


def save_search(subscriber: Subscriber, query: str, *, created_at=None) -> Follow:
    """A saved search of `query`, a canonical query string (`q=housing&kind=submission`)."""
    return Follow.objects.create(
        subscriber=subscriber,
        kind=FollowKind.SEARCH,
        target=saved_search_target(query),
        query=query,
        created_at=created_at or timezone.now() - AN_HOUR_AGO,
    )


def told(subscriber: Subscriber) -> set[tuple[str, str]]:
    """(kind, subject) of every notice made for `subscriber`."""
    return set(Notice.objects.filter(subscriber=subscriber).values_list("kind", "subject"))
