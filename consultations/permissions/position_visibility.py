"""Which positions a user may see in the admin: their organizations' and no one else's.

A position in draft or in moderation is its organization's business until a moderator
publishes it: its title, its state and its dates say what a coalition is preparing. So
the admin lists, finds and opens a position only for those who speak for its
organization (`positions.speaks_for`) and for those who act for every organization —
superusers, holders of the model permission, and moderators of the page (the publish
page permission on it or an ancestor). Another organization's live positions are hidden
too: they are public on the site, and listing them in the admin only until their
organization saves a new draft would tell, by their disappearance, that it did.

`consultations.page_policy` applies the rule to every page listing of the admin, and
`consultations.position_admin` to every screen about one page.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from wagtail.models import GroupPagePermission, Page

from organizations.permissions import organizations_edited_by

from ..models import PositionPage
from .positions import CHANGE_ANY_POSITION

User = AbstractBaseUser | AnonymousUser


def _pages_with_permission(user: User, codenames: set[str]) -> list[Page]:
    return [
        permission.page
        for permission in GroupPagePermission.objects.filter(
            group__user=user, permission__codename__in=codenames
        ).select_related("page")
    ]


def _under(pages: list[Page]) -> Q:
    """Pages at or below any of `pages` (an empty list matches nothing)."""
    condition = Q(pk__in=[])
    for page in pages:
        condition |= Q(path__startswith=page.path)
    return condition


def sees_every_position(user: User) -> bool:
    """Superusers and holders of the model permission see every organization's positions
    everywhere (moderators see those under the pages they moderate)."""
    return user.is_active and (user.is_superuser or user.has_perm(CHANGE_ANY_POSITION))


def positions_hidden_from(user: User) -> QuerySet[PositionPage]:
    """The positions the admin must neither list nor open for `user`."""
    if not user.is_authenticated or not user.is_active:
        return PositionPage.objects.all()
    if sees_every_position(user):
        return PositionPage.objects.none()
    moderated = _under(_pages_with_permission(user, {"publish_page"}))
    return PositionPage.objects.exclude(organization__in=organizations_edited_by(user)).exclude(
        moderated
    )


def positions_written_by(user: User) -> QuerySet[PositionPage]:
    """The positions `user` edits as one of their organization's editors, whoever created
    them: under a page where they may add or change pages, for an organization they
    speak for (the listing's side of `positions.PositionPermissionTester.can_edit`)."""
    if not user.is_authenticated or not user.is_active:
        return PositionPage.objects.none()
    writable = _under(_pages_with_permission(user, {"add_page", "change_page"}))
    return PositionPage.objects.filter(writable, organization__in=organizations_edited_by(user))


def hidden_among(user: User, page_ids: list[int]) -> set[int]:
    """Those of `page_ids` that are positions hidden from `user`."""
    if not page_ids:
        return set()
    return set(positions_hidden_from(user).filter(pk__in=page_ids).values_list("pk", flat=True))


def is_hidden_from(user: User, page_ids: list[int]) -> bool:
    """Whether any of `page_ids` is a position hidden from `user`."""
    return bool(page_ids) and positions_hidden_from(user).filter(pk__in=page_ids).exists()
