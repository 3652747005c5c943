"""Who may act, in the admin, on a forum and on what hangs off it: its managers.

Wagtail glue only: the rules, and who the managers are, are in
`consultations.fora.permissions`.

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
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model, QuerySet
from wagtail.permission_policies.base import BasePermissionPolicy

from .models import Forum
from .permissions import (
    all_forum_managers,
    managed_fora,
    managers_of,
    manages_any_forum,
    manages_forum,
    may_convene,
)

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
        if not ACTIONS.intersection(actions):
            return get_user_model().objects.none()
        return all_forum_managers()

    def users_with_any_permission_for_instance(
        self, actions: Iterable[str], instance: Model
    ) -> QuerySet:
        """The managers of the instance's forum: the editors of its convenor, or all."""
        if not ACTIONS.intersection(actions):
            return get_user_model().objects.none()
        return managers_of(self.forum_of(instance))

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
