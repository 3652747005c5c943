"""The address confirmation e-mail (double opt-in): queued when an address subscribes
and does not receive e-mails yet, written at sending time with a fresh link (its
`FOLLOWS_CONFIRM_HOURS` run from then) and the list of what the address would follow.

At most one confirmation an address per `RESEND_MINUTES`: its key names the window, so a
stranger submitting someone's address again and again queues one e-mail, not one per
request (`follows.mail.queue` makes one row per key).
"""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .mail import Rendered, queue, renderer
from .models import Delivery, DeliveryKind, Subscriber
from .tokens import confirm_hours, confirm_url

RESEND_MINUTES = 10


def send_confirmation(subscriber: Subscriber) -> Delivery:
    """Queue the confirmation of `subscriber`'s address (once in `RESEND_MINUTES`)."""
    window = int(timezone.now().timestamp()) // (RESEND_MINUTES * 60)
    return queue(
        key=f"confirmation:{subscriber.pk}:{window}",
        kind=DeliveryKind.CONFIRMATION,
        email=subscriber.email,
        language=subscriber.language,
        subscriber=subscriber,
    )


@renderer(DeliveryKind.CONFIRMATION)
def render_confirmation(delivery: Delivery) -> Rendered:
    subscriber = delivery.subscriber
    context = {
        "confirm_url": confirm_url(subscriber),
        "hours": confirm_hours(),
        "follows": list(subscriber.follows.order_by("created_at", "pk")[:20]),
        "more": max(0, subscriber.follows.count() - 20),
    }
    subject = _("Confirm your address to follow the Concertation record")
    context["subject"] = subject
    return Rendered(
        subject=subject,
        text=render_to_string("follows/email/confirmation.txt", context),
        html=render_to_string("follows/email/confirmation.html", context),
    )
