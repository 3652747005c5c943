"""Object-level permissions in the admin: an organization's editors change their own
organization only; secretariat staff change all; the public reads profiles."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from guardian.shortcuts import assign_perm

from organizations.models import (
    AutonomyCriterion,
    Organization,
    OrganizationKind,
    RecognitionStatus,
)
from organizations.services import record_assessment
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def edit_url(organization) -> str:
    return f"/admin/snippets/organizations/organization/edit/{organization.pk}/"


def empty_inline(prefix: str) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": 0,
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def form_data(organization, *, staff: bool = False, **changes) -> dict:
    """The admin edit form as the browser posts it (the autonomy tab is staff-only)."""
    data = {
        "name": organization.name,
        "slug": organization.slug,
        "kind": organization.kind,
        "cooperative_type": organization.cooperative_type,
        "region": organization.region_id,
        "sectors": [sector.pk for sector in organization.sectors.all()],
        "summary_en": organization.summary_en,
        "summary_fr": organization.summary_fr,
        "serves_in_french": "on",
        **empty_inline("memberships"),
        **empty_inline("member_categories"),
    }
    if staff:
        data.update(empty_inline("autonomy_assessments"))
    return {**data, **changes}


def assert_refused(response) -> None:
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard and
    a "you do not have permission" message."""
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@pytest.fixture
def admin_access():
    return Permission.objects.get(codename="access_admin")


@pytest.fixture
def organization_editor(admin_access):
    """A user who edits one organization, through a guardian object permission."""
    editor = UserFactory(username="editor")
    editor.user_permissions.add(admin_access)
    own = OrganizationFactory(name="Our own organization")
    assign_perm("organizations.change_organization", editor, own)
    return editor, own


def test_editor_can_edit_their_own_organization(client, organization_editor):
    editor, own = organization_editor
    client.force_login(editor)

    assert client.get(edit_url(own)).status_code == 200
    response = client.post(edit_url(own), form_data(own, summary_en="Updated by its editor"))

    assert response.status_code == 302
    own.refresh_from_db()
    assert own.summary_en == "Updated by its editor"


def test_editor_is_refused_on_another_organization(client, organization_editor):
    editor, _own = organization_editor
    other = OrganizationFactory(name="Someone else's organization")
    client.force_login(editor)

    assert_refused(client.get(edit_url(other)))
    assert_refused(client.post(edit_url(other), form_data(other, summary_en="Hijacked")))
    other.refresh_from_db()
    assert other.summary_en == ""


def test_editor_lists_only_their_own_organization(client, organization_editor):
    editor, own = organization_editor
    OrganizationFactory(name="Someone else's organization")
    client.force_login(editor)

    response = client.get("/admin/snippets/organizations/organization/")

    assert response.status_code == 200
    assert list(response.context["object_list"]) == [own]


def test_editor_cannot_delete_even_their_own_organization(client, organization_editor):
    editor, own = organization_editor
    client.force_login(editor)

    response = client.post(f"/admin/snippets/organizations/organization/delete/{own.pk}/")

    assert_refused(response)
    own.refresh_from_db()


def test_secretariat_staff_edit_every_organization(client, admin_access):
    staff = UserFactory(username="secretariat")
    group = Group.objects.create(name="Secretariat staff")
    group.permissions.add(admin_access, Permission.objects.get(codename="change_organization"))
    staff.groups.add(group)
    organization = OrganizationFactory()
    client.force_login(staff)

    response = client.post(
        edit_url(organization), form_data(organization, staff=True, summary_en="Checked")
    )

    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.summary_en == "Checked"


def test_a_user_without_any_permission_is_refused(client, admin_access):
    user = UserFactory(username="visitor")
    user.user_permissions.add(admin_access)
    organization = OrganizationFactory()
    client.force_login(user)

    assert_refused(client.get(edit_url(organization)))


def test_the_public_reads_profiles_but_not_the_admin(client):
    organization = OrganizationFactory(name="Centre communautaire")

    assert client.get(organization.get_absolute_url()).status_code == 200
    response = client.get(edit_url(organization))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_editor_records_their_coalition_memberships_and_member_categories(
    client, organization_editor
):
    editor, own = organization_editor
    own.kind, own.cooperative_type = OrganizationKind.COOPERATIVE, "solidarity"
    own.save()
    coalition = OrganizationFactory(name="Table régionale", kind=OrganizationKind.COALITION)
    client.force_login(editor)

    data = form_data(own)
    data.update(
        {
            "memberships-TOTAL_FORMS": 1,
            "memberships-0-coalition": coalition.pk,
            "memberships-0-role": "board_member",
            "memberships-0-start_date": "2019-09-01",
            "memberships-0-end_date": "",
            "member_categories-TOTAL_FORMS": 1,
            "member_categories-0-category": "worker",
            "member_categories-0-count": 12,
        }
    )
    response = client.post(edit_url(own), data)

    assert response.status_code == 302
    [membership] = own.memberships.all()
    assert (membership.coalition, membership.role) == (coalition, "board_member")
    assert [(c.category, c.count) for c in own.member_categories.all()] == [("worker", 12)]


def test_editor_cannot_record_autonomy_assessments(client, organization_editor):
    editor, own = organization_editor
    client.force_login(editor)
    criterion = AutonomyCriterion.objects.first()

    page = client.get(edit_url(own)).content.decode()
    data = form_data(own)
    data.update(
        {
            "autonomy_assessments-TOTAL_FORMS": 1,
            "autonomy_assessments-INITIAL_FORMS": 0,
            "autonomy_assessments-0-criterion": criterion.pk,
            "autonomy_assessments-0-outcome": "met",
            "autonomy_assessments-0-assessed_on": "2024-01-10",
        }
    )
    response = client.post(edit_url(own), data)

    assert "autonomy_assessments" not in page
    assert response.status_code == 302
    assert not own.autonomy_assessments.exists()


def test_staff_record_autonomy_assessments_and_the_status_follows(client, admin_access):
    staff = UserFactory(username="assessor")
    staff.user_permissions.add(
        admin_access,
        Permission.objects.get(codename="change_organization"),
        Permission.objects.get(codename="change_autonomyassessment"),
    )
    organization = OrganizationFactory()
    criterion = AutonomyCriterion.objects.get(code="independent-board")
    client.force_login(staff)

    data = form_data(organization, staff=True)
    data.update(
        {
            "autonomy_assessments-TOTAL_FORMS": 1,
            "autonomy_assessments-0-criterion": criterion.pk,
            "autonomy_assessments-0-outcome": "not_met",
            "autonomy_assessments-0-evidence": "Board appointed by the regional agency.",
            "autonomy_assessments-0-assessed_on": "2024-01-10",
        }
    )
    response = client.post(edit_url(organization), data)

    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.recognition_status == RecognitionStatus.NOT_RECOGNIZED


def test_editor_cannot_add_organizations(client, organization_editor):
    editor, _own = organization_editor
    client.force_login(editor)

    response = client.get("/admin/snippets/organizations/organization/add/")

    assert_refused(response)


def test_catalogue_listing_offers_a_filter_for_every_taxonomy(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)

    response = client.get("/admin/snippets/organizations/organization/")

    assert response.status_code == 200
    filters = set(response.context["filters"].form.fields)
    assert {
        "kind",
        "region",
        "regions_served",
        "sectors",
        "constituencies",
        "fields_of_activity",
        "recognition_status",
    } <= filters


def test_an_organization_cannot_join_itself_and_gets_a_clear_error(client, admin_access):
    staff = UserFactory(username="staff-self")
    staff.user_permissions.add(admin_access, Permission.objects.get(codename="change_organization"))
    coalition = OrganizationFactory(name="Coalition X", kind=OrganizationKind.COALITION)
    client.force_login(staff)

    data = form_data(coalition)
    data.update(
        {
            "memberships-TOTAL_FORMS": 1,
            "memberships-0-coalition": coalition.pk,
            "memberships-0-role": "member",
        }
    )
    response = client.post(edit_url(coalition), data)

    assert response.status_code == 200
    assert "cannot be a member of itself" in response.content.decode()
    assert not coalition.memberships.exists()


@pytest.fixture
def assessor(admin_access):
    staff = UserFactory(username="assessor")
    staff.user_permissions.add(
        admin_access,
        Permission.objects.get(codename="change_organization"),
        Permission.objects.get(codename="change_autonomyassessment"),
    )
    return staff


def assessment_rows(*rows, initial: int = 0) -> dict:
    data = {
        "autonomy_assessments-TOTAL_FORMS": len(rows),
        "autonomy_assessments-INITIAL_FORMS": initial,
    }
    for index, row in enumerate(rows):
        data.update({f"autonomy_assessments-{index}-{key}": value for key, value in row.items()})
    return data


def test_the_assessor_is_whoever_records_the_assessment(client, assessor):
    organization = OrganizationFactory()
    criterion = AutonomyCriterion.objects.get(code="rooted")
    client.force_login(assessor)

    data = form_data(organization, staff=True)
    data.update(
        assessment_rows({"criterion": criterion.pk, "outcome": "met", "assessed_on": "2024-02-01"})
    )
    client.post(edit_url(organization), data)

    [assessment] = organization.autonomy_assessments.all()
    assert assessment.assessor == assessor


def test_a_recorded_assessment_cannot_be_rewritten_in_the_admin(client, assessor):
    organization = OrganizationFactory()
    criterion = AutonomyCriterion.objects.get(code="rooted")
    recorded = record_assessment(
        organization, criterion, "not_met", assessed_on=datetime.date(2023, 1, 1)
    )
    client.force_login(assessor)

    data = form_data(organization, staff=True)
    data.update(
        assessment_rows(
            {
                "id": recorded.pk,
                "criterion": criterion.pk,
                "outcome": "met",
                "assessed_on": "2023-01-01",
            },
            initial=1,
        )
    )
    response = client.post(edit_url(organization), data)

    assert response.status_code == 200
    assert "cannot be changed or removed" in response.content.decode()
    recorded.refresh_from_db()
    assert recorded.outcome == "not_met"


def test_editor_sees_the_history_of_their_own_organization_only(client, organization_editor):
    editor, own = organization_editor
    other = OrganizationFactory(name="Another organization")
    client.force_login(editor)

    base = "/admin/snippets/organizations/organization"
    assert client.get(f"{base}/history/{own.pk}/").status_code == 200
    assert_refused(client.get(f"{base}/history/{other.pk}/"))
    assert client.get(f"{base}/usage/{own.pk}/").status_code == 200
    assert_refused(client.get(f"{base}/usage/{other.pk}/"))


@pytest.mark.parametrize(
    "screen", ["serviceagreement", "region", "sector", "constituency", "autonomycriterion"]
)
def test_editor_cannot_reach_the_secretariat_screens(client, organization_editor, screen):
    editor, _own = organization_editor
    client.force_login(editor)

    assert_refused(client.get(f"/admin/snippets/organizations/{screen}/"))


@pytest.mark.parametrize(
    "screen", ["serviceagreement", "region", "sector", "constituency", "autonomycriterion"]
)
def test_secretariat_staff_reach_the_screens_they_are_given(client, admin_access, screen):
    staff = UserFactory(username=f"staff-{screen}")
    staff.user_permissions.add(admin_access, Permission.objects.get(codename=f"change_{screen}"))
    client.force_login(staff)

    assert client.get(f"/admin/snippets/organizations/{screen}/").status_code == 200


def test_secretariat_staff_with_delete_permission_delete_an_organization(client, admin_access):
    staff = UserFactory(username="deleter")
    staff.user_permissions.add(
        admin_access,
        Permission.objects.get(codename="change_organization"),
        Permission.objects.get(codename="delete_organization"),
    )
    organization = OrganizationFactory()
    client.force_login(staff)

    response = client.post(f"/admin/snippets/organizations/organization/delete/{organization.pk}/")

    assert response.status_code == 302
    assert not Organization.objects.filter(pk=organization.pk).exists()


def test_deleting_an_organization_removes_its_object_permissions(organization_editor):
    """Grants on an organization live in its own table (a foreign key, cascading), not
    in guardian's generic one."""
    from guardian.models import UserObjectPermission

    from organizations.models import OrganizationUserObjectPermission

    editor, own = organization_editor
    assert OrganizationUserObjectPermission.objects.filter(user=editor).exists()
    assert not UserObjectPermission.objects.filter(user=editor).exists()

    own.delete()

    assert not OrganizationUserObjectPermission.objects.filter(user=editor).exists()


def test_member_categories_are_refused_for_other_kinds(client, organization_editor):
    editor, own = organization_editor
    client.force_login(editor)

    data = form_data(own)
    data.update(
        {
            "member_categories-TOTAL_FORMS": 1,
            "member_categories-0-category": "worker",
            "member_categories-0-count": 3,
        }
    )
    response = client.post(edit_url(own), data)

    assert response.status_code == 200
    assert "solidarity (multi-stakeholder) co-operatives" in response.content.decode()
    assert not own.member_categories.exists()


def test_granting_and_revoking_an_editor(client):
    from django.core.management import call_command

    user = UserFactory(username="newcomer")
    organization = OrganizationFactory(slug="centre-x")
    client.force_login(user)
    assert client.get(edit_url(organization))["Location"].startswith("/admin/login/")

    call_command("roles", "grant", "organization-editor", "newcomer", "centre-x")
    assert client.get(edit_url(organization)).status_code == 200

    call_command("roles", "revoke", "organization-editor", "newcomer", "centre-x")
    assert_refused(client.get(edit_url(organization)))


def test_editor_command_names_the_bad_argument():
    from django.core.management import call_command
    from django.core.management.base import CommandError

    OrganizationFactory(slug="centre-y")
    with pytest.raises(CommandError, match="object: no organization"):
        call_command("roles", "grant", "organization-editor", "someone", "no-such-slug")
    with pytest.raises(CommandError, match="user"):
        call_command("roles", "grant", "organization-editor", "nobody", "centre-y")
