"""Allocations within a programme-year's budget: bad input is refused naming the field
and nothing is saved; two allocations approved at once cannot overrun the budget."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction

from organizations.funding.models import Allocation, Programme, ProgrammeBudget
from organizations.funding.permissions import grant_programme
from organizations.funding.services import (
    change_status,
    record_allocation,
    write_allocation,
)
from tests.concurrency import wait_until_someone_waits_for_a_lock
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    funder = OrganizationFactory(kind="government", name="Secretariat")
    programme = Programme.objects.create(
        name="Global mission support",
        slug="global-mission",
        funder=funder,
        mode="global_mission",
        first_fiscal_year=2000,
        last_fiscal_year=2005,
    )
    ProgrammeBudget.objects.create(programme=programme, fiscal_year=2001, amount=Decimal(100_000))
    return programme


@pytest.fixture
def finance_staff(programme):
    user = UserFactory(username="finance")
    grant_programme(user, programme)
    return user


def allocate(user, programme, amount, status="approved", **fields):
    return record_allocation(
        user,
        organization=fields.pop("organization", None) or OrganizationFactory(),
        programme=programme,
        fiscal_year=fields.pop("fiscal_year", 2001),
        amount=Decimal(amount),
        status=status,
        **fields,
    )


def test_finance_staff_record_allocations_within_the_budget(programme, finance_staff):
    allocate(finance_staff, programme, 60_000)
    allocate(finance_staff, programme, 40_000)

    assert Allocation.objects.committed().count() == 2


def test_staff_of_another_programme_may_not(programme):
    other = Programme.objects.create(
        name="Other", slug="other", funder=programme.funder, mode="project", first_fiscal_year=2000
    )
    stranger = UserFactory(username="other-finance")
    grant_programme(stranger, other)

    with pytest.raises(PermissionDenied):
        allocate(stranger, programme, 1_000)
    assert not Allocation.objects.exists()


@pytest.mark.parametrize(
    ("amount", "fields", "named"),
    [
        (-5, {}, "amount"),
        (0, {}, "amount"),
        (1_000, {"fiscal_year": 1999}, "fiscal_year"),
        (1_000, {"fiscal_year": 2003}, "fiscal_year"),  # runs, but has no budget
        (1_000, {"origin": "reallocated"}, "reallocated_from_programme"),
        (100_001, {}, "amount"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    programme, finance_staff, amount, fields, named
):
    with pytest.raises(ValidationError) as refused:
        allocate(finance_staff, programme, amount, **fields)

    assert named in refused.value.message_dict
    assert not Allocation.objects.exists()


def test_a_draft_does_not_count_until_approved(programme, finance_staff):
    allocate(finance_staff, programme, 90_000)
    draft = allocate(finance_staff, programme, 50_000, status="draft")

    with pytest.raises(ValidationError) as refused:
        change_status(finance_staff, draft, "approved")

    assert "10000" in refused.value.message_dict["amount"][0].replace(",", "").replace(".00", "")
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_allocations_approved_at_once_cannot_overrun_the_budget(programme, finance_staff):
    """Two connections: the first holds the budget row's lock until the second is seen
    waiting for it, then commits; the second then sees the money gone."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks and two connections")
    results: dict[str, object] = {}
    first_holds_lock = threading.Event()

    def approve(name: str, hold: bool) -> None:
        try:
            with transaction.atomic():
                results[name] = allocate(finance_staff, programme, 70_000)
                if hold:
                    first_holds_lock.set()
                    wait_until_someone_waits_for_a_lock()
        except ValidationError as error:
            results[name] = error
        finally:
            connections.close_all()

    one = threading.Thread(target=approve, args=("first", True))
    one.start()
    assert first_holds_lock.wait(10)
    two = threading.Thread(target=approve, args=("second", False))
    two.start()
    one.join(20)
    two.join(20)

    assert isinstance(results["first"], Allocation)
    assert isinstance(results["second"], ValidationError)
    assert "amount" in results["second"].message_dict
    assert Allocation.objects.committed().count() == 1


def test_an_allocation_nobody_entered_keeps_the_budget_rule_and_names_no_recorder(
    programme, finance_staff
):
    """`write_allocation` (the demo loader's way in) checks no user but every rule."""
    written = write_allocation(
        organization=OrganizationFactory(),
        programme=programme,
        fiscal_year=2001,
        amount=Decimal(100_000),
        status="approved",
    )
    assert written.recorded_by is None
    assert written.mode == programme.mode
    with pytest.raises(ValidationError) as refused:
        write_allocation(
            organization=OrganizationFactory(),
            programme=programme,
            fiscal_year=2001,
            amount=Decimal(1),
            status="published",
        )
    assert set(refused.value.message_dict) == {"amount"}
    assert allocate(finance_staff, programme, 1, status="draft").recorded_by == finance_staff
