"""Fora in the admin: whoever convenes a forum manages it — its seats, their holders and
its meetings — and an organization's editors speak for it on the seats it holds. Each
rule has an allow and a deny test, through the real admin URLs."""

import datetime
import html

import pytest
from django.contrib.auth.models import Group, Permission

from consultations.fora.models import Attendance, Forum, Meeting, Seat, SeatTerm
from consultations.fora.permissions import managed_fora, manages_forum, represents
from consultations.fora.services import assign_seat
from organizations.models import OrganizationKind
from organizations.permissions import grant_editor
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2020, 1, 1)

FORA = "/admin/snippets/consultations/forum/"
SEATS = "/admin/snippets/consultations/seat/"
MEETINGS = "/admin/snippets/consultations/meeting/"
OUR_SEATS = "/admin/consultations/our-seats/"


def assign_url(seat: Seat) -> str:
    return f"/admin/consultations/seats/{seat.pk}/assign/"


def term_url(term: SeatTerm) -> str:
    return f"{OUR_SEATS}{term.pk}/"


def assert_refused(response) -> None:
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard."""
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def make_forum(convenor, name: str) -> Forum:
    return Forum.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        level="regional",
        kind="sector_table",
        convenor=convenor,
        active_from=datetime.date(2000, 1, 1),
    )


def make_seat(forum: Forum, label: str = "Community seat") -> Seat:
    return Seat.objects.create(forum=forum, label=label, designation="government")


def forum_form(forum: Forum, **changes) -> dict:
    return {
        "name": forum.name,
        "slug": forum.slug,
        "level": forum.level,
        "kind": forum.kind,
        "convenor": forum.convenor_id,
        "region": "",
        "active_from": forum.active_from.isoformat(),
        "active_until": "",
        "description": forum.description,
        **changes,
    }


def seat_form(forum: Forum, **changes) -> dict:
    return {
        "forum": forum.pk,
        "label": "Community seat",
        "designation": "government",
        "sector": "",
        "constituency": "",
        "per_diem": "0",
        "travel_allowance": "0",
        "release_time_hours": "0",
        **changes,
    }


def meeting_form(forum: Forum, **changes) -> dict:
    return {
        "forum": forum.pk,
        "held_on": "2021-03-01",
        "duration_hours": "3",
        "mode": "online",
        "travel_hours": "0",
        **changes,
    }


@pytest.fixture
def admin_access():
    return Permission.objects.get(codename="access_admin")


@pytest.fixture
def secretariat():
    return OrganizationFactory(
        name="Secretariat of community action", kind=OrganizationKind.COMMUNITY
    )


@pytest.fixture
def coalition():
    return OrganizationFactory(name="Regional coalition", kind=OrganizationKind.COALITION)


@pytest.fixture
def secretariat_staff(admin_access, secretariat):
    """Staff who correct every profile (the model permission) and edit the secretariat's
    own organization (the object permission)."""
    staff = UserFactory(username="secretariat-staff")
    group = Group.objects.create(name="Secretariat staff")
    group.permissions.add(admin_access, Permission.objects.get(codename="change_organization"))
    staff.groups.add(group)
    grant_editor(staff, secretariat)
    return staff


@pytest.fixture
def coalition_editor(coalition):
    editor = UserFactory(username="coalition-editor")
    grant_editor(editor, coalition)
    return editor


@pytest.fixture
def secretariat_forum(secretariat):
    return make_forum(secretariat, "National table")


@pytest.fixture
def coalition_forum(coalition):
    return make_forum(coalition, "Coalition table")


# --- Managing a forum -----------------------------------------------------------------


def test_secretariat_staff_manage_a_forum_the_secretariat_convenes(
    client, secretariat_staff, secretariat_forum
):
    client.force_login(secretariat_staff)
    edit = f"{FORA}edit/{secretariat_forum.pk}/"

    assert client.get(edit).status_code == 200
    response = client.post(edit, forum_form(secretariat_forum, name="National table (renewed)"))

    assert response.status_code == 302
    secretariat_forum.refresh_from_db()
    assert secretariat_forum.name == "National table (renewed)"


def test_secretariat_staff_cannot_edit_or_delete_a_forum_a_coalition_convenes(
    client, secretariat_staff, coalition_forum
):
    client.force_login(secretariat_staff)

    assert_refused(client.get(f"{FORA}edit/{coalition_forum.pk}/"))
    assert_refused(
        client.post(f"{FORA}edit/{coalition_forum.pk}/", forum_form(coalition_forum, name="Taken"))
    )
    assert_refused(client.post(f"{FORA}delete/{coalition_forum.pk}/"))
    coalition_forum.refresh_from_db()
    assert coalition_forum.name == "Coalition table"


def test_coalition_editors_manage_the_forum_their_coalition_convenes(
    client, coalition_editor, coalition_forum
):
    client.force_login(coalition_editor)
    edit = f"{FORA}edit/{coalition_forum.pk}/"

    assert client.get(edit).status_code == 200
    response = client.post(edit, forum_form(coalition_forum, description="Meets monthly"))

    assert response.status_code == 302
    coalition_forum.refresh_from_db()
    assert coalition_forum.description == "Meets monthly"


def test_coalition_editors_cannot_edit_the_secretariats_forum(
    client, coalition_editor, secretariat_forum
):
    client.force_login(coalition_editor)

    assert_refused(client.get(f"{FORA}edit/{secretariat_forum.pk}/"))
    assert_refused(
        client.post(f"{FORA}edit/{secretariat_forum.pk}/", forum_form(secretariat_forum, name="X"))
    )
    secretariat_forum.refresh_from_db()
    assert secretariat_forum.name == "National table"


def test_each_manager_lists_only_the_fora_they_manage(
    client, secretariat_staff, coalition_editor, secretariat_forum, coalition_forum
):
    client.force_login(coalition_editor)
    assert list(client.get(FORA).context["object_list"]) == [coalition_forum]

    client.force_login(secretariat_staff)
    assert list(client.get(FORA).context["object_list"]) == [secretariat_forum]


def test_the_listings_filter_what_the_manager_manages(
    client, coalition_editor, coalition_forum, secretariat_forum
):
    Meeting.objects.create(forum=secretariat_forum, held_on=START, duration_hours=2, mode="online")
    ours = Meeting.objects.create(
        forum=coalition_forum, held_on=START, duration_hours=2, mode="online"
    )
    client.force_login(coalition_editor)

    assert list(client.get(FORA, {"level": "regional"}).context["object_list"]) == [coalition_forum]
    assert list(client.get(FORA, {"level": "local"}).context["object_list"]) == []
    meetings = client.get(
        MEETINGS, {"forum": coalition_forum.pk, "held_on_after": "2019-01-01", "mode": "online"}
    )
    assert list(meetings.context["object_list"]) == [ours]


def test_the_policy_names_the_managers_of_a_forum(
    secretariat_staff, coalition_editor, secretariat_forum, coalition_forum
):
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(Seat)
    seat = make_seat(coalition_forum)

    assert set(policy.users_with_permission_for_instance("change", seat)) == {coalition_editor}
    assert {secretariat_staff, coalition_editor} <= set(policy.users_with_permission("change"))


def test_the_global_change_organization_permission_alone_manages_no_forum(
    client, admin_access, secretariat_forum
):
    """Correcting every profile is not convening every table."""
    staff = UserFactory(username="profile-staff")
    group = Group.objects.create(name="Profile staff")
    group.permissions.add(admin_access, Permission.objects.get(codename="change_organization"))
    staff.groups.add(group)
    client.force_login(staff)

    assert not manages_forum(staff, secretariat_forum)
    assert not managed_fora(staff).exists()
    assert_refused(client.get(FORA))
    assert_refused(client.get(f"{FORA}edit/{secretariat_forum.pk}/"))
    assert_refused(client.get(f"{FORA}add/"))


def test_the_model_permission_change_forum_manages_every_forum(
    client, admin_access, secretariat_forum, coalition_forum
):
    staff = UserFactory(username="fora-staff")
    group = Group.objects.create(name="Fora staff")
    group.permissions.add(admin_access, Permission.objects.get(codename="change_forum"))
    staff.groups.add(group)
    client.force_login(staff)

    assert set(client.get(FORA).context["object_list"]) == {secretariat_forum, coalition_forum}
    response = client.post(
        f"{FORA}edit/{coalition_forum.pk}/", forum_form(coalition_forum, description="Checked")
    )
    assert response.status_code == 302
    coalition_forum.refresh_from_db()
    assert coalition_forum.description == "Checked"


def test_an_organization_editor_adds_a_forum_their_organization_convenes(
    client, coalition_editor, coalition
):
    client.force_login(coalition_editor)
    draft = Forum(
        name="New working group",
        slug="new-working-group",
        level="local",
        kind="working_group",
        convenor=coalition,
        active_from=START,
    )

    response = client.post(f"{FORA}add/", forum_form(draft))

    assert response.status_code == 302
    forum = Forum.objects.get(slug="new-working-group")
    assert forum.convenor == coalition
    assert manages_forum(coalition_editor, forum)


def test_an_organization_editor_cannot_add_a_forum_convened_by_another(
    client, coalition_editor, secretariat
):
    client.force_login(coalition_editor)
    draft = Forum(
        name="Someone else's table",
        slug="someone-elses-table",
        level="local",
        kind="working_group",
        convenor=secretariat,
        active_from=START,
    )

    response = client.post(f"{FORA}add/", forum_form(draft))

    assert response.status_code == 200
    assert "convenor" in response.context["form"].errors
    assert not Forum.objects.filter(slug="someone-elses-table").exists()


# --- Seats and meetings ---------------------------------------------------------------


def test_a_manager_adds_and_edits_seats_of_their_forum(client, coalition_editor, coalition_forum):
    client.force_login(coalition_editor)

    response = client.post(f"{SEATS}add/", seat_form(coalition_forum, label="Housing seat"))

    assert response.status_code == 302
    seat = Seat.objects.get(label="Housing seat")
    assert seat.forum == coalition_forum
    page = client.get(f"{SEATS}edit/{seat.pk}/")
    assert page.status_code == 200
    assert assign_url(seat) in page.content.decode()
    assert assign_url(seat) in client.get(SEATS).content.decode()


def test_a_manager_cannot_add_a_seat_to_or_edit_a_seat_of_another_forum(
    client, coalition_editor, secretariat_forum, coalition_forum
):
    client.force_login(coalition_editor)
    seat = make_seat(secretariat_forum)

    response = client.post(f"{SEATS}add/", seat_form(secretariat_forum, label="Sneaked in"))
    assert response.status_code == 200
    assert "forum" in response.context["form"].errors
    assert not Seat.objects.filter(label="Sneaked in").exists()

    assert_refused(client.get(f"{SEATS}edit/{seat.pk}/"))
    assert_refused(client.post(f"{SEATS}delete/{seat.pk}/"))
    assert Seat.objects.filter(pk=seat.pk).exists()
    assert list(client.get(SEATS).context["object_list"]) == []


def test_a_manager_records_meetings_of_their_forum(client, coalition_editor, coalition_forum):
    client.force_login(coalition_editor)

    response = client.post(f"{MEETINGS}add/", meeting_form(coalition_forum))

    assert response.status_code == 302
    meeting = Meeting.objects.get(forum=coalition_forum)
    response = client.post(
        f"{MEETINGS}edit/{meeting.pk}/", meeting_form(coalition_forum, duration_hours="4")
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.duration_hours == 4


def test_a_manager_cannot_touch_meetings_of_another_forum(
    client, coalition_editor, secretariat_forum, coalition_forum
):
    client.force_login(coalition_editor)
    meeting = Meeting.objects.create(
        forum=secretariat_forum, held_on=START, duration_hours=2, mode="online"
    )

    response = client.post(f"{MEETINGS}add/", meeting_form(secretariat_forum))
    assert response.status_code == 200
    assert "forum" in response.context["form"].errors
    assert Meeting.objects.filter(forum=secretariat_forum).count() == 1

    assert_refused(client.get(f"{MEETINGS}edit/{meeting.pk}/"))
    assert_refused(
        client.post(
            f"{MEETINGS}edit/{meeting.pk}/", meeting_form(secretariat_forum, duration_hours="9")
        )
    )
    assert_refused(client.post(f"{MEETINGS}delete/{meeting.pk}/"))
    meeting.refresh_from_db()
    assert meeting.duration_hours == 2


# --- Assigning a holder ---------------------------------------------------------------


def assign_data(organization, starts_on: str = "2021-01-01", **changes) -> dict:
    return {
        "assign-organization": organization.pk,
        "assign-delegate": "",
        "assign-starts_on": starts_on,
        "assign-ends_on": "",
        "assign": "1",
        **changes,
    }


def test_a_forum_manager_assigns_a_holder(client, secretariat_staff, secretariat_forum):
    seat = make_seat(secretariat_forum)
    holder = OrganizationFactory(name="Food bank")
    client.force_login(secretariat_staff)

    form = client.get(assign_url(seat))
    assert form.status_code == 200
    # Whom the seat is for, in words (not "designated for Government").
    assert "designated for the government." in " ".join(form.content.decode().split())
    response = client.post(
        assign_url(seat), assign_data(holder, **{"assign-delegate": "Marie Gagnon"})
    )

    assert response.status_code == 302
    [term] = SeatTerm.objects.filter(seat=seat)
    assert (term.organization, term.delegate, term.starts_on) == (
        holder,
        "Marie Gagnon",
        datetime.date(2021, 1, 1),
    )
    # The confirmation writes the day as the language does, never 2021-01-01.
    followed = client.get(response["Location"]).content.decode()
    assert "Food bank holds “Community seat” from Jan. 1, 2021." in html.unescape(followed)


def test_someone_who_does_not_manage_the_forum_cannot_assign_its_seats(
    client, coalition_editor, secretariat_forum
):
    """Neither another forum's manager nor the organization that would hold the seat."""
    seat = make_seat(secretariat_forum)
    client.force_login(coalition_editor)

    assert_refused(client.get(assign_url(seat)))
    assert_refused(client.post(assign_url(seat), assign_data(OrganizationFactory())))
    assert not SeatTerm.objects.filter(seat=seat).exists()


def test_assigning_a_taken_seat_names_the_holder_and_stores_nothing(
    client, secretariat_staff, secretariat_forum
):
    """What the second of two managers assigning the last vacant seat at once sees: the
    service locks the seat (its two-connection test is in test_seating.py)."""
    seat = make_seat(secretariat_forum, "Last vacant seat")
    assign_seat(seat, OrganizationFactory(name="First come organization"), starts_on=START)
    client.force_login(secretariat_staff)

    response = client.post(assign_url(seat), assign_data(OrganizationFactory(name="Latecomer")))

    assert response.status_code == 200
    form = response.context["assign_form"]
    [error] = form.non_field_errors()
    assert "already held by First come organization" in error
    assert "already held by First come organization" in response.content.decode()
    assert SeatTerm.objects.filter(seat=seat).count() == 1


def test_a_term_ending_before_it_starts_is_shown_on_its_field(
    client, secretariat_staff, secretariat_forum
):
    seat = make_seat(secretariat_forum)
    client.force_login(secretariat_staff)

    response = client.post(
        assign_url(seat), assign_data(OrganizationFactory(), **{"assign-ends_on": "2021-01-01"})
    )

    assert response.status_code == 200
    assert "ends_on" in response.context["assign_form"].errors
    assert not SeatTerm.objects.filter(seat=seat).exists()


def test_a_forum_manager_ends_the_current_term(client, coalition_editor, coalition_forum):
    seat = make_seat(coalition_forum)
    term = assign_seat(seat, OrganizationFactory(), starts_on=START)
    client.force_login(coalition_editor)

    response = client.post(assign_url(seat), {"end-ends_on": "2022-01-01", "end_term": "1"})

    assert response.status_code == 302
    term.refresh_from_db()
    assert term.ends_on == datetime.date(2022, 1, 1)


def test_someone_who_does_not_manage_the_forum_cannot_end_a_term(
    client, coalition_editor, secretariat_forum
):
    seat = make_seat(secretariat_forum)
    term = assign_seat(seat, OrganizationFactory(), starts_on=START)
    client.force_login(coalition_editor)

    assert_refused(client.post(assign_url(seat), {"end-ends_on": "2022-01-01", "end_term": "1"}))
    term.refresh_from_db()
    assert term.ends_on is None


# --- Our seats: the holders' editors --------------------------------------------------


@pytest.fixture
def holder():
    return OrganizationFactory(name="Neighbourhood centre")


@pytest.fixture
def holder_editor(holder):
    editor = UserFactory(username="holder-editor")
    grant_editor(editor, holder)
    return editor


@pytest.fixture
def held_term(secretariat_forum, holder):
    return assign_seat(make_seat(secretariat_forum), holder, starts_on=START)


@pytest.fixture
def others_term(coalition_forum):
    return assign_seat(
        make_seat(coalition_forum, "Other seat"),
        OrganizationFactory(name="Another organization"),
        starts_on=START,
        delegate="Their delegate",
    )


def test_an_organization_editor_lists_their_seats_active_and_past(
    client, holder_editor, holder, held_term, others_term, coalition_forum
):
    past = assign_seat(
        make_seat(coalition_forum, "Former seat"),
        holder,
        starts_on=datetime.date(2010, 1, 1),
        ends_on=datetime.date(2012, 1, 1),
    )
    client.force_login(holder_editor)

    response = client.get(OUR_SEATS)

    assert response.status_code == 200
    listed = {term for term, _active in response.context["rows"]}
    assert listed == {held_term, past}
    assert OUR_SEATS in client.get("/admin/").content.decode()


def test_our_seats_is_refused_to_someone_who_edits_no_organization(client, admin_access):
    user = UserFactory(username="no-organization")
    user.user_permissions.add(admin_access)
    client.force_login(user)

    assert_refused(client.get(OUR_SEATS))
    assert OUR_SEATS not in client.get("/admin/").content.decode()


def test_an_organization_editor_names_their_delegate(client, holder_editor, held_term):
    client.force_login(holder_editor)

    assert client.get(term_url(held_term)).status_code == 200
    response = client.post(
        term_url(held_term), {"delegate-delegate": " Jeanne Roy ", "name_delegate": "1"}
    )

    assert response.status_code == 302
    held_term.refresh_from_db()
    assert held_term.delegate == "Jeanne Roy"
    assert represents(holder_editor, held_term)


def test_an_organization_editor_cannot_name_another_organizations_delegate(
    client, holder_editor, others_term
):
    client.force_login(holder_editor)

    assert client.get(term_url(others_term)).status_code == 404
    response = client.post(
        term_url(others_term), {"delegate-delegate": "Impostor", "name_delegate": "1"}
    )

    assert response.status_code == 404
    others_term.refresh_from_db()
    assert others_term.delegate == "Their delegate"
    assert not represents(holder_editor, others_term)


def test_the_forums_managers_do_not_speak_for_the_holder(client, secretariat_staff, held_term):
    """Managing the forum is not representing the organization in the seat."""
    client.force_login(secretariat_staff)

    response = client.post(
        term_url(held_term), {"delegate-delegate": "Chosen by staff", "name_delegate": "1"}
    )

    assert response.status_code == 404
    held_term.refresh_from_db()
    assert held_term.delegate == ""


def test_an_organization_editor_confirms_attendance_during_their_term(
    client, holder_editor, held_term, secretariat_forum
):
    before = Meeting.objects.create(
        forum=secretariat_forum, held_on=datetime.date(2019, 6, 1), duration_hours=2, mode="online"
    )
    attended = Meeting.objects.create(
        forum=secretariat_forum, held_on=datetime.date(2021, 3, 1), duration_hours=3, mode="online"
    )
    missed = Meeting.objects.create(
        forum=secretariat_forum, held_on=datetime.date(2021, 4, 1), duration_hours=3, mode="online"
    )
    client.force_login(holder_editor)

    page = client.get(term_url(held_term))
    offered = set(page.context["attendance_form"].meetings.values())
    assert offered == {attended, missed}
    response = client.post(
        term_url(held_term),
        {
            f"attendance-meeting_{attended.pk}": "yes",
            f"attendance-meeting_{missed.pk}": "no",
            "confirm_attendance": "1",
        },
    )

    assert response.status_code == 302
    recorded = dict(Attendance.objects.filter(term=held_term).values_list("meeting", "attended"))
    assert recorded == {attended.pk: True, missed.pk: False}
    assert Attendance.objects.get(meeting=attended).confirmed_by == holder_editor
    assert not Attendance.objects.filter(meeting=before).exists()


def test_an_organization_editor_cannot_confirm_attendance_for_another_organization(
    client, holder_editor, others_term, coalition_forum
):
    meeting = Meeting.objects.create(
        forum=coalition_forum, held_on=datetime.date(2021, 3, 1), duration_hours=3, mode="online"
    )
    client.force_login(holder_editor)

    response = client.post(
        term_url(others_term),
        {f"attendance-meeting_{meeting.pk}": "no", "confirm_attendance": "1"},
    )

    assert response.status_code == 404
    assert not Attendance.objects.exists()
