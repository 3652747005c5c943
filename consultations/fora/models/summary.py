"""The monthly burden summary: each organization's attended hours, month by month, so
that the dashboard and the export add up a dozen rows per organization instead of
joining every attendance of the window to its meeting, term and seat.

Derived data, never edited by hand: `consultations.fora.burden_summary` rebuilds a month
from the attendance records, in the worker, after any write that changes it; until then
the month is marked stale and read from the records themselves, so the figures are
always those of docs/burden.md. Decision record: docs/decisions/ (the monthly summary).
"""

from django.db import models

from organizations.models import Organization


class BurdenMonth(models.Model):
    """The meeting, travel and unsupported hours an organization attended in one calendar
    month (`month` is its first day), as `burden.attended_hours` sums them, in
    hundredths of an hour."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    # Hundredths of an hour (the hours' two decimals, exactly): integers sum several
    # times faster than decimals in the catalogue's statement.
    meeting_hundredths = models.BigIntegerField()
    travel_hundredths = models.BigIntegerField()
    unsupported_hundredths = models.BigIntegerField()

    class Meta:
        db_table = "fora_burdenmonth"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "month"], name="one_burden_summary_per_month"
            )
        ]
        indexes = [models.Index(fields=["month"], name="burden_month_month")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.month:%Y-%m}"


class BurdenDay(models.Model):
    """The meeting, travel and unsupported hours an organization attended on one day, in
    hundredths of an hour: what the window's first and last months, which it covers in
    part, add up from when their month is fresh (rebuilt with the month's `BurdenMonth`
    rows, under the same `SummarizedMonth` lock), instead of joining those days'
    attendance records to their meetings, terms and seats."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    meeting_hundredths = models.BigIntegerField()
    travel_hundredths = models.BigIntegerField()
    unsupported_hundredths = models.BigIntegerField()

    class Meta:
        db_table = "fora_burdenday"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "day"], name="one_burden_summary_per_day"
            )
        ]
        indexes = [models.Index(fields=["day"], name="burden_day_day")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.day:%Y-%m-%d}"


class SummarizedMonth(models.Model):
    """A calendar month of the summary: `fresh` when its `BurdenMonth` and `BurdenDay`
    rows are complete and current, false from the write that changed one of its records
    until the worker has rebuilt it. A month without a row has never been summarized
    (read from the records)."""

    month = models.DateField(unique=True)
    fresh = models.BooleanField(default=False)

    class Meta:
        db_table = "fora_summarizedmonth"

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} ({'fresh' if self.fresh else 'stale'})"
