"""The demo fora: every level and intermediary structure, the bodies of the story, seats
with their holders' history, two years of meetings, and a few overloaded organizations."""

import datetime
from collections import Counter

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import Count, F, Max, Min, Q
from django.test.utils import CaptureQueriesContext

from consultations.fora.burden import window, with_burden
from consultations.fora.demo import load_fora
from consultations.fora.models import (
    INTERMEDIARY_KINDS,
    Attendance,
    Forum,
    ForumKind,
    ForumLevel,
    Meeting,
    Seat,
    SeatTerm,
)
from organizations.demo import load_organizations
from organizations.models import Organization

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 15)


@pytest.fixture
def fora() -> None:
    organizations = {o.name: o for o in load_organizations()}
    load_fora(organizations, TODAY)


def test_fora_at_every_level_with_the_intermediary_structures(fora):
    assert set(Forum.objects.values_list("level", flat=True)) == set(ForumLevel.values)
    assert set(INTERMEDIARY_KINDS) <= set(Forum.objects.values_list("kind", flat=True))
    assert Forum.objects.filter(
        level=ForumLevel.NATIONAL, kind=ForumKind.GOVERNMENT_TABLE, convenor__kind="government"
    ).exists()
    assert (
        Forum.objects.filter(kind=ForumKind.SECTOR_TABLE)
        .exclude(convenor__kind="government")
        .exists()
    )


def test_the_bodies_of_the_consultation_story_are_fora(fora):
    committee = Forum.objects.get(kind=ForumKind.ADVISORY_COMMITTEE)
    assert committee.name.startswith("Comité aviseur")
    assert committee.active_from.year == 1995

    group = Forum.objects.get(kind=ForumKind.WORKING_GROUP)
    assert (group.active_from, group.active_until) == (
        datetime.date(1998, 3, 1),
        datetime.date(1998, 9, 1),
    )
    assert "six months" in group.description
    # Its members sat from its first day to its last, and met during those six months.
    assert set(SeatTerm.objects.filter(seat__forum=group).values_list("ends_on", flat=True)) == {
        group.active_until
    }
    held = group.meetings.aggregate(first=Min("held_on"), last=Max("held_on"))
    assert group.active_from <= held["first"] <= held["last"] <= group.active_until


def test_seats_mix_support_designations_vacancies_and_history(fora):
    seats = Seat.objects.all()
    assert set(seats.values_list("designation", flat=True)) == {
        "sector",
        "constituency",
        "government",
    }
    assert seats.filter(per_diem__gt=0).exists()
    assert seats.filter(travel_allowance__gt=0).exists()
    assert seats.filter(release_time_hours__gt=0).exists()
    assert seats.filter(per_diem=0, travel_allowance=0, release_time_hours=0).exists()

    active = SeatTerm.objects.active_on(TODAY)
    per_seat = Counter(active.values_list("seat", flat=True))
    assert max(per_seat.values()) == 1  # at most one holder per seat
    live = seats.filter(forum__active_until__isnull=True)
    vacant = live.exclude(pk__in=per_seat)
    assert vacant.filter(terms__isnull=True).exists()  # never filled
    assert vacant.filter(terms__isnull=False).exists()  # its holder left
    # A past holder, and a new one since.
    assert (
        live.annotate(
            past=Count("terms", filter=Q(terms__ends_on__lte=TODAY)),
            now=Count("terms", filter=Q(terms__ends_on__isnull=True)),
        )
        .filter(past__gte=1, now=1)
        .exists()
    )


def test_most_seated_organizations_hold_one_or_two_seats(fora):
    seats = Counter(SeatTerm.objects.active_on(TODAY).values_list("organization", flat=True))
    one_or_two = [n for n in seats.values() if n <= 2]
    assert len(one_or_two) > 0.7 * len(seats)


def test_two_or_three_organizations_are_overloaded_with_the_default_settings(fora):
    rows = list(with_burden(Organization.objects.all(), window(TODAY)))
    overloaded = {o.name: o for o in rows if o.overloaded}

    assert 2 <= len(overloaded) <= 3
    assert all(o.kind == "coalition" for o in overloaded.values())
    # One by the number of its seats, one by its index: both rules show.
    by_seats = [o for o in overloaded.values() if o.active_seats >= 6]
    by_index = [o for o in overloaded.values() if o.burden_index >= 20]
    assert by_seats and by_index
    assert sum(o.active_seats > 0 for o in rows) > 25


def test_two_years_of_meetings_attended_mostly(fora):
    recent = Meeting.objects.filter(forum__active_until__isnull=True)
    span = recent.aggregate(first=Min("held_on"), last=Max("held_on"))
    two_years_ago = TODAY - relativedelta(years=2)
    assert two_years_ago <= span["first"] <= two_years_ago + datetime.timedelta(days=45)
    assert TODAY - datetime.timedelta(days=45) <= span["last"] <= TODAY
    assert set(recent.values_list("mode", flat=True)) == {"in_person", "online"}
    assert not recent.filter(mode="online", travel_hours__gt=0).exists()
    assert recent.filter(mode="in_person", travel_hours__gt=0).exists()

    attendances = Attendance.objects.all()
    assert attendances.count() > 800
    attended = attendances.filter(attended=True).count()
    assert 0.8 < attended / attendances.count() < 0.97
    # Attendance is recorded for the holder of the day, in the meeting's forum.
    assert not attendances.exclude(term__seat__forum=F("meeting__forum")).exists()
    assert not attendances.filter(meeting__held_on__lt=F("term__starts_on")).exists()
    assert not attendances.filter(meeting__held_on__gte=F("term__ends_on")).exists()


def test_loading_twice_changes_nothing_and_takes_few_queries(fora):
    organizations = {o.name: o for o in Organization.objects.all()}
    counts = (Forum.objects.count(), Meeting.objects.count(), Attendance.objects.count())
    with CaptureQueriesContext(connection) as queries:
        load_fora(organizations, TODAY)
    assert len(queries) == 1
    assert (Forum.objects.count(), Meeting.objects.count(), Attendance.objects.count()) == counts
