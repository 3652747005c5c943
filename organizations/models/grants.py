"""Object permissions on organizations, with a real foreign key (django-guardian's
direct object permission models).

guardian's generic tables key every grant by content type and a text `object_pk`, so
"the organizations this user edits" joins a text column against an integer one and the
planner cannot use the organizations' primary key: a page of an editor's organizations
walked the name index over most of the catalogue. With these two models guardian stores
and reads organization grants here (`assign_perm`, `remove_perm`, `get_objects_for_user`,
`get_users_with_perms`, `user.has_perm(…, organization)` find them by the `content_object`
foreign key), the grants go with their organization on delete, and
`organizations.permissions.organizations_edited_by` is one indexed semi-join. Decision
record: docs/decisions/014-direct-foreign-key-grants-on-organizations.md.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .organization import Organization


class OrganizationUserObjectPermission(UserObjectPermissionBase):
    """A permission one user holds on one organization (the organization editor role)."""

    content_object = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE
    )

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("user permission on an organization")
        verbose_name_plural = _("user permissions on organizations")


class OrganizationGroupObjectPermission(GroupObjectPermissionBase):
    """A permission every member of a group holds on one organization."""

    content_object = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE
    )

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("group permission on an organization")
        verbose_name_plural = _("group permissions on organizations")
