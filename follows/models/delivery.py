"""One e-mail, from the moment it is due to the moment the server took it.

Sending is idempotent through `key`: the same digest, invitation or reminder has the
same key, so a second pass finds the row and sends nothing. A row is marked SENDING in
its own transaction before the SMTP conversation; one still SENDING after a crash is
never sent again by itself (the staff see it and decide), so a restart never sends twice.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .subscriber import Subscriber


class DeliveryKind(models.TextChoices):
    CONFIRMATION = "confirmation", _("Address confirmation")
    IMMEDIATE = "immediate", _("As it happens")
    DIGEST = "digest", _("Digest")
    INVITATION = "invitation", _("Round invitation")
    REMINDER = "reminder", _("Round reminder")


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    # Paused by the staff (a round's invitations): sent when they resume it.
    HELD = "held", _("Held")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    # A temporary failure: retried at `next_attempt_at`.
    FAILED = "failed", _("Failed, will retry")
    # Too many failures, or a permanent refusal of the address.
    GAVE_UP = "gave_up", _("Given up")
    BOUNCED = "bounced", _("Bounced")


class Delivery(models.Model):
    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=DeliveryKind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    # Invitations and reminders go to organization editors' accounts.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    email = models.EmailField(_("to"), max_length=254)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    # The round an invitation or reminder is for (the staff pause a round's invitations).
    round = models.ForeignKey(
        "consultations.ConsultationRoundPage",
        verbose_name=_("round"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.CharField(_("message id"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="follows_delivery_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.email}"
