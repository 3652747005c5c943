"""E-mails: queued once by key, rendered in the reader's language, sent through Django's
e-mail backend, retried after a temporary failure, never sent twice.

Every part of `follows` queues its e-mails here (`queue`) and registers how a kind of
e-mail is written (`renderer`); `send` makes the SMTP conversation. The states a
`Delivery` goes through (`follows.models.delivery`):

    QUEUED ─claim─▶ SENDING ─┬─▶ SENT
      ▲                      ├─▶ FAILED (temporary: refused connection, 4xx) ─▶ … GAVE_UP
      └──── due again ───────┘   BOUNCED (the server refused the address for good: 5xx)

The claim is its own committed transaction (`select_for_update(skip_locked=True)`), so
two workers never send the same row, and a row a crash left SENDING is never sent again
by itself: the staff see it and may send it again (`follows.admin_views`).
"""

import datetime
import logging
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django_tasks import task

from .models import Delivery, DeliveryKind, DeliveryState, PausedRound, Subscriber

logger = logging.getLogger(__name__)


class Withheld(Exception):
    """A renderer's answer that the e-mail must not go, with the reason for the staff:
    an invitation whose round closed, a digest sent again whose records its reader may
    no longer open. It is given up at once — never sent, never retried, and not logged
    as a renderer's error."""


@dataclass(frozen=True)
class Rendered:
    """An e-mail written: its subject, its plain text and (optionally) its HTML."""

    subject: str
    text: str
    html: str | None = None


Renderer = Callable[[Delivery], Rendered]
_renderers: dict[str, Renderer] = {}


def renderer(kind: DeliveryKind | str) -> Callable[[Renderer], Renderer]:
    """Decorator: `func(delivery) -> Rendered` writes the e-mails of `kind`. It is called
    with the delivery's language active."""

    def register(func: Renderer) -> Renderer:
        _renderers[str(kind)] = func
        return func

    return register


def render(delivery: Delivery) -> Rendered:
    """The e-mail `delivery` stands for, written in its language."""
    try:
        func = _renderers[delivery.kind]
    except KeyError:
        raise LookupError(f"No renderer registered for e-mails of kind {delivery.kind!r}") from None
    with translation.override(delivery.language):
        return func(delivery)


def max_attempts() -> int:
    return int(getattr(settings, "FOLLOWS_MAX_ATTEMPTS", 5))


def retry_seconds() -> int:
    return int(getattr(settings, "FOLLOWS_RETRY_SECONDS", 300))


def max_bounces() -> int:
    return int(getattr(settings, "FOLLOWS_MAX_BOUNCES", 3))


def queue(
    *,
    key: str,
    kind: DeliveryKind | str,
    email: str,
    language: str,
    subscriber: Subscriber | None = None,
    user=None,
    round=None,  # the round an invitation is for (the contract's name)
) -> Delivery:
    """The e-mail of `key`, queued once: a second call with the same key returns the row
    the first made and queues nothing. A round whose invitations are paused
    (`PausedRound`) gets its e-mails HELD until they are resumed. The sending is
    scheduled after the transaction commits (a background task)."""
    state = DeliveryState.QUEUED
    if round is not None and PausedRound.objects.filter(round=round).exists():
        state = DeliveryState.HELD
    delivery, created = Delivery.objects.get_or_create(
        key=key,
        defaults={
            "kind": str(kind),
            "email": email,
            "language": language,
            "subscriber": subscriber,
            "user": user,
            "round": round,
            "state": state,
        },
    )
    if created and delivery.state == DeliveryState.QUEUED:
        schedule([delivery.pk])
    return delivery


def schedule(pks: Iterable[int]) -> None:
    """Send these deliveries in the background once the transaction commits (for the
    invite part's `resume`, and the staff's retry)."""
    pks = list(pks)
    if pks:
        transaction.on_commit(lambda: send_task.enqueue(pks))


@task()
def send_task(pks: list[int]) -> int:
    """Send the deliveries `pks` that are still due; the number sent."""
    return send_many(pks)


def due(now: datetime.datetime | None = None):
    """The deliveries waiting to be sent: queued, or failed and due again."""
    now = now or timezone.now()
    return Delivery.objects.filter(
        Q(state=DeliveryState.QUEUED)
        | Q(state=DeliveryState.FAILED, next_attempt_at__lte=now)
        | Q(state=DeliveryState.FAILED, next_attempt_at__isnull=True)
    )


def claim(pks: Iterable[int], now: datetime.datetime | None = None) -> list[Delivery]:
    """Mark the due ones of `pks` SENDING and commit: the rows this process may now send,
    and no other. Rows another process holds locked are skipped, not waited for."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            due(now)
            .filter(pk__in=list(pks))
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("subscriber")
            .order_by("pk")
        )
        if rows:
            Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
                state=DeliveryState.SENDING, attempts=F("attempts") + 1
            )
        for row in rows:
            row.state = DeliveryState.SENDING
            row.attempts += 1
    return rows


def send(delivery: Delivery) -> bool:
    """Claim and send one delivery; whether it was sent now."""
    return send_many([delivery.pk]) == 1


def send_many(deliveries: Iterable[Delivery | int], now: datetime.datetime | None = None) -> int:
    """Claim the ones of `deliveries` (rows or their keys) due at `now` and send them over
    one SMTP connection; the number sent."""
    now = now or timezone.now()
    pks = [item.pk if isinstance(item, Delivery) else item for item in deliveries]
    return deliver(claim(pks, now), now=now)


def message(delivery: Delivery, rendered: Rendered | None = None) -> EmailMultiAlternatives:
    """The message of a delivery: its text and HTML, its Message-ID, and for a reader's
    e-mail the one-click unsubscribe headers (RFC 8058)."""
    rendered = rendered or render(delivery)
    headers = {"Message-ID": delivery.message_id or make_msgid(domain=_domain())}
    if delivery.subscriber_id:
        from .tokens import unsubscribe_url

        headers["List-Unsubscribe"] = f"<{unsubscribe_url(delivery.subscriber)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.email],
        headers=headers,
    )
    if rendered.html:
        email.attach_alternative(rendered.html, "text/html")
    return email


def deliver(
    claimed: list[Delivery],
    rendered: dict[int, Rendered] | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """Send deliveries already claimed (SENDING) over one connection, and record how each
    went; the number sent. `rendered`: e-mails already written, by delivery pk; `now`:
    the moment retries are counted from."""
    if not claimed:
        return 0
    now = now or timezone.now()
    rendered = rendered or {}
    connection = get_connection()
    sent: list[Delivery] = []
    try:
        try:
            connection.open()
        except (OSError, smtplib.SMTPException) as error:
            for delivery in claimed:
                _failed(delivery, error, now)
            return 0
        for delivery in claimed:
            try:
                email = message(delivery, rendered.get(delivery.pk))
                delivery.message_id = email.extra_headers["Message-ID"]
                connection.send_messages([email])
            except smtplib.SMTPRecipientsRefused as error:
                codes = [code for code, _text in error.recipients.values()]
                if codes and all(code >= 500 for code in codes):
                    _bounced(delivery, error)
                else:
                    _failed(delivery, error, now)
            except (OSError, smtplib.SMTPException) as error:
                _failed(delivery, error, now)
                if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
                    _reopen(connection)
            except Withheld as error:
                _withheld(delivery, error)
            except Exception as error:  # a renderer's bug: retried, then given up, visible
                logger.exception("Could not write the e-mail %s", delivery.key)
                _failed(delivery, error, now)
            else:
                delivery.state = DeliveryState.SENT
                delivery.sent_at = timezone.now()
                delivery.last_error = ""
                delivery.subject = email.subject[:300]
                sent.append(delivery)
    finally:
        connection.close()
    Delivery.objects.bulk_update(
        sent, ["state", "sent_at", "last_error", "message_id", "subject"], batch_size=500
    )
    return len(sent)


def _reopen(connection) -> None:
    try:
        connection.close()
        connection.open()
    except (OSError, smtplib.SMTPException):
        pass


def _failed(delivery: Delivery, error: BaseException, now: datetime.datetime) -> None:
    """A temporary failure: due again later (doubling the wait each time), or given up
    after `FOLLOWS_MAX_ATTEMPTS`."""
    if delivery.attempts >= max_attempts():
        delivery.state = DeliveryState.GAVE_UP
        delivery.next_attempt_at = None
    else:
        delivery.state = DeliveryState.FAILED
        wait = retry_seconds() * 2 ** max(delivery.attempts - 1, 0)
        delivery.next_attempt_at = now + datetime.timedelta(seconds=wait)
    delivery.last_error = _describe(error)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=delivery.state,
        next_attempt_at=delivery.next_attempt_at,
        last_error=delivery.last_error,
    )


def _withheld(delivery: Delivery, error: Withheld) -> None:
    delivery.state = DeliveryState.GAVE_UP
    delivery.next_attempt_at = None
    delivery.last_error = str(error)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=delivery.state, next_attempt_at=None, last_error=delivery.last_error
    )


def _bounced(delivery: Delivery, error: BaseException) -> None:
    """The server refused the address for good: never retried; the reader's address is
    suspended after `FOLLOWS_MAX_BOUNCES` such refusals."""
    delivery.state = DeliveryState.BOUNCED
    delivery.next_attempt_at = None
    delivery.last_error = _describe(error)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=delivery.state, next_attempt_at=None, last_error=delivery.last_error
    )
    if delivery.subscriber_id:
        with transaction.atomic():
            Subscriber.objects.filter(pk=delivery.subscriber_id).update(
                bounce_count=F("bounce_count") + 1
            )
            Subscriber.objects.filter(
                pk=delivery.subscriber_id,
                bounce_count__gte=max_bounces(),
                suspended_at__isnull=True,
            ).update(suspended_at=timezone.now())


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {_text(text)}" for address, (code, text) in error.recipients.items()
        )
    return f"{type(error).__name__}: {error}"[:2000]


def _text(text: bytes | str) -> str:
    return text.decode(errors="replace") if isinstance(text, bytes) else text


def _domain() -> str:
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"
