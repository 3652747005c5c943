"""Who may write positions, and in whose voice.

A position speaks for an organization, so only that organization's editors write it:
the "Organization editors" group (`organizations.permissions.grant_editor` puts every
editor in it) may add pages under the positions index, and a position page answers
Wagtail's permission questions through `PositionPermissionTester` — its organization's
editors edit it, and delete it while it is not live, whoever created it; nobody else
does. They never publish: a position goes through Wagtail's moderation workflow and a
moderator (a user with the publish permission on the page, e.g. Wagtail's "Moderators"
group) publishes it. Moderators, superusers and users holding the model permission
`consultations.change_positionpage` act for every organization.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db.models import QuerySet
from wagtail.models import GroupPagePermission, Page, PagePermissionTester

from organizations.models import Organization
from organizations.permissions import ORGANIZATION_EDITORS_GROUP, organizations_edited_by

User = AbstractBaseUser | AnonymousUser

CHANGE_ANY_POSITION = "consultations.change_positionpage"
# "add" only: Wagtail's "change" would let every organization's editors edit every
# position; the tester below widens "add" from the page's owner to its organization.
EDITORS_PAGE_PERMISSIONS = ("add",)


def ensure_position_permissions(index: Page) -> None:
    """Let organization editors add positions under `index` (idempotent).

    Called for every positions index created (`consultations.apps` connects it to
    `post_save`), so an index added in the admin, or translated, gets it too."""
    group, _created = Group.objects.get_or_create(name=ORGANIZATION_EDITORS_GROUP)
    for permission_type in EDITORS_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=index,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=f"{permission_type}_page"
            ),
        )


def on_position_index_saved(sender: type, instance: Page, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        ensure_position_permissions(instance)


def acts_for_every_organization(user: User, page: Page | None) -> bool:
    """Moderators of `page` (or of the index a new position goes under), superusers and
    holders of the model permission may choose any organization."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm(CHANGE_ANY_POSITION):
        return True
    return page is not None and PagePermissionTester(user, page).can_publish()


def organizations_for(user: User, page: Page | None) -> QuerySet[Organization]:
    """The organizations `user` may state a position for, under or on `page`."""
    if acts_for_every_organization(user, page):
        return Organization.objects.all()
    return organizations_edited_by(user)


def speaks_for(user: User, organization_id: int | None) -> bool:
    return organization_id is not None and (
        organizations_edited_by(user).filter(pk=organization_id).exists()
    )


class PositionPermissionTester(PagePermissionTester):
    """Wagtail's page permissions, with a position's organization in place of its owner.

    Every admin view of a page (edit, delete, move, copy, revisions, previews, bulk
    actions, the explorer's buttons) asks this object, so the rule holds everywhere."""

    def _acts_for_every_organization(self) -> bool:
        return self.user.is_superuser or (
            "publish" in self.permissions or self.user.has_perm(CHANGE_ANY_POSITION)
        )

    def _writes_here(self) -> bool:
        return bool({"add", "change"} & self.permissions) and speaks_for(
            self.user, self.page.organization_id
        )

    def can_edit(self) -> bool:
        if not self.user.is_active or self.page_is_root:
            return False
        if self._acts_for_every_organization():
            return super().can_edit()
        return self._writes_here()

    def can_delete(self, ignore_bulk: bool = False) -> bool:
        if not self.user.is_active or self.page_is_root:
            return False
        if self._acts_for_every_organization():
            return super().can_delete(ignore_bulk=ignore_bulk)
        # Deleting a live page unpublishes it, which is the moderators' call.
        return not self.page.live and self.page.is_leaf() and self._writes_here()
