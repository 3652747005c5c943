"""One thing to tell one reader: made when a happening reaches a follow of theirs, or
a saved search of theirs finds a new record; carried by one e-mail."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .follow import Follow
from .happening import Happening, HappeningKind
from .subscriber import Subscriber


class NoticeState(models.TextChoices):
    PENDING = "pending", _("Waiting for its e-mail")
    SENT = "sent", _("Sent")
    # The reader could not open the record when the e-mail was made (unpublished,
    # restricted, permissions changed): never sent, never retried.
    WITHHELD = "withheld", _("Withheld")


class Notice(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="notices")
    # The follow that found it (the e-mail groups notices by follow); kept when the
    # follow goes so the ledger of what was sent stays.
    follow = models.ForeignKey(
        Follow, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    happening = models.ForeignKey(
        Happening, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=24, choices=HappeningKind.choices)
    subject = models.CharField(max_length=120)
    state = models.CharField(
        max_length=10, choices=NoticeState.choices, default=NoticeState.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    delivery = models.ForeignKey(
        "follows.Delivery",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
    )

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            # A record is announced to a reader once per kind of happening, whichever
            # follows found it and however often detection runs.
            models.UniqueConstraint(
                fields=["subscriber", "kind", "subject"], name="follows_notice_once"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "subscriber"], name="follows_notice_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"
