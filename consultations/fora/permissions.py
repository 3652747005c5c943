"""Who manages which forum, and who speaks for which seat term.

Whoever convenes a forum manages it — its seats, their holders and its meetings. The
convenor is an organization, so the grant is the one an organization's editors already
hold: the guardian object permission `organizations.change_organization` on the forum's
convenor. A secretariat staff member made editor of the secretariat's organization
manages the fora the secretariat convenes; a coalition's editors, the coalition's.

The *model* permission `organizations.change_organization`, which secretariat staff hold
to keep every profile up to date, does not count (`accept_global_perms=False`, through
`organizations_edited_by`): correcting a profile is not convening a table. Managing
every forum is its own model permission, `fora.change_forum`, given through a
group; superusers hold it as they hold everything.

An organization's editors speak for it on the seats it holds: they name its delegate and
confirm its attendance (`represents`). That is not managing the forum: they do not
assign seats.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Permission
from django.db.models import Q, QuerySet
from guardian.shortcuts import get_users_with_perms

from organizations.models import Organization
from organizations.permissions import organizations_edited_by

from .models import Forum, SeatTerm

User = AbstractBaseUser | AnonymousUser

MANAGE_EVERY_FORUM = "fora.change_forum"
ADD_FORUM = "fora.add_forum"


def _is_active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def manages_every_forum(user: User) -> bool:
    """Superusers, and whoever holds `fora.change_forum` on the model."""
    return _is_active(user) and user.has_perm(MANAGE_EVERY_FORUM)


def managed_fora(user: User) -> QuerySet[Forum]:
    """The fora `user` manages: every one, or those convened by organizations they edit."""
    if not _is_active(user):
        return Forum.objects.none()
    if manages_every_forum(user):
        return Forum.objects.all()
    return Forum.objects.filter(convenor__in=organizations_edited_by(user).values("pk"))


def manages_forum(user: User, forum: Forum) -> bool:
    if not _is_active(user):
        return False
    return (
        manages_every_forum(user)
        or organizations_edited_by(user).filter(pk=forum.convenor_id).exists()
    )


def manages_any_forum(user: User) -> bool:
    return manages_every_forum(user) or managed_fora(user).exists()


def possible_convenors(user: User) -> QuerySet[Organization]:
    """The organizations `user` may name as a forum's convenor: any, for those who manage
    every forum; otherwise the organizations they edit (a forum they create is theirs)."""
    if manages_every_forum(user) or (_is_active(user) and user.has_perm(ADD_FORUM)):
        return Organization.objects.all()
    return organizations_edited_by(user)


def may_convene(user: User) -> bool:
    """Whether `user` may create a forum: with the model permission, or as the editor of
    an organization (which then convenes it)."""
    return _is_active(user) and possible_convenors(user).exists()


def represents(user: User, term: SeatTerm) -> bool:
    """Whether `user` speaks for the organization holding `term`: its editor."""
    return organizations_edited_by(user).filter(pk=term.organization_id).exists()


def represented_terms(user: User) -> QuerySet[SeatTerm]:
    """The seat terms, active and past, of the organizations `user` edits."""
    return SeatTerm.objects.filter(organization__in=organizations_edited_by(user).values("pk"))


def _manages_every_forum_condition() -> Q:
    permissions = Permission.objects.filter(content_type__app_label="fora", codename="change_forum")
    return (
        Q(is_superuser=True)
        | Q(user_permissions__in=permissions)
        | Q(groups__permissions__in=permissions)
    )


def all_forum_managers() -> QuerySet:
    """Every active user managing some forum: superusers, holders of the model
    permission, and the editors of any convenor."""
    edit = Permission.objects.get(
        content_type__app_label="organizations", codename="change_organization"
    )
    convenors = Forum.objects.values("convenor")
    # Grants on organizations have their own tables (organizations.models.grants).
    return (
        get_user_model()
        .objects.filter(
            _manages_every_forum_condition()
            | Q(
                organizationuserobjectpermission__permission=edit,
                organizationuserobjectpermission__content_object__in=convenors,
            )
            | Q(
                groups__organizationgroupobjectpermission__permission=edit,
                groups__organizationgroupobjectpermission__content_object__in=convenors,
            ),
            is_active=True,
        )
        .distinct()
    )


def managers_of(forum: Forum) -> QuerySet:
    """The active managers of `forum`: the editors of its convenor, or of every forum."""
    editors = get_users_with_perms(
        forum.convenor, with_group_users=True, only_with_perms_in=["change_organization"]
    )
    return (
        get_user_model()
        .objects.filter(
            _manages_every_forum_condition() | Q(pk__in=editors.values("pk")), is_active=True
        )
        .distinct()
    )
