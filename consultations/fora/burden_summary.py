"""Keeping the monthly burden summary (models/summary.py) in step with the records.

A write that changes what a month's hours add up to — an attendance recorded, changed or
removed, a meeting moved, shortened or put online, a term given to another organization,
a seat's support changed — marks that month stale *in the writer's transaction*
(`mark_stale`, from the signal receivers below) and, once committed, queues
`tasks.refresh_burden_months` for the worker. Until the worker has rebuilt it, the
catalogue reads a stale month from the attendance records, so a figure is never the
summary's when the summary is behind.

The month's row in `SummarizedMonth` is the lock both sides take: a refresh locks it,
rebuilds the month from the records and marks it fresh; a writer's upsert of it waits
for a refresh under way and marks it stale again afterwards, and a refresh waits for a
writer's uncommitted mark, then reads its committed records. Writes that bypass the
model signals (COPY, raw SQL, `QuerySet.update()` of the fields above) must be followed
by `manage.py burden_summary`, which rebuilds every month (the benchmark's loader
does).
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_delete, post_save, pre_save

from .burden import attended_hours
from .models import (
    Attendance,
    BurdenDay,
    BurdenMonth,
    Meeting,
    Seat,
    SeatTerm,
    SummarizedMonth,
)


def first_day(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def mark_stale(days: Iterable[datetime.date]) -> None:
    """Mark the months of `days` stale now, and have the worker rebuild them after the
    transaction commits."""
    months = sorted({first_day(day) for day in days})
    if not months:
        return
    SummarizedMonth.objects.bulk_create(
        [SummarizedMonth(month=month, fresh=False) for month in months],
        update_conflicts=True,
        unique_fields=["month"],
        update_fields=["fresh"],
    )
    from .tasks import refresh_burden_months

    transaction.on_commit(
        lambda: refresh_burden_months.enqueue([month.isoformat() for month in months])
    )


def _hundredths(meeting: Decimal, travel: Decimal, unsupported: Decimal) -> dict[str, int]:
    """The summary's integer columns from hours with two decimals (exact, or refused)."""
    columns = {}
    for name, hours in (("meeting", meeting), ("travel", travel), ("unsupported", unsupported)):
        hundredths = Decimal(hours) * 100
        if hundredths != hundredths.to_integral_value():
            raise ValueError(f"{name} hours {hours} have more than two decimals")
        columns[f"{name}_hundredths"] = int(hundredths)
    return columns


def refresh_month(month: datetime.date) -> int:
    """Rebuild one month's summary (its `BurdenMonth` rows, and its `BurdenDay` rows for
    windows that cover it in part) from the attendance records and mark it fresh, under
    the lock of its `SummarizedMonth` row; returns the number of organizations in it."""
    month = first_day(month)
    with transaction.atomic():
        SummarizedMonth.objects.bulk_create(
            [SummarizedMonth(month=month, fresh=False)], ignore_conflicts=True
        )
        SummarizedMonth.objects.select_for_update().get(month=month)
        days = Q(meeting__held_on__gte=month, meeting__held_on__lt=month + relativedelta(months=1))
        rows = [
            BurdenMonth(organization_id=pk, month=month, **_hundredths(*hours))
            for pk, *hours in attended_hours(days)
        ]
        by_day = [
            BurdenDay(organization_id=pk, day=day, **_hundredths(*hours))
            for pk, day, *hours in attended_hours(days, by_day=True)
        ]
        BurdenMonth.objects.filter(month=month).delete()
        BurdenMonth.objects.bulk_create(rows, batch_size=1000)
        BurdenDay.objects.filter(day__gte=month, day__lt=month + relativedelta(months=1)).delete()
        BurdenDay.objects.bulk_create(by_day, batch_size=1000)
        SummarizedMonth.objects.filter(month=month).update(fresh=True)
    return len(rows)


def refresh_all() -> list[datetime.date]:
    """Rebuild every month that has an attendance or a summary; returns the months."""
    months = set(
        Attendance.objects.annotate(month=TruncMonth("meeting__held_on"))
        .order_by()
        .values_list("month", flat=True)
        .distinct()
    )
    months |= set(SummarizedMonth.objects.values_list("month", flat=True))
    for month in sorted(months):
        refresh_month(month)
    return sorted(months)


# --- the writes that change a month's hours --------------------------------------------


def _attendance_changed(sender, instance: Attendance, **kwargs) -> None:
    mark_stale([instance.meeting.held_on])


def _meeting_before_save(sender, instance: Meeting, **kwargs) -> None:
    """Remember the month a meeting had, so that moving it refreshes both."""
    instance._burden_held_on = (
        Meeting.objects.filter(pk=instance.pk).values_list("held_on", flat=True).first()
        if instance.pk
        else None
    )


def _meeting_saved(sender, instance: Meeting, created: bool, **kwargs) -> None:
    if created:
        return  # no attendance yet
    before = getattr(instance, "_burden_held_on", None)
    mark_stale([instance.held_on, *([before] if before else [])])


def _months_attended(attendances) -> list[datetime.date]:
    return list(attendances.order_by().values_list("meeting__held_on", flat=True).distinct())


def _term_saved(sender, instance: SeatTerm, created: bool, **kwargs) -> None:
    if not created:  # its holder may have changed: every month it attended
        mark_stale(_months_attended(Attendance.objects.filter(term=instance)))


def _seat_saved(sender, instance: Seat, created: bool, **kwargs) -> None:
    if not created:  # its support may have changed
        mark_stale(_months_attended(Attendance.objects.filter(term__seat=instance)))


def connect() -> None:
    """Connect the receivers (from the app's `ready`)."""
    uid = "fora.burden_summary"
    post_save.connect(_attendance_changed, sender=Attendance, dispatch_uid=f"{uid}.attendance")
    post_delete.connect(
        _attendance_changed, sender=Attendance, dispatch_uid=f"{uid}.attendance_deleted"
    )
    pre_save.connect(_meeting_before_save, sender=Meeting, dispatch_uid=f"{uid}.meeting_before")
    post_save.connect(_meeting_saved, sender=Meeting, dispatch_uid=f"{uid}.meeting")
    post_save.connect(_term_saved, sender=SeatTerm, dispatch_uid=f"{uid}.term")
    post_save.connect(_seat_saved, sender=Seat, dispatch_uid=f"{uid}.seat")
