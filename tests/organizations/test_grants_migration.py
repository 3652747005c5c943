"""Organization grants move from guardian's generic tables to the organizations' own,
and back.

A database before the move (organizations 0005: the new tables exist, empty) holds
grants the old way: an editor's `change_organization` on two organizations, a group's
on one, another kind of grant (a programme's) that must stay generic, and a stale grant
on an organization deleted meanwhile. Migrating (0006) carries the organization grants
to the foreign-key tables — the editor still edits both, the group's members the third,
through guardian and `organizations_edited_by` — and leaves the programme's where it
was; migrating back restores the generic rows.
"""

import pytest

pytestmark = pytest.mark.postgres

BEFORE = [
    ("contenttypes", "0002_remove_content_type_name"),
    ("auth", "0012_alter_user_first_name_max_length"),
    ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
    ("organizations", "0005_grants_with_a_foreign_key"),
]
AFTER = [("organizations", "0006_carry_generic_grants")]


def _fill_the_old_way(apps) -> dict:
    """Grants as guardian's generic tables held them (the migrator mutes the
    `post_migrate` signal that creates content types and permissions)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    GroupObjectPermission = apps.get_model("guardian", "GroupObjectPermission")
    Organization = apps.get_model("organizations", "Organization")

    organization_type, _ = ContentType.objects.get_or_create(
        app_label="organizations", model="organization"
    )
    programme_type, _ = ContentType.objects.get_or_create(app_label="funding", model="programme")
    change, _ = Permission.objects.get_or_create(
        codename="change_organization",
        content_type=organization_type,
        defaults={"name": "Can change organization"},
    )
    manage, _ = Permission.objects.get_or_create(
        codename="manage_programme",
        content_type=programme_type,
        defaults={"name": "Can record allocations for a programme"},
    )
    editor = User.objects.create(username="editor", is_active=True)
    member = User.objects.create(username="member", is_active=True)
    group = Group.objects.create(name="Regional table staff")
    member.groups.add(group)
    first, second, third, gone = (
        Organization.objects.create(name=name, slug=name.lower(), kind="community_group")
        for name in ("First", "Second", "Third", "Gone")
    )
    for organization in (first, second, gone):
        UserObjectPermission.objects.create(
            user=editor,
            permission=change,
            content_type=organization_type,
            object_pk=str(organization.pk),
        )
    GroupObjectPermission.objects.create(
        group=group, permission=change, content_type=organization_type, object_pk=str(third.pk)
    )
    UserObjectPermission.objects.create(
        user=editor, permission=manage, content_type=programme_type, object_pk="7"
    )
    gone_pk = gone.pk
    gone.delete()  # a historical model: no signal removes its grant
    return {
        "editor": editor.pk,
        "member": member.pk,
        "group": group.pk,
        "edited": {first.pk, second.pk},
        "by_group": third.pk,
        "gone": gone_pk,
    }


@pytest.mark.django_db(transaction=True)
def test_the_grants_move_to_foreign_keys_and_still_hold(migrator) -> None:
    before = _fill_the_old_way(migrator.apply_initial_migration(BEFORE).apps)

    after = migrator.apply_tested_migration(AFTER)

    Direct = after.apps.get_model("organizations", "OrganizationUserObjectPermission")
    DirectGroup = after.apps.get_model("organizations", "OrganizationGroupObjectPermission")
    Generic = after.apps.get_model("guardian", "UserObjectPermission")
    GenericGroup = after.apps.get_model("guardian", "GroupObjectPermission")
    assert (
        set(
            Direct.objects.filter(user_id=before["editor"]).values_list(
                "content_object_id", flat=True
            )
        )
        == before["edited"]
    )
    assert list(
        DirectGroup.objects.filter(group_id=before["group"]).values_list(
            "content_object_id", flat=True
        )
    ) == [before["by_group"]]
    assert not GenericGroup.objects.exists()
    assert list(Generic.objects.values_list("permission__codename", "object_pk")) == [
        ("manage_programme", "7")
    ], "only the programme's grant stays generic; the stale one is dropped"

    # Through the project's code: the database is at the latest organizations migration.
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from organizations.models import Organization
    from organizations.permissions import organizations_edited_by

    ContentType.objects.clear_cache()
    User = get_user_model()
    editor = User.objects.get(pk=before["editor"])
    member = User.objects.get(pk=before["member"])
    assert set(organizations_edited_by(editor).values_list("pk", flat=True)) == before["edited"]
    assert list(organizations_edited_by(member).values_list("pk", flat=True)) == [
        before["by_group"]
    ]
    for pk in before["edited"]:
        assert editor.has_perm("organizations.change_organization", Organization(pk=pk))
    assert not editor.has_perm(
        "organizations.change_organization", Organization(pk=before["by_group"])
    )


@pytest.mark.django_db(transaction=True)
def test_migrating_back_restores_the_generic_grants(migrator) -> None:
    before = _fill_the_old_way(migrator.apply_initial_migration(BEFORE).apps)
    migrator.apply_tested_migration(AFTER)

    back = migrator.apply_tested_migration(BEFORE)

    Generic = back.apps.get_model("guardian", "UserObjectPermission")
    GenericGroup = back.apps.get_model("guardian", "GroupObjectPermission")
    Direct = back.apps.get_model("organizations", "OrganizationUserObjectPermission")
    assert not Direct.objects.exists()
    assert set(
        Generic.objects.filter(
            user_id=before["editor"], permission__codename="change_organization"
        ).values_list("object_pk", flat=True)
    ) == {str(pk) for pk in before["edited"]}
    assert list(
        GenericGroup.objects.values_list("group_id", "content_type__model", "object_pk")
    ) == [(before["group"], "organization", str(before["by_group"]))]
    assert Generic.objects.filter(permission__codename="manage_programme").count() == 1
