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


class ObjectPermissionRequiredMixin:
    """Refuses a view of one object to a user without `object_action` on that object."""

    object_action = "change"

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.object_action, instance
        ):
            raise PermissionDenied
        return instance


class ObjectPermissionEditView(ObjectPermissionRequiredMixin, snippet_views.EditView):
    pass


class ObjectPermissionDeleteView(ObjectPermissionRequiredMixin, snippet_views.DeleteView):
    object_action = "delete"


class ObjectPermissionHistoryView(ObjectPermissionRequiredMixin, snippet_views.HistoryView):
    pass


class ObjectPermissionUsageView(ObjectPermissionRequiredMixin, snippet_views.UsageView):
    pass


class ObjectPermissionViewSetMixin:
    """The index, edit, delete, history and usage views of a snippet viewset, each
    checking the object (set `register_permission_policy` for the model too)."""

    index_view_class = ObjectPermissionIndexView
    edit_view_class = ObjectPermissionEditView
    delete_view_class = ObjectPermissionDeleteView
    history_view_class = ObjectPermissionHistoryView
    usage_view_class = ObjectPermissionUsageView
