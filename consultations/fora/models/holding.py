"""Who held a seat, and when: the history of holders.

At most one holder per seat at a time. The database enforces it twice: a unique
constraint allows one open-ended term per seat (on every database), and on PostgreSQL
an exclusion constraint forbids any two overlapping terms of a seat (migration
`0004_fora_seats_meetings`, which needs `btree_gist`). Assignments go through
`consultations.fora.services.assign_seat`, which locks the seat row so that of two people
assigning the last vacant seat at once, one succeeds and the other is told why.
"""

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .forum import Seat


class SeatTermQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> "SeatTermQuerySet":
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day))

    def overlapping(self, starts_on: datetime.date, ends_on: datetime.date | None):
        """Terms sharing at least one day with [starts_on, ends_on)."""
        condition = Q(ends_on__isnull=True) | Q(ends_on__gt=starts_on)
        if ends_on is not None:
            condition &= Q(starts_on__lt=ends_on)
        return self.filter(condition)


class SeatTerm(models.Model):
    """An organization holding a seat from `starts_on` until the day before `ends_on`
    (or still holding it when `ends_on` is empty), and the person it delegates."""

    seat = models.ForeignKey(
        Seat, verbose_name=_("seat"), on_delete=models.CASCADE, related_name="terms"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="seat_terms",
    )
    delegate = models.CharField(
        _("delegate"),
        max_length=255,
        blank=True,
        help_text=_("The person the organization sends; the organization names them."),
    )
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(
        _("term ends"), null=True, blank=True, help_text=_("The first day it is no longer held.")
    )

    objects = SeatTermQuerySet.as_manager()

    class Meta:
        db_table = "consultations_seatterm"
        ordering = ["seat", "-starts_on"]
        verbose_name = _("seat term")
        verbose_name_plural = _("seat terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="seat_term_ends_after_it_starts",
                violation_error_message=_("A term ends after it starts."),
            ),
            models.UniqueConstraint(
                fields=["seat"],
                condition=Q(ends_on__isnull=True),
                name="one_open_term_per_seat",
                violation_error_message=_("This seat already has a holder."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.seat}"

    def is_active(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on > day)
