"""Following and the reader's settings: the business rules, each write in a transaction.

- A reader is a `Subscriber`: an address confirmed by a link (double opt-in), or an
  account, confirmed at once with the account's address.
- A follow names a target (`follows.targets`). A record is followed only when the
  reader may open it (`follows.permissions`); a page is followed as its record, the page
  its translations share (the lowest key of its translation group, like
  `ConsultationRoundPage.record`), so the English and French pages are one follow and
  detection names one target.
- A subscriber follows at most `MAX_FOLLOWS` things: the subscriber's row is locked
  while counting, so concurrent requests cannot pass the limit together.
- Subscribing an address already known adds the follow to the same subscriber (one
  subscriber per address, case ignored) and changes nothing else of it (its cadence
  and language are its owner's); the confirmation is sent again only while the address
  is not receiving, so the requester learns nothing of whether it was known.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.db.models.functions import Lower
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from concertation.parameters import ParameterError
from search.forms import SearchParameters

from .models import Cadence, Follow, FollowKind, Listing, Subscriber
from .models.follow import TARGET_LENGTH
from .models.subscriber import MAX_FOLLOWS
from .permissions import followable_record
from .targets import RECORD_KINDS, canonical_query, listing_target, saved_search_target

# The longest saved search kept (a canonical query string).
MAX_QUERY_LENGTH = 2000
LABEL_LENGTH = 300


class FollowError(Exception):
    """A follow or setting refused: `message` says why, `field` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFollowable(FollowError):
    """Nothing to follow there: the record does not exist, is unpublished or the reader
    may not open it (one answer for all three)."""


class TooManyFollows(FollowError):
    pass


class NoAddress(FollowError):
    pass


@dataclass(frozen=True)
class Target:
    """What a follow would name, resolved and checked for one reader."""

    kind: str
    target: str
    label: str
    url: str
    query: str = ""


def _record_label(kind: str, record: Model) -> str:
    name = getattr(record, "title", None) or getattr(record, "name", "")
    labels = {
        "policy": _("Policy: %(name)s"),
        "round": _("Consultation round: %(name)s"),
        "organization": _("Organization: %(name)s"),
        "forum": _("Forum: %(name)s"),
        "programme": _("Funding programme: %(name)s"),
    }
    return (labels[kind] % {"name": name})[:LABEL_LENGTH]


def _record_key(kind: str, record: Model) -> int:
    """The key a record is followed by: a page's record (see the module's docstring)."""
    if kind in ("policy", "round") and record.translation_key:
        first = (
            type(record)
            .objects.filter(translation_key=record.translation_key)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        return first or record.pk
    return record.pk


def search_label(query: str) -> str:
    """A saved search as its reader sees it: the words, then the filters."""
    pairs = parse_qsl(query)
    words = " ".join(value for name, value in pairs if name == "q")
    filters = ", ".join(f"{name}: {value}" for name, value in pairs if name != "q")
    summary = " · ".join(part for part in (f"“{words}”" if words else "", filters) if part)
    return (_("Search: %(summary)s") % {"summary": summary})[:LABEL_LENGTH]


def saved_search(params: QueryDict) -> Target:
    """The saved search of an archive query's parameters (only those the search reads;
    paging and sorting dropped). A refused parameter is a `FollowError` naming it."""
    known = QueryDict(mutable=True)
    for name in SearchParameters.base_fields:
        if values := params.getlist(name):
            known.setlist(name, values)
    try:
        query = canonical_query(known)
    except ParameterError as error:
        raise FollowError(f"{error.parameter}: {error.message}", field="query") from error
    if not query:
        raise FollowError(_("Search for something before following the search."), "query")
    if len(query) > MAX_QUERY_LENGTH:
        raise FollowError(_("This search is too long to follow."), field="query")
    return Target(
        kind=FollowKind.SEARCH,
        target=saved_search_target(query),
        label=search_label(query),
        url=reverse("search:search") + "?" + query,
        query=query,
    )


def resolve(user: Any, target: str, query: str = "") -> Target:
    """The target `target` (a record or listing key, or "search" with `query`, a query
    string) for `user` (None: anonymous), with its label in the active language, or
    `NotFollowable`/`FollowError` naming the field."""
    kind, _separator, key = target.partition(":")
    if target == "search":
        return saved_search(QueryDict(query))
    if kind == "listing":
        if key not in Listing.values:
            raise NotFollowable(_("There is no such list to follow."), field="target")
        return Target(
            kind=FollowKind.LISTING,
            target=listing_target(key),
            label=str(Listing(key).label),
            url=_listing_url(key),
        )
    if kind in RECORD_KINDS and len(target) <= TARGET_LENGTH:
        record = followable_record(user, target)
        if record is not None:
            return Target(
                kind=FollowKind.RECORD,
                target=f"{kind}:{_record_key(kind, record)}",
                label=_record_label(kind, record),
                url=record.get_url() if hasattr(record, "get_url") else record.get_absolute_url(),
            )
    raise NotFollowable(
        _("There is nothing to follow at this address: it may have been removed."),
        field="target",
    )


def _listing_url(name: str) -> str:
    return reverse({"open_rounds": "open_rounds", "new_positions": "positions"}[name])


def normalize_email(email: str) -> str:
    """The address as typed, trimmed, its domain in lower case; `FollowError` naming
    "email" when it is no address."""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise FollowError(
            _("Enter a valid e-mail address, such as name@example.org."), field="email"
        ) from error
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def _add_follow(subscriber: Subscriber, target: Target) -> tuple[Follow, bool]:
    """The follow of `target` by `subscriber` (the row locked by the caller), made unless
    it exists; `TooManyFollows` past `MAX_FOLLOWS`."""
    existing = Follow.objects.filter(subscriber=subscriber, target=target.target).first()
    if existing is not None:
        return existing, False
    if Follow.objects.filter(subscriber=subscriber).count() >= MAX_FOLLOWS:
        raise TooManyFollows(
            _(
                "This address already follows %(limit)d things, the most one address may. "
                "Stop following some of them (the link in any of our e-mails) first."
            )
            % {"limit": MAX_FOLLOWS},
            field="target",
        )
    follow = Follow.objects.create(
        subscriber=subscriber,
        kind=target.kind,
        target=target.target,
        query=target.query,
        label=target.label,
        # A saved search announces what is published from now on, not the archive.
        checked_until=timezone.now() if target.kind == FollowKind.SEARCH else None,
    )
    return follow, True


def _another_account() -> str:
    return _(
        "Another subscriber receives e-mails at your account's address. Ask the "
        "secretariat to correct it."
    )


def account_subscriber(user: Any, *, language: str | None = None) -> Subscriber:
    """The subscriber of a signed-in `user`, made (confirmed, with the account's address)
    at their first follow; `NoAddress` when the account has none. An address that
    subscribed without an account becomes the account's, with its follows."""
    email = (user.email or "").strip()
    if not email:
        raise NoAddress(
            _(
                "Your account has no e-mail address, so nothing could be sent to you. Ask "
                "the secretariat to add one."
            )
        )
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(user=user).first()
        if subscriber is not None:
            if subscriber.email != email:
                taken = (
                    Subscriber.objects.annotate(address=Lower("email"))
                    .filter(address=email.lower())
                    .exclude(pk=subscriber.pk)
                    .exists()
                )
                if taken:
                    raise NoAddress(_another_account())
                subscriber.email = email
                subscriber.save(update_fields=["email"])
            return subscriber
        subscriber = (
            Subscriber.objects.select_for_update()
            .annotate(address=Lower("email"))
            .filter(address=email.lower())
            .first()
        )
        now = timezone.now()
        if subscriber is None:
            return Subscriber.objects.create(
                email=email,
                user=user,
                language=language or settings.LANGUAGE_CODE,
                confirmed_at=now,
            )
        if subscriber.user_id is not None:
            raise NoAddress(_another_account())
        subscriber.user = user
        subscriber.confirmed_at = subscriber.confirmed_at or now
        subscriber.save(update_fields=["user", "confirmed_at"])
        return subscriber


def follow_with_account(user: Any, target: Target, *, language: str) -> Follow:
    """One click: `user` follows `target` (already resolved for them). A reader who had
    unsubscribed from everything and follows again receives e-mails again."""
    with transaction.atomic():
        subscriber = account_subscriber(user, language=language)
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        follow, _created = _add_follow(subscriber, target)
        if subscriber.unsubscribed_at is not None:
            subscriber.unsubscribed_at = None
            subscriber.save(update_fields=["unsubscribed_at"])
        return follow


@dataclass(frozen=True)
class Subscribed:
    subscriber: Subscriber
    # Whether a confirmation is (again) due: the address does not receive e-mails yet.
    needs_confirmation: bool


def subscribe(email: str, target: Target, *, cadence: str, language: str) -> Subscribed:
    """An address (not an account) follows `target`: the subscriber of that address
    (made when new, with `cadence` and `language`) gets the follow. Nothing is sent to it
    but the confirmation until its owner confirms (`confirm`)."""
    email = normalize_email(email)
    if cadence not in Cadence.values:
        raise FollowError(_("Choose how often you want to be told."), field="cadence")
    for _attempt in range(2):
        try:
            with transaction.atomic():
                subscriber = (
                    Subscriber.objects.select_for_update()
                    .annotate(address=Lower("email"))
                    .filter(address=email.lower())
                    .first()
                )
                if subscriber is None:
                    subscriber = Subscriber.objects.create(
                        email=email, cadence=cadence, language=language
                    )
                _add_follow(subscriber, target)
                return Subscribed(subscriber, needs_confirmation=not subscriber.is_receiving)
        except IntegrityError:
            # The same address subscribed at the same moment: its row exists now.
            continue
    raise FollowError(_("Please try again."), field="email")


def confirm(subscriber: Subscriber) -> bool:
    """The owner of the address confirmed it (by the link's page): e-mails may go to it.
    False when it already received them (a link used twice changes nothing)."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.confirmed_at and not subscriber.unsubscribed_at:
            return False
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["confirmed_at", "unsubscribed_at"])
        return True


def unfollow(subscriber: Subscriber, follow_pk: int | str) -> bool:
    """Stop one follow of `subscriber`'s (never another's); False when there was none."""
    deleted, _rows = Follow.objects.filter(subscriber=subscriber, pk=follow_pk).delete()
    return bool(deleted)


def unfollow_target(subscriber: Subscriber, target: str) -> bool:
    deleted, _rows = Follow.objects.filter(subscriber=subscriber, target=target).delete()
    return bool(deleted)


def change_settings(subscriber: Subscriber, *, cadence: str, language: str) -> None:
    """How often and in which language `subscriber` is told."""
    if cadence not in Cadence.values:
        raise FollowError(_("Choose how often you want to be told."), field="cadence")
    if language not in dict(Subscriber._meta.get_field("language").choices):
        raise FollowError(_("Choose a language."), field="language")
    Subscriber.objects.filter(pk=subscriber.pk).update(cadence=cadence, language=language)
    subscriber.cadence, subscriber.language = cadence, language


def unsubscribe_all(subscriber: Subscriber) -> bool:
    """No more e-mails to `subscriber` (follows kept, for a return). Idempotent: False
    when it was already unsubscribed."""
    now = timezone.now()
    changed = Subscriber.objects.filter(pk=subscriber.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=now
    )
    if changed:
        subscriber.unsubscribed_at = now
    return bool(changed)


def resume(subscriber: Subscriber) -> None:
    """E-mails again to a confirmed `subscriber` who had unsubscribed (from the manage
    page, reached by a link sent to the address or by the account)."""
    Subscriber.objects.filter(pk=subscriber.pk).update(unsubscribed_at=None)
    subscriber.unsubscribed_at = None


def revoke_links(subscriber: Subscriber) -> None:
    """Every link sent to `subscriber` so far stops working (`follows.tokens`)."""
    Subscriber.objects.filter(pk=subscriber.pk).update(token_version=subscriber.token_version + 1)
    subscriber.token_version += 1
