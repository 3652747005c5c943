"""One holder per seat, even when a term ends: ending a term later than the next holder's
start is refused with a message on the end date, on PostgreSQL and on SQLite, and a
manager ending a term while another gives the seat to the next holder gets that message
on the form, never a server error."""

import datetime
import threading

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test import Client

from concertation.formats import day
from consultations.fora.models import Seat, SeatTerm
from consultations.fora.services import assign_seat, end_term
from tests.concurrency import wait_until_someone_waits_for_a_lock
from tests.factories import ForumFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2001, 1, 1)
HANDOVER = datetime.date(2002, 1, 1)
TOO_LATE = datetime.date(2003, 1, 1)


def make_seat() -> Seat:
    forum = ForumFactory(convenor=OrganizationFactory(name="Secretariat", kind="community"))
    return Seat.objects.create(forum=forum, label="Community seat", designation="government")


def holders_on(seat: Seat, day: datetime.date) -> list[str]:
    return [term.organization.name for term in SeatTerm.objects.filter(seat=seat).active_on(day)]


def test_ending_a_term_after_the_next_holder_starts_is_refused_on_its_end_date():
    """Runs on both databases (`make test`, `make test-sqlite`): SQLite has no exclusion
    constraint, so only the service's conditional write keeps the second holder out."""
    seat = make_seat()
    first = assign_seat(seat, OrganizationFactory(name="First holder"), starts_on=START)
    end_term(first, HANDOVER)
    assign_seat(seat, OrganizationFactory(name="Next holder"), starts_on=HANDOVER)

    with pytest.raises(ValidationError) as refused:
        end_term(first, TOO_LATE)

    [message] = refused.value.message_dict["ends_on"]
    assert "Next holder" in message
    # The day the next term starts, written as the visitor's language writes it.
    assert day(HANDOVER) == "Jan. 1, 2002"
    assert day(HANDOVER) in message
    first.refresh_from_db()
    assert first.ends_on == HANDOVER
    assert holders_on(seat, datetime.date(2002, 6, 1)) == ["Next holder"]


def test_a_term_still_ends_after_it_starts():
    seat = make_seat()
    term = assign_seat(seat, OrganizationFactory(), starts_on=START)

    with pytest.raises(ValidationError) as refused:
        end_term(term, START)

    assert "ends_on" in refused.value.message_dict
    term.refresh_from_db()
    assert term.ends_on is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_manager_ending_a_term_while_another_hands_the_seat_over_is_told_on_the_form():
    """Two connections. The first manager ends the open term on 1 January 2002 and gives
    the seat to the next holder from that day, and keeps the transaction open until the
    second is seen waiting; the second, who still saw the open term when the screen was
    read, ends it on 1 January 2003 through the admin screen. The second is shown why on
    the end date's field: no server error, and one holder on every day."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks and two connections")
    seat = make_seat()
    first = assign_seat(seat, OrganizationFactory(name="First holder"), starts_on=START)
    manager = UserFactory(username="forum-manager")
    group = Group.objects.create(name="Fora staff")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_forum"),
    )
    manager.groups.add(group)
    results: dict[str, object] = {}
    first_holds_lock = threading.Event()

    def hand_over() -> None:
        try:
            with transaction.atomic():
                end_term(first, HANDOVER)
                assign_seat(seat, OrganizationFactory(name="Next holder"), starts_on=HANDOVER)
                first_holds_lock.set()
                wait_until_someone_waits_for_a_lock()
        except Exception as error:
            results["hand_over"] = error
        finally:
            connections.close_all()

    def end_late() -> None:
        client = Client()
        client.force_login(manager)
        try:
            results["response"] = client.post(
                f"/admin/consultations/seats/{seat.pk}/assign/",
                {"end-ends_on": TOO_LATE.isoformat(), "end_term": "1"},
            )
        except Exception as error:
            results["response"] = error
        finally:
            connections.close_all()

    one = threading.Thread(target=hand_over)
    one.start()
    assert first_holds_lock.wait(10)
    two = threading.Thread(target=end_late)
    two.start()
    one.join(20)
    two.join(20)

    assert "hand_over" not in results
    response = results["response"]
    assert not isinstance(response, Exception), response
    assert response.status_code == 200
    [message] = response.context["end_form"].errors["ends_on"]
    assert "Next holder" in message
    first.refresh_from_db()
    assert first.ends_on == HANDOVER
    assert holders_on(seat, datetime.date(2002, 6, 1)) == ["Next holder"]
