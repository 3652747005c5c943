"""Writes on seats: who holds them, whom they delegate, who attended a meeting.

Each write is one transaction. Assigning a seat and ending a term lock the seat row
first, so of two people assigning the last vacant seat at the same moment — or one ending
a term later while another gives the seat to the next holder — the second waits, then
finds the seat taken and is told so; the database's constraints (and, for ending a term,
a conditional update, which SQLite honours too) stand behind the check.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists
from django.utils.translation import gettext as _

from concertation.formats import day
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
                % {
                    "seat": locked.label,
                    "holder": holder.organization,
                    "start": day(holder.starts_on),
                }
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
    """Close a holder's term: the seat is vacant from `ends_on`.

    Moving an end later could run into the next holder's term. The seat row is locked
    first, as `assign_seat` locks it, so an assignment and an end of the same seat wait
    for each other and each sees the other's result. The write itself is conditional
    (no other term of the seat may overlap the new span), so the rule holds on SQLite too,
    where `select_for_update()` locks nothing; PostgreSQL's exclusion constraint stands
    behind both and is answered as the same refusal.
    """
    Seat.objects.select_for_update().get(pk=term.seat_id)
    locked = SeatTerm.objects.select_for_update().select_related("seat").get(pk=term.pk)
    if ends_on <= locked.starts_on:
        raise ValidationError({"ends_on": _("A term ends after it starts.")})
    others = SeatTerm.objects.filter(seat=locked.seat_id).exclude(pk=locked.pk)
    overlapping = others.overlapping(locked.starts_on, ends_on)
    try:
        with transaction.atomic():
            updated = (
                SeatTerm.objects.filter(pk=locked.pk)
                .exclude(Exists(overlapping))
                .update(ends_on=ends_on)
            )
    except IntegrityError as error:
        raise _runs_into_next_holder(locked, None) from error
    if not updated:
        raise _runs_into_next_holder(
            locked, overlapping.select_related("organization").order_by("starts_on").first()
        )
    locked.ends_on = ends_on
    return locked


def _runs_into_next_holder(term: SeatTerm, later: SeatTerm | None) -> SeatTaken:
    """The refusal of an end that would overlap another term, on the `ends_on` field."""
    if later is None:
        return SeatTaken({"ends_on": _("Another holder has this seat before that date.")})
    return SeatTaken(
        {
            "ends_on": _(
                "“%(seat)s” is held by %(holder)s from %(start)s: this term must end by then."
            )
            % {"seat": term.seat.label, "holder": later.organization, "start": day(later.starts_on)}
        }
    )


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
