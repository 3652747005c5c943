"""A round whose invitations and reminders the staff have paused."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PausedRound(models.Model):
    round = models.OneToOneField(
        "consultations.ConsultationRoundPage",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="invitations_paused",
    )
    paused_at = models.DateTimeField(_("paused"), default=timezone.now)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paused by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("paused round invitations")
        verbose_name_plural = _("paused round invitations")

    def __str__(self) -> str:
        return str(self.round_id)
