"""Seats and their holders: at most one holder at a time, enforced by the database, and
two people assigning the last vacant seat at once — one succeeds, one is told why."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from consultations.fora.models import Forum, Meeting, Seat, SeatTerm
from consultations.fora.services import SeatTaken, assign_seat, confirm_attendance, end_term
from tests.concurrency import wait_until_someone_waits_for_a_lock
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2001, 1, 1)


def make_seat(label: str = "Community seat") -> Seat:
    convenor = OrganizationFactory(kind="government")
    forum = Forum.objects.create(
        name=f"Table of {label}",
        slug=f"table-{label.lower().replace(' ', '-')}",
        level="regional",
        kind="government_table",
        convenor=convenor,
        active_from=datetime.date(2000, 1, 1),
    )
    return Seat.objects.create(forum=forum, label=label, designation="government")


def test_a_seat_is_held_by_one_organization_at_a_time_with_its_history():
    seat = make_seat()
    first, second = OrganizationFactory(), OrganizationFactory()
    term = assign_seat(seat, first, starts_on=START, delegate="Marie Gagnon")

    with pytest.raises(SeatTaken) as refused:
        assign_seat(seat, second, starts_on=datetime.date(2001, 6, 1))
    assert "already held by" in refused.value.message_dict["seat"][0]

    end_term(term, datetime.date(2002, 1, 1))
    assign_seat(seat, second, starts_on=datetime.date(2002, 1, 1))

    holders = [t.organization for t in SeatTerm.objects.filter(seat=seat).order_by("starts_on")]
    assert holders == [first, second]


def test_a_term_overlapping_a_past_one_is_refused():
    seat = make_seat()
    assign_seat(seat, OrganizationFactory(), starts_on=START, ends_on=datetime.date(2001, 12, 31))

    with pytest.raises(SeatTaken):
        assign_seat(
            seat,
            OrganizationFactory(),
            starts_on=datetime.date(2000, 6, 1),
            ends_on=datetime.date(2001, 2, 1),
        )


def test_a_term_that_ends_before_it_starts_names_the_field():
    with pytest.raises(ValidationError) as refused:
        assign_seat(make_seat(), OrganizationFactory(), starts_on=START, ends_on=START)
    assert "ends_on" in refused.value.message_dict


def test_the_database_refuses_a_second_open_term_even_written_directly():
    seat = make_seat()
    SeatTerm.objects.create(seat=seat, organization=OrganizationFactory(), starts_on=START)

    with pytest.raises(IntegrityError), transaction.atomic():
        SeatTerm.objects.create(
            seat=seat, organization=OrganizationFactory(), starts_on=datetime.date(2003, 1, 1)
        )


@pytest.mark.postgres
def test_postgresql_refuses_overlapping_closed_terms_written_directly():
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's")
    seat = make_seat()
    SeatTerm.objects.create(
        seat=seat,
        organization=OrganizationFactory(),
        starts_on=START,
        ends_on=datetime.date(2001, 12, 31),
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        SeatTerm.objects.create(
            seat=seat,
            organization=OrganizationFactory(),
            starts_on=datetime.date(2001, 6, 1),
            ends_on=datetime.date(2002, 6, 1),
        )


def test_attendance_is_recorded_only_for_the_holder_on_the_day():
    seat = make_seat()
    term = assign_seat(seat, OrganizationFactory(), starts_on=START)
    before = Meeting.objects.create(
        forum=seat.forum, held_on=datetime.date(2000, 6, 1), duration_hours=3, mode="online"
    )
    during = Meeting.objects.create(
        forum=seat.forum,
        held_on=datetime.date(2001, 6, 1),
        duration_hours=3,
        mode="in_person",
        travel_hours=2,
    )

    with pytest.raises(ValidationError) as refused:
        confirm_attendance(before, term, attended=True, user=None)
    assert "meeting" in refused.value.message_dict
    attendance = confirm_attendance(during, term, attended=True, user=None)
    assert attendance.attended


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_assigning_the_last_vacant_seat_at_once_one_succeeds():
    """Two connections: the first holds the seat's lock until the second is seen
    waiting for it in pg_stat_activity, then commits; the second is then refused."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks and two connections")
    seat = make_seat("Last vacant seat")
    first, second = OrganizationFactory(), OrganizationFactory()
    results: dict[str, object] = {}
    first_holds_lock = threading.Event()

    def assign_as(name: str, organization, hold: bool) -> None:
        try:
            with transaction.atomic():
                results[name] = assign_seat(seat, organization, starts_on=START)
                if hold:
                    first_holds_lock.set()
                    wait_until_someone_waits_for_a_lock()
        except ValidationError as error:
            results[name] = error
        finally:
            connections.close_all()

    one = threading.Thread(target=assign_as, args=("first", first, True))
    one.start()
    assert first_holds_lock.wait(10)
    two = threading.Thread(target=assign_as, args=("second", second, False))
    two.start()
    one.join(20)
    two.join(20)

    assert isinstance(results["first"], SeatTerm)
    assert isinstance(results["second"], SeatTaken)
    assert "already held by" in results["second"].message_dict["seat"][0]
    assert list(SeatTerm.objects.filter(seat=seat).values_list("organization", flat=True)) == [
        first.pk
    ]
