"""The fora's move into an app of their own keeps every row and every permission.

A database at the previous layout (the fora models in the consultations app, its 0008)
with a forum and its sector, a seat, a seat term, a meeting with an attendance, and a
convenor's editor holding the django-guardian object permission `change_forum` on the
forum, is migrated to the new layout: the rows are read through the fora app's models
(the sectors many-to-many included), the content type is `fora.forum`, and the object
permission still holds.
"""

import datetime
from decimal import Decimal

import pytest

pytestmark = pytest.mark.postgres

PREVIOUS_LAYOUT = [
    ("contenttypes", "0002_remove_content_type_name"),
    ("auth", "0012_alter_user_first_name_max_length"),
    ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
    ("consultations", "0008_public_copies"),
]
NEW_LAYOUT = [
    ("fora", "0001_initial"),
    ("consultations", "0009_fora_move_to_their_own_app"),
]
MOVED_MODELS = {"forum", "seat", "seatterm", "meeting", "attendance"}


def _previous_layout(migrator):
    """The database before the move. The migrator applies everything up to the targets'
    place in the full plan, which may already include the fora app's migration: it is
    unapplied again (consultations 0009 first, as it depends on fora 0001)."""
    migrator.apply_initial_migration(PREVIOUS_LAYOUT)
    return migrator.apply_tested_migration([("fora", None)])


def _fill_previous_layout(apps) -> dict:
    """What a database had before the move, its content types and permissions included
    (the migrator mutes the `post_migrate` signal that would create them)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("auth", "User")
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    Organization = apps.get_model("organizations", "Organization")
    Sector = apps.get_model("organizations", "Sector")
    Forum = apps.get_model("consultations", "Forum")
    Seat = apps.get_model("consultations", "Seat")
    SeatTerm = apps.get_model("consultations", "SeatTerm")
    Meeting = apps.get_model("consultations", "Meeting")
    Attendance = apps.get_model("consultations", "Attendance")

    content_types = {
        model: ContentType.objects.create(app_label="consultations", model=model)
        for model in MOVED_MODELS
    }
    change = Permission.objects.create(
        codename="change_forum", name="Can change forum", content_type=content_types["forum"]
    )
    editor = User.objects.create(username="editor", is_active=True)
    secretariat = Organization.objects.create(
        name="Secretariat", slug="secretariat", kind="government"
    )
    centre = Organization.objects.create(name="Centre", slug="centre", kind="community")
    sector = Sector.objects.create(code="moved-health", name_en="Health", name_fr="Santé")
    forum = Forum.objects.create(
        name="National table",
        slug="national-table",
        level="national",
        kind="government_table",
        convenor=secretariat,
        active_from=datetime.date(2000, 1, 1),
    )
    forum.sectors.add(sector)
    seat = Seat.objects.create(
        forum=forum, label="Health seat", designation="sector", sector=sector
    )
    term = SeatTerm.objects.create(
        seat=seat, organization=centre, delegate="A. Delegate", starts_on=datetime.date(2000, 1, 1)
    )
    meeting = Meeting.objects.create(
        forum=forum,
        held_on=datetime.date(2000, 3, 1),
        duration_hours=Decimal(3),
        mode="in_person",
        travel_hours=Decimal(2),
    )
    Attendance.objects.create(meeting=meeting, term=term, attended=True, confirmed_by=editor)
    UserObjectPermission.objects.create(
        user=editor,
        permission=change,
        content_type=content_types["forum"],
        object_pk=str(forum.pk),
    )
    return {"forum": forum.pk, "editor": editor.pk}


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_the_rows_and_the_object_permission(migrator) -> None:
    old_state = _previous_layout(migrator)
    before = _fill_previous_layout(old_state.apps)

    migrator.apply_tested_migration(NEW_LAYOUT)

    # Read through the project's models: the database is now at the new layout.
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from consultations.fora.models import Attendance, Forum, Meeting, Seat, SeatTerm

    ContentType.objects.clear_cache()
    forum = Forum.objects.get(pk=before["forum"])
    assert (forum.slug, forum.convenor.slug) == ("national-table", "secretariat")
    assert [sector.code for sector in forum.sectors.all()] == ["moved-health"]
    seat = Seat.objects.get(forum=forum)
    assert (seat.label, seat.sector.code) == ("Health seat", "moved-health")
    term = SeatTerm.objects.get(seat=seat)
    assert (term.organization.slug, term.delegate) == ("centre", "A. Delegate")
    meeting = Meeting.objects.get(forum=forum)
    assert (meeting.held_on, meeting.duration_hours) == (datetime.date(2000, 3, 1), Decimal(3))
    attendance = Attendance.objects.get(meeting=meeting)
    assert attendance.term == term
    assert attendance.confirmed_by_id == before["editor"]

    content_type = ContentType.objects.get_for_model(Forum)
    assert (content_type.app_label, content_type.model) == ("fora", "forum")
    assert not ContentType.objects.filter(app_label="consultations", model="forum").exists()
    assert set(ContentType.objects.filter(app_label="fora").values_list("model", flat=True)) == (
        MOVED_MODELS
    )

    editor = get_user_model().objects.get(pk=before["editor"])
    assert editor.has_perm("fora.change_forum", forum)
    change = Permission.objects.get(codename="change_forum")
    assert change.content_type == content_type


@pytest.mark.django_db(transaction=True)
def test_the_move_is_reversible(migrator) -> None:
    """Migrating back puts the content types under "consultations" again."""
    old_state = _previous_layout(migrator)
    _fill_previous_layout(old_state.apps)
    migrator.apply_tested_migration(NEW_LAYOUT)

    # Unapplying fora 0001 unapplies consultations 0009 first: it depends on it.
    back = migrator.apply_tested_migration([("fora", None)])

    ContentType = back.apps.get_model("contenttypes", "ContentType")
    assert (
        set(ContentType.objects.filter(app_label="consultations").values_list("model", flat=True))
        == MOVED_MODELS
    )
    assert not ContentType.objects.filter(app_label="fora").exists()
    Forum = back.apps.get_model("consultations", "Forum")
    forum = Forum.objects.get()
    assert forum.slug == "national-table"
    assert [sector.code for sector in forum.sectors.all()] == ["moved-health"]
