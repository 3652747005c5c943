"""The permission filter at scale: `organizations_edited_by` and the admin's listing of
organizations read grants from the organizations' own grant tables (a foreign key, not
guardian's generic text `object_pk`) in one query, and never let through an
organization the user holds no object permission on — not another user's grant, not a
group they left, not another permission, not the model permission, not when inactive.
"""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.contrib.contenttypes.models import ContentType
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from organizations.models import (
    Organization,
    OrganizationGroupObjectPermission,
    OrganizationUserObjectPermission,
)
from organizations.permissions import (
    EDIT_ORGANIZATION,
    editors_of,
    grant_editor,
    organizations_edited_by,
    revoke_editor,
)
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

LISTING = "/admin/snippets/organizations/organization/"


@pytest.fixture
def catalogue():
    """Twelve organizations: the editor's three are neither first nor last by name."""
    return [OrganizationFactory(name=f"Organisme {n:02d}") for n in range(12)]


@pytest.fixture
def editor(catalogue):
    user = UserFactory(username="editor")
    for organization in (catalogue[3], catalogue[7], catalogue[10]):
        grant_editor(user, organization)
    return user


def edited(user) -> list[str]:
    return [organization.name for organization in organizations_edited_by(user)]


def test_grant_editor_writes_a_foreign_key_row(editor, catalogue) -> None:
    from guardian.models import UserObjectPermission

    rows = OrganizationUserObjectPermission.objects.filter(user=editor)
    assert sorted(rows.values_list("content_object__name", flat=True)) == [
        "Organisme 03",
        "Organisme 07",
        "Organisme 10",
    ]
    assert not UserObjectPermission.objects.exists()
    assert editors_of(catalogue[7]) == [editor]


def test_an_editor_gets_their_organizations_in_name_order_in_one_query(
    editor, django_assert_num_queries
) -> None:
    ContentType.objects.get_for_model(Organization)  # the per-process cache, as in a server
    with django_assert_num_queries(1):
        assert edited(editor) == ["Organisme 03", "Organisme 07", "Organisme 10"]


def test_the_filter_matches_guardian(editor, catalogue) -> None:
    """The same answer as guardian's own `get_objects_for_user` on the same grants."""
    member = UserFactory(username="member")
    group = Group.objects.create(name="Regional staff")
    member.groups.add(group)
    assign_perm(EDIT_ORGANIZATION, group, catalogue[5])
    for user in (editor, member):
        assert set(organizations_edited_by(user)) == set(
            get_objects_for_user(user, EDIT_ORGANIZATION, Organization, accept_global_perms=False)
        )


def test_another_users_grants_do_not_leak(editor, catalogue) -> None:
    other = UserFactory(username="other")
    grant_editor(other, catalogue[0])
    assert edited(other) == ["Organisme 00"]
    assert "Organisme 00" not in edited(editor)


def test_a_groups_grant_counts_while_the_user_is_in_the_group(catalogue) -> None:
    member = UserFactory(username="member")
    group = Group.objects.create(name="Regional staff")
    assign_perm(EDIT_ORGANIZATION, group, catalogue[5])
    assert OrganizationGroupObjectPermission.objects.filter(group=group).count() == 1
    assert edited(member) == []

    member.groups.add(group)
    assert edited(member) == ["Organisme 05"]

    member.groups.remove(group)
    assert edited(member) == []


def test_a_user_in_a_group_and_granted_directly_sees_each_organization_once(
    editor, catalogue
) -> None:
    group = Group.objects.create(name="Regional staff")
    editor.groups.add(group)
    assign_perm(EDIT_ORGANIZATION, group, catalogue[3])
    assign_perm(EDIT_ORGANIZATION, group, catalogue[4])
    assert edited(editor) == ["Organisme 03", "Organisme 04", "Organisme 07", "Organisme 10"]


def test_another_permission_on_the_organization_does_not_count(catalogue) -> None:
    viewer = UserFactory(username="viewer")
    assign_perm("organizations.view_organization", viewer, catalogue[2])
    assign_perm("organizations.delete_organization", viewer, catalogue[2])
    assert edited(viewer) == []


def test_the_model_permission_does_not_count(catalogue) -> None:
    staff = UserFactory(username="staff")
    staff.user_permissions.add(Permission.objects.get(codename="change_organization"))
    assert edited(staff) == []


def test_an_inactive_or_anonymous_user_edits_nothing(editor) -> None:
    editor.is_active = False
    editor.save()
    assert edited(editor) == []
    assert edited(AnonymousUser()) == []


def test_revoking_removes_the_organization_at_once(editor, catalogue) -> None:
    revoke_editor(editor, catalogue[7])
    assert edited(editor) == ["Organisme 03", "Organisme 10"]
    remove_perm(EDIT_ORGANIZATION, editor, catalogue[3])
    assert edited(editor) == ["Organisme 10"]


def test_a_superuser_edits_every_organization(catalogue) -> None:
    root = UserFactory(username="root", is_superuser=True)
    assert len(edited(root)) == len(catalogue)


def test_the_admin_listing_shows_the_editors_organizations_only(client, editor) -> None:
    client.force_login(editor)
    response = client.get(LISTING)
    assert response.status_code == 200
    assert [o.name for o in response.context["object_list"]] == [
        "Organisme 03",
        "Organisme 07",
        "Organisme 10",
    ]


def test_the_admin_listing_follows_a_groups_grant(client, catalogue) -> None:
    member = UserFactory(username="member")
    member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    group = Group.objects.create(name="Regional staff")
    member.groups.add(group)
    assign_perm(EDIT_ORGANIZATION, group, catalogue[5])
    client.force_login(member)
    response = client.get(LISTING)
    assert [o.name for o in response.context["object_list"]] == ["Organisme 05"]
    assert client.get(f"{LISTING}edit/{catalogue[5].pk}/").status_code == 200
    assert client.get(f"{LISTING}edit/{catalogue[6].pk}/").status_code == 302


def test_the_admin_listing_asks_the_grants_a_fixed_number_of_times(client, editor, catalogue):
    """No N+1 on permissions: the listing of three organizations and of ten read the
    grants as many times (each row's buttons reuse the view's answers)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def grant_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LISTING)
        assert response.status_code == 200
        return sum("objectpermission" in query["sql"] for query in queries)

    client.force_login(editor)
    client.get(LISTING)
    three = grant_queries()
    for n in (0, 1, 2, 4, 5, 6, 8):
        grant_editor(editor, catalogue[n])
    ten = grant_queries()
    assert ten == three
    assert len(client.get(LISTING).context["object_list"]) == 10
