"""Signed links that stand for a reader: confirming an address, unsubscribing from
everything, managing follows.

A token is the subscriber's id, the link's purpose and the subscriber's
`token_version`, signed with the site's secret (Django's `TimestampSigner`, salted by
purpose, so a token of one purpose is no token of another). Raising `token_version`
revokes every link sent before; a confirmation link also expires
(`FOLLOWS_CONFIRM_HOURS`, 48 by default). No token carries the address itself.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Subscriber

PURPOSES = ("confirm", "unsubscribe", "manage")
SALT = "follows.tokens."


class BadToken(Exception):
    """A link that cannot be used: forged, expired, revoked, or of another purpose. The
    message says what to do, for the page that answers it."""


def confirm_hours() -> int:
    return int(getattr(settings, "FOLLOWS_CONFIRM_HOURS", 48))


def _signer(purpose: str) -> signing.TimestampSigner:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}; expected one of {PURPOSES}")
    return signing.TimestampSigner(salt=SALT + purpose)


def make_token(subscriber: Subscriber, purpose: str) -> str:
    """A signed token for `subscriber` and `purpose`, valid until its `token_version`
    changes (and, for "confirm", for `FOLLOWS_CONFIRM_HOURS`)."""
    return _signer(purpose).sign(f"{subscriber.pk}.{subscriber.token_version}")


def read_token(token: str, purpose: str, max_age: int | None = None) -> Subscriber:
    """The subscriber a token of `purpose` stands for, or `BadToken`.

    `max_age` (seconds) defaults to `FOLLOWS_CONFIRM_HOURS` for "confirm" and to no
    limit for the others (a one-click unsubscribe link must keep working)."""
    if max_age is None and purpose == "confirm":
        max_age = confirm_hours() * 3600
    try:
        value = _signer(purpose).unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise BadToken(_("This link has expired. Subscribe again to receive a new one.")) from error
    except signing.BadSignature as error:
        raise BadToken(
            _(
                "This link is not valid: it may be incomplete. Copy the whole address from "
                "the e-mail, or subscribe again."
            )
        ) from error
    pk, _sep, version = value.partition(".")
    subscriber = (
        Subscriber.objects.filter(pk=pk, token_version=version).first()
        if pk.isdigit() and version.isdigit()
        else None
    )
    if subscriber is None:
        raise BadToken(
            _(
                "This link is no longer valid: a newer e-mail replaced it. Use the link in "
                "the most recent e-mail, or subscribe again."
            )
        )
    return subscriber


def _absolute(name: str, subscriber: Subscriber, purpose: str) -> str:
    with translation.override(subscriber.language):
        path = reverse(name, kwargs={"token": make_token(subscriber, purpose)})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def confirm_url(subscriber: Subscriber) -> str:
    """The absolute address of the page that confirms `subscriber`'s address, in their
    language."""
    return _absolute("follows_confirm", subscriber, "confirm")


def unsubscribe_url(subscriber: Subscriber) -> str:
    """The absolute one-click unsubscribe address (RFC 8058: POST unsubscribes, GET shows
    a button), in `subscriber`'s language."""
    return _absolute("follows_unsubscribe", subscriber, "unsubscribe")


def manage_url(subscriber: Subscriber) -> str:
    """The absolute address of `subscriber`'s follows, cadence and language."""
    return _absolute("follows_manage", subscriber, "manage")
