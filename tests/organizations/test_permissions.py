"""Object-level permissions in the admin: an organization's editors change their own
organization only; secretariat staff change all; the public reads profiles."""

import pytest
from django.contrib.auth.models import Group, Permission
from guardian.shortcuts import assign_perm

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
