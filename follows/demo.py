"""The demo's follower: an address that follows the demo policy, the open consultation,
one organization and a saved search, with a daily digest ready to send when the demo
is loaded (issue #16: "the demo has a follower with a digest ready to send").

The follows are made as the public's follow form makes them (`follows.services.resolve`
and `subscribe`, labels in the follower's language), the address confirmed as its link
would (`confirm`); nothing else is faked: the notices are detection's and the saved
search's own, made by the first `manage.py notify` pass (`make run` runs one a minute).

**Why the follows are dated a day back.** Every demo record is published at the moment
the demo is loaded (Wagtail's `first_published_at`, a round's `state_changed_at`, an
allocation's `recorded_at`, an organization's `created_at`), and this is the last step of
the loading. Detection's first pass starts at the earliest follow and never announces
what was public before it (docs/follow.md, "Where it stands"), so follows made now would
find nothing. Dating them — and the subscriber's sign-up and confirmation — `FOLLOWED_AGO`
before the loading tells the true story of a reader who subscribed yesterday: the
versions, rounds, positions, allocations and catalogue entries published since are news
to them. (Meetings and seat terms of the last 30 days are news whatever the dates.)

**Why the digest is due at once.** The follower is DAILY and has never had a digest
(`digest_until` is None), which `follows.sending.due_readers` takes as due as soon as
notices wait: the first pass after loading detects and sends. The digest's period then
ends at the day's digest hour (`period_end`), and the next digest comes after the next
one, as for any reader.

The follows of the open round and of the organization are made before the policy's, so
the digest groups the round's opening and the organization's brief and position under
their own follows (a record two follows reach is announced once, under the first).
"""

import datetime

from django.db import transaction
from django.db.models.functions import Lower
from django.http import QueryDict
from django.utils import timezone, translation
from wagtail.models import Locale, Page

from consultations.models import ConsultationRoundPage, PolicyPage
from organizations.models import Organization

from .models import Cadence, Follow, FollowKind, Subscriber
from .services import Target, confirm, resolve, saved_search, subscribe

EMAIL = "follower@example.org"
LANGUAGE = "fr"
# The demo's policy, its consultation open on the day of loading, and an organization
# with news of several kinds in the demo: the coalition `demo-coalition-editor` edits,
# which signed a brief to the 2000 consultation and the published position, and sits
# at fora meeting these weeks (consultations/demo/, consultations/fora/demo/fora.json).
POLICY = "community-action-policy"
OPEN_ROUND = "policy-update-consultation"
ORGANIZATION = "coalition-des-tables-regionales-dorganismes-communautaires"
# A saved search matching demo records: the housing organizations of the catalogue.
SEARCH = "q=logement"
FOLLOWED_AGO = datetime.timedelta(days=1)


def demo_targets(language: str = LANGUAGE) -> list[Target]:
    """What the demo follower follows, resolved for an anonymous reader (public records
    only) with their labels in `language`, as the follow form of each record's page in
    that language makes them: the round, the organization, the policy, the saved
    search. A record missing from the demo is left out."""
    locale = Locale.objects.filter(language_code=language).first()
    records = [
        ("round", _in(ConsultationRoundPage.objects.filter(slug=OPEN_ROUND).first(), locale)),
        ("organization", Organization.objects.filter(slug=ORGANIZATION).first()),
        ("policy", _in(PolicyPage.objects.filter(slug=POLICY).first(), locale)),
    ]
    with translation.override(language):
        targets = [resolve(None, f"{kind}:{record.pk}") for kind, record in records if record]
        targets.append(saved_search(QueryDict(SEARCH)))
    return targets


def _in(page: Page | None, locale: Locale | None) -> Page | None:
    """The page's translation in `locale` when it has one (a follow names the record
    whichever page it was made on), else the page."""
    if page is None or locale is None:
        return page
    return page.get_translation_or_none(locale) or page


def load_follows(now: datetime.datetime | None = None) -> Subscriber | None:
    """Make the demo follower (`EMAIL`) and its follows, dated `FOLLOWED_AGO` before
    `now` (see the module's docstring); returns it, or None when that address is already
    known (its follows are left as they are, so loading again changes nothing)."""
    now = now or timezone.now()
    if Subscriber.objects.annotate(address=Lower("email")).filter(address=EMAIL).exists():
        return None
    followed_at = now - FOLLOWED_AGO
    with transaction.atomic():
        for target in demo_targets(LANGUAGE):
            subscriber = subscribe(
                EMAIL, target, cadence=Cadence.DAILY, language=LANGUAGE
            ).subscriber
        confirm(subscriber)
        Subscriber.objects.filter(pk=subscriber.pk).update(
            created_at=followed_at, confirmed_at=followed_at, digest_until=None
        )
        follows = Follow.objects.filter(subscriber=subscriber)
        follows.update(created_at=followed_at)
        # A saved search looks for what is dated or made public after it was checked.
        follows.filter(kind=FollowKind.SEARCH).update(checked_until=followed_at)
    subscriber.refresh_from_db()
    return subscriber
