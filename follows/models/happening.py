"""Something that happened to the public record, worth telling the followers of the
records it is about.

Detection (`follows.detection`) records each happening once (unique on kind and
subject) with its `targets`: the follow targets whose followers care (a brief published
in a round is about the round, its policy and the organizations that signed it).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .follow import TARGET_LENGTH


class HappeningKind(models.TextChoices):
    # A record newly public: a policy version, a brief, a position, an allocation, a
    # meeting, a seat term. A saved search's match is of this kind too, so a record is
    # announced once to a reader however many follows find it.
    PUBLISHED = "published", _("Published")
    ROUND_OPENED = "round_opened", _("Round opened")
    ROUND_CLOSED = "round_closed", _("Round closed")
    REPORT_PUBLISHED = "report_published", _("Report published")
    RESPONSE_PUBLISHED = "response_published", _("Government response published")
    # A seat term began (a new holder in the seat).
    SEAT_CHANGED = "seat_changed", _("Seat changed")
    # A seat term came to its end (the holder left the seat).
    SEAT_ENDED = "seat_ended", _("Seat term ended")


class Happening(models.Model):
    kind = models.CharField(_("kind"), max_length=24, choices=HappeningKind.choices)
    # The record it is about, as `<search kind>:<pk>` (`submission:12`,
    # `policy_version:41`): the archive search's document id, so the record's title,
    # address and readers come from its searchable (`search.registry`) when sending.
    subject = models.CharField(_("record"), max_length=120)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # When detection recorded it: saved searches read the happenings recorded since
    # their last check (a record may be recorded well after it occurred).
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("happening")
        verbose_name_plural = _("happenings")
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject"], name="follows_happening_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


class HappeningTarget(models.Model):
    happening = models.ForeignKey(Happening, on_delete=models.CASCADE, related_name="targets")
    target = models.CharField(max_length=TARGET_LENGTH)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["happening", "target"], name="follows_happening_target_once"
            ),
        ]
        indexes = [models.Index(fields=["target"], name="follows_happening_target")]

    def __str__(self) -> str:
        return self.target


class DetectionMark(models.Model):
    """Where detection stands (one row, `name` "detection"): each pass reads what
    changed since `until` (less a margin for transactions still open then), and nothing
    that became public before `origin`, its first pass, is ever announced."""

    name = models.CharField(max_length=40, unique=True)
    origin = models.DateTimeField()
    until = models.DateTimeField()

    class Meta:
        verbose_name = _("detection mark")
        verbose_name_plural = _("detection marks")

    def __str__(self) -> str:
        return f"{self.name}: {self.until:%Y-%m-%d %H:%M}"
