"""Meetings of a forum, and who attended them from which seat.

Attendance is recorded per seat term (the holder at the time), so the hours a meeting
costs land on the organization that sat in the seat that day, and its support with them.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .forum import Forum
from .holding import SeatTerm


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class Meeting(models.Model):
    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="meetings"
    )
    held_on = models.DateField(_("date"))
    duration_hours = models.DecimalField(_("duration (hours)"), max_digits=5, decimal_places=2)
    mode = models.CharField(_("mode"), max_length=10, choices=MeetingMode.choices)
    travel_hours = models.DecimalField(
        _("travel time (hours, return)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        help_text=_("The usual return travel time for a delegate; zero when online."),
    )

    class Meta:
        db_table = "consultations_meeting"
        ordering = ["-held_on"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["held_on"], name="meeting_held_on"),
            # The burden looks up every attended meeting by primary key for its date,
            # duration, mode and travel time: with them in the index (PostgreSQL's
            # INCLUDE), no table read (docs/burden.md, benchmark).
            models.Index(
                fields=["id", "held_on"],
                include=["duration_hours", "mode", "travel_hours"],
                name="meeting_burden_covering",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_hours__gt=0) & Q(duration_hours__lte=24),
                name="meeting_duration_in_a_day",
                violation_error_message=_("A meeting lasts more than 0 and at most 24 hours."),
            ),
            models.CheckConstraint(
                condition=Q(travel_hours__gte=0)
                & (Q(mode=MeetingMode.IN_PERSON) | Q(travel_hours=0)),
                name="only_in_person_meetings_need_travel",
                violation_error_message=_(
                    "Travel time is zero or more, and zero for an online meeting."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.forum} — {self.held_on}"


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    term = models.ForeignKey(
        SeatTerm,
        verbose_name=_("seat term"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    attended = models.BooleanField(_("attended"), default=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        db_table = "consultations_attendance"
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        indexes = [
            # The burden sums the meetings attended from an organization's terms.
            models.Index(
                fields=["term", "meeting"],
                condition=Q(attended=True),
                name="attendance_attended_by_term",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "term"],
                name="one_attendance_per_seat_and_meeting",
                violation_error_message=_("Attendance for this seat is already recorded."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.term} @ {self.meeting}"
