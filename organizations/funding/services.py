"""Writes on funding: recording allocations within a programme-year's budget.

The budget rule — the approved (and published) allocations of a programme in a fiscal
year never add up to more than its budget — is checked with the budget row locked
(`select_for_update`), so two allocations approved at the same moment are checked one
after the other: the second sees the first and is refused if the money is gone.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from concertation.formats import money
from organizations.models import Organization, Sector

from .models import (
    COMMITTED_STATUSES,
    Allocation,
    AllocationStatus,
    MoneyOrigin,
    Programme,
    ProgrammeBudget,
    fiscal_year_label,
)
from .permissions import manages_programme

User = AbstractBaseUser | AnonymousUser


def committed_in(programme: Programme, fiscal_year: int, *, excluding: int | None = None):
    """The money approved or published in a programme-year."""
    allocations = Allocation.objects.committed().filter(
        programme=programme, fiscal_year=fiscal_year
    )
    if excluding is not None:
        allocations = allocations.exclude(pk=excluding)
    return allocations.aggregate(total=Sum("amount"))["total"] or Decimal(0)


@transaction.atomic
def record_allocation(
    user: User,
    *,
    organization: Organization,
    programme: Programme,
    fiscal_year: int,
    amount: Decimal,
    origin: str = MoneyOrigin.NEW,
    mode: str = "",
    reallocated_from_programme: Programme | None = None,
    reallocated_from_sector: Sector | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    status: str = AllocationStatus.DRAFT,
    notes: str = "",
    allocation: Allocation | None = None,
) -> Allocation:
    """Create `allocation` (or change it) for `programme`, all or nothing, as `user`,
    who must manage the programme (and the allocation's former one); the rules are
    those of `write_allocation`."""
    if not manages_programme(user, programme) or (
        allocation is not None and not manages_programme(user, allocation.programme)
    ):
        raise PermissionDenied
    return write_allocation(
        organization=organization,
        programme=programme,
        fiscal_year=fiscal_year,
        amount=amount,
        origin=origin,
        mode=mode,
        reallocated_from_programme=reallocated_from_programme,
        reallocated_from_sector=reallocated_from_sector,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        notes=notes,
        allocation=allocation,
        recorded_by=user if user.is_authenticated else None,
    )


@transaction.atomic
def write_allocation(
    *,
    organization: Organization,
    programme: Programme,
    fiscal_year: int,
    amount: Decimal,
    origin: str = MoneyOrigin.NEW,
    mode: str = "",
    reallocated_from_programme: Programme | None = None,
    reallocated_from_sector: Sector | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    status: str = AllocationStatus.DRAFT,
    notes: str = "",
    allocation: Allocation | None = None,
    recorded_by: AbstractBaseUser | None = None,
) -> Allocation:
    """Create `allocation` (or change it) for `programme`, all or nothing, whoever asks:
    callers check who may (`record_allocation` for people; the demo loader records
    allocations nobody entered, so `recorded_by` stays empty).

    Refused, naming the field, when the amount is not positive, the fiscal year is
    outside the programme or has no budget, or committing it would exceed the budget.
    """
    errors: dict[str, str] = {}
    if amount is None or amount <= 0:
        errors["amount"] = _("The amount must be more than zero.")
    if not programme.runs_in(fiscal_year):
        errors["fiscal_year"] = _("%(programme)s does not run in %(year)s.") % {
            "programme": programme,
            "year": fiscal_year,
        }
    if origin == MoneyOrigin.REALLOCATED and not (
        reallocated_from_programme or reallocated_from_sector
    ):
        errors["reallocated_from_programme"] = _(
            "Say which programme or sub-sector the reallocated money comes from."
        )
    if errors:
        raise ValidationError(errors)
    budget = (
        ProgrammeBudget.objects.select_for_update()
        .filter(programme=programme, fiscal_year=fiscal_year)
        .first()
    )
    if budget is None:
        raise ValidationError(
            {
                "fiscal_year": _("%(programme)s has no budget for %(year)s.")
                % {"programme": programme, "year": fiscal_year_label(fiscal_year)}
            }
        )
    if status in COMMITTED_STATUSES:
        already = committed_in(
            programme, fiscal_year, excluding=allocation.pk if allocation else None
        )
        if already + amount > budget.amount:
            raise ValidationError(
                {
                    "amount": _(
                        "This would exceed the budget of %(programme)s for %(year)s: "
                        "%(remaining)s of its %(budget)s remain."
                    )
                    % {
                        "programme": programme,
                        "year": fiscal_year_label(fiscal_year),
                        "remaining": money(budget.amount - already),
                        "budget": money(budget.amount),
                    }
                }
            )
    allocation = allocation or Allocation(recorded_by=recorded_by)
    allocation.organization = organization
    allocation.programme = programme
    allocation.fiscal_year = fiscal_year
    allocation.amount = amount
    allocation.mode = mode or programme.mode
    allocation.origin = origin
    allocation.reallocated_from_programme = (
        reallocated_from_programme if origin == MoneyOrigin.REALLOCATED else None
    )
    allocation.reallocated_from_sector = (
        reallocated_from_sector if origin == MoneyOrigin.REALLOCATED else None
    )
    allocation.starts_on = starts_on
    allocation.ends_on = ends_on
    allocation.status = status
    allocation.notes = notes
    allocation.full_clean()
    allocation.save()
    return allocation


def change_status(user: User, allocation: Allocation, status: str) -> Allocation:
    """Move an allocation to draft, approved or published, with the budget checked."""
    return record_allocation(
        user,
        organization=allocation.organization,
        programme=allocation.programme,
        fiscal_year=allocation.fiscal_year,
        amount=allocation.amount,
        origin=allocation.origin,
        mode=allocation.mode,
        reallocated_from_programme=allocation.reallocated_from_programme,
        reallocated_from_sector=allocation.reallocated_from_sector,
        starts_on=allocation.starts_on,
        ends_on=allocation.ends_on,
        status=status,
        notes=allocation.notes,
        allocation=allocation,
    )
