"""A reader who is told of what happens: an e-mail address, confirmed by a link, or an
account's own address."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# No address may follow more than this many things: past it a follow is refused with a
# message, so one address cannot fill the tables (issue #16: "10,000 follows from one
# address").
MAX_FOLLOWS = 200


class Cadence(models.TextChoices):
    IMMEDIATE = "immediate", _("As it happens")
    DAILY = "daily", _("A daily digest")
    WEEKLY = "weekly", _("A weekly digest")


class SubscriberQuerySet(models.QuerySet):
    def receiving(self) -> "SubscriberQuerySet":
        """The readers e-mails may go to: confirmed, not unsubscribed, not suspended."""
        return self.filter(
            confirmed_at__isnull=False, unsubscribed_at__isnull=True, suspended_at__isnull=True
        )


class Subscriber(models.Model):
    """One reader. Without an account the address is confirmed by a link before anything
    is sent to it (double opt-in); with one, the account's address is used and confirmed.

    An address is never shown to anyone but its owner and the staff.
    """

    email = models.EmailField(_("e-mail address"), max_length=254)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriber",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    cadence = models.CharField(
        _("how often"), max_length=10, choices=Cadence.choices, default=Cadence.DAILY
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # Every e-mail stopped by the reader (one-click unsubscribe); follows are kept so a
    # reader who subscribes again finds them.
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    # Every e-mail stopped after permanent bounces, until the staff lift it.
    suspended_at = models.DateTimeField(_("suspended"), null=True, blank=True)
    bounce_count = models.PositiveIntegerField(_("bounces"), default=0)
    # Part of every signed link: raising it revokes every link sent before.
    token_version = models.PositiveIntegerField(default=1)
    # The end of the period the last digest covered (None: never sent one).
    digest_until = models.DateTimeField(null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="follows_subscriber_unique_email"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_receiving(self) -> bool:
        return bool(self.confirmed_at and not self.unsubscribed_at and not self.suspended_at)
