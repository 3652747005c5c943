"""Writes on seats: who holds them, whom they delegate, who attended a meeting.

Each write is one transaction. Assigning a seat locks the seat row first, so of two
people assigning the last vacant seat at the same moment the second waits, then finds
the seat taken and is told so; the database's constraints stand behind the check.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from organizations.models import Organization

from .models import Attendance, Meeting, Seat, SeatTerm


class SeatTaken(ValidationError):
    """The seat has a holder for (part of) the requested term."""


@transaction.atomic
def assign_seat(
    seat: Seat,
    organization: Organization,
    *,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    delegate: str = "",
) -> SeatTerm:
    """Give `seat` to `organization` from `starts_on` (until `ends_on`, or open-ended)."""
    if ends_on is not None and ends_on <= starts_on:
        raise ValidationError({"ends_on": _("A term ends after it starts.")})
    locked = Seat.objects.select_for_update().get(pk=seat.pk)
    holder = (
        SeatTerm.objects.filter(seat=locked)
        .overlapping(starts_on, ends_on)
        .select_related("organization")
        .first()
    )
    if holder is not None:
        raise SeatTaken(
            {
                "seat": _(
                    "“%(seat)s” is already held by %(holder)s from %(start)s; end that term "
                    "first or choose another seat."
                )
                % {"seat": locked.label, "holder": holder.organization, "start": holder.starts_on}
            }
        )
    try:
        with transaction.atomic():
            return SeatTerm.objects.create(
                seat=locked,
                organization=organization,
                starts_on=starts_on,
                ends_on=ends_on,
                delegate=delegate.strip(),
            )
    except IntegrityError as error:
        raise SeatTaken({"seat": _("This seat already has a holder for those dates.")}) from error


@transaction.atomic
def end_term(term: SeatTerm, ends_on: datetime.date) -> SeatTerm:
    """Close a holder's term: the seat is vacant from `ends_on`."""
    locked = SeatTerm.objects.select_for_update().get(pk=term.pk)
    if ends_on <= locked.starts_on:
        raise ValidationError({"ends_on": _("A term ends after it starts.")})
    locked.ends_on = ends_on
    locked.save(update_fields=["ends_on"])
    return locked


@transaction.atomic
def name_delegate(term: SeatTerm, delegate: str) -> SeatTerm:
    """The holder organization names the person it sends."""
    delegate = delegate.strip()
    if len(delegate) > SeatTerm._meta.get_field("delegate").max_length:
        raise ValidationError({"delegate": _("The name is too long.")})
    SeatTerm.objects.filter(pk=term.pk).update(delegate=delegate)
    term.delegate = delegate
    return term


@transaction.atomic
def confirm_attendance(meeting: Meeting, term: SeatTerm, *, attended: bool, user) -> Attendance:
    """Record whether the holder of a seat attended a meeting of its forum."""
    if term.seat.forum_id != meeting.forum_id:
        raise ValidationError({"meeting": _("This meeting is not one of the seat's forum.")})
    if not term.is_active(meeting.held_on):
        raise ValidationError(
            {"meeting": _("The organization did not hold this seat on the day of the meeting.")}
        )
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting, term=term, defaults={"attended": attended, "confirmed_by": user}
    )
    return attendance
