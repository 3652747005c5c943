"""Who may act, in the admin, on a forum and on what hangs off it: its managers.

Wagtail's model permissions would let a group manage every forum or none; fora are
managed by whoever convenes them (`consultations.fora.permissions`). This policy answers
per instance with `manages_forum` on the instance's forum (the forum itself, or the
forum of a seat or a meeting), and lists the instances of the fora the user manages.

The model-level answer (menus, the listing, the add screen) is yes for anyone who
manages some forum — and, to add a forum, for anyone who edits an organization, since
the forum they create is convened by it.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Permission
from django.db.models import Model, Q, QuerySet
from guardian.shortcuts import get_users_with_perms
from wagtail.permission_policies.base import BasePermissionPolicy

from .models import Forum
from .permissions import managed_fora, manages_any_forum, manages_forum, may_convene

User = AbstractBaseUser | AnonymousUser

ACTIONS = frozenset({"add", "change", "delete", "view"})


class ForumManagerPermissionPolicy(BasePermissionPolicy):
    """Grants every action on an instance to the managers of the instance's forum.

    `forum_field` names the instance's forum (`None`: the instance is the forum).
    """

    def __init__(self, model, *, forum_field: str | None = "forum") -> None:
        super().__init__(model)
        self.forum_field = forum_field

    def forum_of(self, instance: Model) -> Forum:
        return instance if self.forum_field is None else getattr(instance, self.forum_field)

    def _lookup(self) -> str:
        return "pk__in" if self.forum_field is None else f"{self.forum_field}__in"

    # Model level -------------------------------------------------------------------

    def user_has_permission(self, user: User, action: str) -> bool:
        return action in ACTIONS and manages_any_forum(user)

    def user_has_any_permission(self, user: User, actions: Iterable[str]) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    # Instance level ----------------------------------------------------------------

    def user_has_permission_for_instance(self, user: User, action: str, instance: Model) -> bool:
        return action in ACTIONS and manages_forum(user, self.forum_of(instance))

    def user_has_any_permission_for_instance(
        self, user: User, actions: Iterable[str], instance: Model
    ) -> bool:
        return bool(ACTIONS.intersection(actions)) and manages_forum(user, self.forum_of(instance))

    def instances_user_has_any_permission_for(self, user: User, actions: Iterable[str]) -> QuerySet:
        if not ACTIONS.intersection(actions):
            return self.model._default_manager.none()
        return self.model._default_manager.filter(
            **{self._lookup(): managed_fora(user).values("pk")}
        )

    # Users -------------------------------------------------------------------------

    def users_with_any_permission(self, actions: Iterable[str]) -> QuerySet:
        """Superusers, holders of the model permission, and the editors of any convenor."""
        UserModel = get_user_model()
        if not ACTIONS.intersection(actions):
            return UserModel.objects.none()
        convenors = [str(pk) for pk in Forum.objects.values_list("convenor", flat=True)]
        return UserModel.objects.filter(
            _manages_every_forum()
            | Q(
                userobjectpermission__permission=_edit_organization(),
                userobjectpermission__object_pk__in=convenors,
            )
            | Q(
                groups__groupobjectpermission__permission=_edit_organization(),
                groups__groupobjectpermission__object_pk__in=convenors,
            ),
            is_active=True,
        ).distinct()

    def users_with_any_permission_for_instance(
        self, actions: Iterable[str], instance: Model
    ) -> QuerySet:
        """The managers of the instance's forum: the editors of its convenor, or all."""
        UserModel = get_user_model()
        if not ACTIONS.intersection(actions):
            return UserModel.objects.none()
        editors = get_users_with_perms(
            self.forum_of(instance).convenor,
            with_group_users=True,
            only_with_perms_in=["change_organization"],
        )
        return UserModel.objects.filter(
            _manages_every_forum() | Q(pk__in=editors.values("pk")), is_active=True
        ).distinct()

    def users_with_permission_for_instance(self, action: str, instance: Model) -> QuerySet:
        return self.users_with_any_permission_for_instance([action], instance)


class ForumPermissionPolicy(ForumManagerPermissionPolicy):
    """For `Forum` itself: adding one is open to whoever may convene one."""

    def __init__(self, model=Forum) -> None:
        super().__init__(model, forum_field=None)

    def user_has_permission(self, user: User, action: str) -> bool:
        if action == "add":
            return may_convene(user)
        return super().user_has_permission(user, action)


def _manage_every_forum_permission() -> QuerySet:
    return Permission.objects.filter(content_type__app_label="fora", codename="change_forum")


def _manages_every_forum() -> Q:
    permissions = _manage_every_forum_permission()
    return (
        Q(is_superuser=True)
        | Q(user_permissions__in=permissions)
        | Q(groups__permissions__in=permissions)
    )


def _edit_organization() -> Permission:
    return Permission.objects.get(
        content_type__app_label="organizations", codename="change_organization"
    )
