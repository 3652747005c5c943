"""Object-level permissions in the Wagtail admin, backed by django-guardian.

Wagtail's default policy answers per model: a user may change every organization or
none. Concertation's roles are per object (an organization's editors change their own
organization only), so this policy grants an action when the user holds it on the model
(secretariat staff, through a group) *or* on the instance (a guardian object
permission). Wagtail's generic edit view checks only the model-level answer, so the
admin views below also check the instance.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL
from guardian.shortcuts import get_objects_for_user
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.snippets.views import snippets as snippet_views

User = AbstractBaseUser | AnonymousUser

# Actions that can be granted on one object. "add" is always model-wide: there is no
# object yet to hold the permission.
OBJECT_ACTIONS = ("change", "delete", "view")


def objects_granted(user: User, permission: str, model: type[Model]) -> QuerySet:
    """The instances of `model` on which an active `user` holds `permission`
    ("app_label.codename") as a guardian object permission, given to them or to one of
    their groups; every instance for a superuser. The model permission does not count.

    For a model with guardian's direct foreign-key grant models (organizations:
    `organizations.models.grants`), one semi-join of the model's primary key on the
    UNION of the user's and their groups' grants, which the planner drives from the
    grants' (user, permission, object) index. guardian's `get_objects_for_user` ORs two
    IN subqueries instead, which PostgreSQL tests row by row: a page of 20 in name order
    walked most of the catalogue. The subquery is written in SQL because the ORM spent
    longer compiling the union than the database running it (decision 014). Other
    models go through guardian."""
    manager = model._default_manager
    if not user.is_authenticated or not user.is_active:
        return manager.none()
    if user.is_superuser:
        return manager.all()
    if get_user_obj_perms_model(model).objects.is_generic() or (
        get_group_obj_perms_model(model).objects.is_generic()
    ):
        return get_objects_for_user(user, permission, klass=model, accept_global_perms=False)
    content_type = ContentType.objects.get_for_model(model)
    codename = permission.split(".")[-1]
    params = (user.pk, content_type.pk, codename) * 2
    return manager.filter(pk__in=RawSQL(_granted_sql(model), params))


@cache
def _granted_sql(model: type[Model]) -> str:
    """SELECT the primary keys of `model` granted to a user (%s) or their groups, with
    a permission given by content type (%s) and codename (%s), each pair once."""
    quote = connection.ops.quote_name
    by_user = get_user_obj_perms_model(model)._meta
    by_group = get_group_obj_perms_model(model)._meta
    groups = get_user_model()._meta.get_field("groups")
    permission = Permission._meta

    def column(meta, name: str) -> str:
        return quote(meta.get_field(name).column)

    def grants(meta) -> str:
        return (
            f"SELECT g.{column(meta, 'content_object')} FROM {quote(meta.db_table)} g "
            f"JOIN {quote(permission.db_table)} p ON p.{column(permission, 'id')} = "
            f"g.{column(meta, 'permission')}"
        )

    where = (
        f"p.{column(permission, 'content_type')} = %s AND p.{column(permission, 'codename')} = %s"
    )
    return (
        f"{grants(by_user)} WHERE g.{column(by_user, 'user')} = %s AND {where} "
        f"UNION {grants(by_group)} "
        f"JOIN {quote(groups.m2m_db_table())} m "
        f"ON m.{quote(groups.m2m_reverse_name())} = g.{column(by_group, 'group')} "
        f"WHERE m.{quote(groups.m2m_column_name())} = %s AND {where}"
    )


class ObjectPermissionPolicy(ModelPermissionPolicy):
    """Model-level permissions, widened by guardian object permissions."""

    def _objects_for(self, user: User, action: str) -> QuerySet:
        return objects_granted(user, self._get_permission_name(action), self.model)

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

    def user_has_permission(self, permission: str) -> bool:
        """Asked for every row's buttons: answered once per permission and request (the
        view lives for one request), not one query per row."""
        answers = self.__dict__.setdefault("_permission_answers", {})
        if permission not in answers:
            answers[permission] = super().user_has_permission(permission)
        return answers[permission]

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
