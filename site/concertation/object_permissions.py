"""Object-level permissions in the Wagtail admin, backed by django-guardian.

Wagtail's default policy answers per model: a user may change every organization or
none. Concertation's roles are per object (an organization's editors change their own
organization only), so this policy grants an action when the user holds it on the model
(secretariat staff, through a group) *or* on the instance (a guardian object
permission). Wagtail's generic edit view checks only the model-level answer, so the
admin views below also check the instance.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from guardian.shortcuts import get_objects_for_user
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.snippets.views import snippets as snippet_views

User = AbstractBaseUser | AnonymousUser

# Actions that can be granted on one object. "add" is always model-wide: there is no
# object yet to hold the permission.
OBJECT_ACTIONS = ("change", "delete", "view")


class ObjectPermissionPolicy(ModelPermissionPolicy):
    """Model-level permissions, widened by guardian object permissions."""

    def _objects_for(self, user: User, action: str) -> QuerySet:
        return get_objects_for_user(
            user, self._get_permission_name(action), klass=self.model, accept_global_perms=False
        )

    def user_has_permission(self, user: User, action: str) -> bool:
        if super().user_has_permission(user, action):
            return True
        if action not in OBJECT_ACTIONS or not user.is_active:
            return False
        return self._objects_for(user, action).exists()

    def user_has_permission_for_instance(self, user: User, action: str, instance: Model) -> bool:
        if super().user_has_permission(user, action):
            return True
        return (
            action in OBJECT_ACTIONS
            and user.is_active
            and user.has_perm(self._get_permission_name(action), instance)
        )

    def instances_user_has_permission_for(self, user: User, action: str) -> QuerySet:
        if super().user_has_permission(user, action):
            return self.model._default_manager.all()
        if action not in OBJECT_ACTIONS or not user.is_active:
            return self.model._default_manager.none()
        return self._objects_for(user, action)

    def instances_user_has_any_permission_for(self, user: User, actions: list[str]) -> QuerySet:
        querysets = [self.instances_user_has_permission_for(user, action) for action in actions]
        combined = querysets[0]
        for queryset in querysets[1:]:
            combined = combined | queryset
        return combined.distinct()


class ObjectPermissionIndexView(snippet_views.IndexView):
    """Lists only the objects the user may change (staff see them all)."""

    def get_base_queryset(self):
        allowed = self.permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        )
        return super().get_base_queryset().filter(pk__in=allowed.values("pk"))


class ObjectPermissionEditView(snippet_views.EditView):
    """Refuses to open or save an object the user holds no change permission on."""

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", instance
        ):
            raise PermissionDenied
        return instance


class ObjectPermissionDeleteView(snippet_views.DeleteView):
    """Refuses to delete an object the user holds no delete permission on."""

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "delete", instance
        ):
            raise PermissionDenied
        return instance
