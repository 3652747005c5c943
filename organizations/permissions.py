"""Who edits which organization: the organization editor role, and the predicates the
other apps build on.

An editor holds the django-guardian object permission `organizations.change_organization`
on that one organization. The model permission of the same name (secretariat staff, who
keep every profile up to date) does not count here: editing every profile is not
speaking in every organization's voice. Fora (`consultations.fora.permissions`),
co-signatures and positions (`consultations.permissions`) and service loads
(`organizations.funding.permissions`) ask `organizations_edited_by`.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm, get_users_with_perms, remove_perm

from concertation.object_permissions import objects_granted
from concertation.roles import Role

from .models import Organization

User = AbstractBaseUser | AnonymousUser

EDIT_ORGANIZATION = "organizations.change_organization"

# Every organization's editors belong to this group, so that what an editor may do
# beyond their organization's profile — write positions (`consultations.permissions`) —
# can be granted to the group once rather than to each user.
ORGANIZATION_EDITORS_GROUP = "Organization editors"


@transaction.atomic
def grant_editor(user: AbstractBaseUser, organization: Organization) -> None:
    """Make `user` an editor of `organization`: admin access, the object permission to
    change that organization only, and membership of the organization editors' group."""
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    assign_perm(EDIT_ORGANIZATION, user, organization)
    user.groups.add(Group.objects.get_or_create(name=ORGANIZATION_EDITORS_GROUP)[0])


@transaction.atomic
def revoke_editor(user: AbstractBaseUser, organization: Organization) -> None:
    """Withdraw the object permission, and the group once the user edits no organization
    any more (admin access stays: other roles may need it)."""
    remove_perm(EDIT_ORGANIZATION, user, organization)
    if not organizations_edited_by(user).exists():
        user.groups.remove(*user.groups.filter(name=ORGANIZATION_EDITORS_GROUP))


def organizations_edited_by(user: User) -> QuerySet[Organization]:
    """The organizations `user` speaks for: those they hold the object permission on.

    The model permission (secretariat staff) does not count: editing every profile is
    not speaking in every organization's voice. Grants on organizations have their own
    table with a foreign key (`organizations.models.grants`), so this is one semi-join
    on the grants' (user, permission) index, whatever the catalogue's size
    (docs/permissions.md, "At scale")."""
    return objects_granted(user, EDIT_ORGANIZATION, Organization)


def editors_of(organization: Organization) -> list[AbstractBaseUser]:
    """The users given `organization` one by one (superusers are not listed)."""
    return list(
        get_users_with_perms(
            organization, only_with_perms_in=["change_organization"], with_superusers=False
        ).order_by("username")
    )


ROLES = (
    Role(
        name="organization-editor",
        description=_(
            "edits the organization's profile and service loads, writes its positions, "
            "answers its co-signature requests and manages the fora it convenes"
        ),
        model=Organization,
        lookup="slug",
        grant=grant_editor,
        revoke=revoke_editor,
        holders=editors_of,
    ),
)
