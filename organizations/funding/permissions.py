"""Who manages which funding programme, and who may act on funding records in the admin:
the predicates, the programme-staff role, and the Wagtail permission policies built on
them.

- Programmes and their budgets are the secretariat's: creating and changing them takes
  the model permissions `funding.add_programme` and `change_programme` (a budget is
  part of its programme, so `change_programme` covers adding, changing and removing one).
  The finance staff given a programme (`grant_programme`, the
  guardian object permission `funding.manage_programme`) may *view* that programme
  and its budgets — what has been committed, what remains — and change neither.
- Allocations belong to their programme's finance staff (`manages_programme`): they list,
  add and change the allocations of the programmes they manage, drafts included, and
  nothing of any other programme. Nobody else reaches the screen — not an
  organization's editors, not secretariat staff who manage no programme — since a draft
  is invisible to everyone but its programme's finance staff. Only a draft may be
  deleted: committed money is moved back to draft first, on purpose.
- Service loads belong to the organization that reports them: its editors
  (`organizations_edited_by`, the guardian object permission on the organization) add
  and change its loads; staff holding the model permissions on service loads see and
  change every organization's.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Permission
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import (
    assign_perm,
    get_objects_for_user,
    get_users_with_perms,
    remove_perm,
)
from wagtail.permission_policies.base import BasePermissionPolicy, ModelPermissionPolicy

from concertation.roles import Role
from organizations.permissions import EDIT_ORGANIZATION, organizations_edited_by

from .models import Allocation, AllocationStatus, Programme, ProgrammeBudget, ServiceLoad

User = AbstractBaseUser | AnonymousUser

ACTIONS = frozenset({"add", "change", "delete", "view"})
WRITE_ACTIONS = frozenset({"add", "change", "delete"})

MANAGE_PROGRAMME = "funding.manage_programme"
# Budgets are written by whoever may change programmes.
CHANGE_PROGRAMME = "funding.change_programme"


def manages_every_programme(user: User) -> bool:
    return user.is_active and user.has_perm(MANAGE_PROGRAMME)


def programmes_managed_by(user: User) -> QuerySet[Programme]:
    """The programmes whose allocations `user` records: given one by one (a guardian
    object permission), or all of them through the model permission."""
    if not user.is_authenticated or not user.is_active:
        return Programme.objects.none()
    if manages_every_programme(user):
        return Programme.objects.all()
    return get_objects_for_user(user, MANAGE_PROGRAMME, klass=Programme, accept_global_perms=False)


def manages_programme(user: User, programme: Programme) -> bool:
    return user.is_authenticated and (
        manages_every_programme(user) or user.has_perm(MANAGE_PROGRAMME, programme)
    )


def grant_programme(user: AbstractBaseUser, programme: Programme) -> None:
    """Make `user` finance staff for `programme`: admin access and the object permission."""
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    assign_perm(MANAGE_PROGRAMME, user, programme)


def revoke_programme(user: AbstractBaseUser, programme: Programme) -> None:
    remove_perm(MANAGE_PROGRAMME, user, programme)


def finance_staff_given(programme: Programme) -> list[AbstractBaseUser]:
    """The users given `programme` one by one (not those managing every programme)."""
    return list(
        get_users_with_perms(
            programme, only_with_perms_in=["manage_programme"], with_superusers=False
        ).order_by("username")
    )


ROLES = (
    Role(
        name="programme-staff",
        description=_(
            "records the programme's allocations, drafts included, approves and publishes "
            "them, and sees the programme and its budgets"
        ),
        model=Programme,
        lookup="slug",
        grant=grant_programme,
        revoke=revoke_programme,
        holders=finance_staff_given,
    ),
)


def _is_active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def _permission_holders(*permissions: str) -> Q:
    """Superusers and the holders of any of `permissions` on the model (directly or
    through a group). Each permission is "app_label.codename"."""
    condition = Q(is_superuser=True)
    for permission in permissions:
        app_label, codename = permission.split(".")
        found = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        condition |= Q(user_permissions__in=found) | Q(groups__permissions__in=found)
    return condition


def _active_users(condition: Q) -> QuerySet:
    return get_user_model().objects.filter(condition, is_active=True).distinct()


def _finance_staff_of(programme: Programme) -> QuerySet:
    """Everyone who records `programme`'s allocations: given it, or given them all."""
    given = get_users_with_perms(
        programme, with_group_users=True, only_with_perms_in=["manage_programme"]
    )
    return _active_users(_permission_holders(MANAGE_PROGRAMME) | Q(pk__in=given.values("pk")))


def _all_finance_staff() -> QuerySet:
    manage = Permission.objects.filter(
        content_type__app_label="funding", codename="manage_programme"
    )
    return _active_users(
        _permission_holders(MANAGE_PROGRAMME)
        | Q(userobjectpermission__permission__in=manage)
        | Q(groups__groupobjectpermission__permission__in=manage)
    )


class ProgrammePermissionPolicy(ModelPermissionPolicy):
    """Wagtail's model permissions on programmes, plus "view" on the programmes a user
    records allocations for."""

    def __init__(self) -> None:
        super().__init__(Programme)

    def _model_permits(self, user: User, action: str) -> bool:
        return ModelPermissionPolicy.user_has_permission(self, user, action)

    def user_has_permission(self, user: User, action: str) -> bool:
        if self._model_permits(user, action):
            return True
        return action == "view" and programmes_managed_by(user).exists()

    def user_has_permission_for_instance(self, user: User, action: str, instance: Model) -> bool:
        if self._model_permits(user, action):
            return True
        return action == "view" and manages_programme(user, instance)

    def instances_user_has_any_permission_for(self, user: User, actions: Iterable[str]) -> QuerySet:
        actions = list(actions)
        if any(self._model_permits(user, action) for action in actions):
            return Programme.objects.all()
        if "view" in actions:
            return programmes_managed_by(user)
        return Programme.objects.none()

    def users_with_any_permission(self, actions: Iterable[str]) -> QuerySet:
        actions = list(actions)
        holders = super().users_with_any_permission(actions)
        if "view" not in actions:
            return holders
        return (holders | _all_finance_staff()).distinct()

    def users_with_any_permission_for_instance(
        self, actions: Iterable[str], instance: Model
    ) -> QuerySet:
        actions = list(actions)
        holders = super().users_with_any_permission(actions)
        if "view" not in actions:
            return holders
        return (holders | _finance_staff_of(instance)).distinct()


class ProgrammeBudgetPermissionPolicy(BasePermissionPolicy):
    """Budgets: written with `change_programme`, viewed by their programme's finance
    staff too. A budget that allocations already use is not deleted: they would be left
    without the budget they were checked against."""

    def __init__(self) -> None:
        super().__init__(ProgrammeBudget)

    def _writes(self, user: User) -> bool:
        return _is_active(user) and user.has_perm(CHANGE_PROGRAMME)

    def user_has_permission(self, user: User, action: str) -> bool:
        if action in WRITE_ACTIONS:
            return self._writes(user)
        return action == "view" and (self._writes(user) or programmes_managed_by(user).exists())

    def user_has_any_permission(self, user: User, actions: Iterable[str]) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user: User, action: str, instance: Model) -> bool:
        if action == "delete":
            return self._writes(user) and not _budget_in_use(instance)
        if action in WRITE_ACTIONS:
            return self._writes(user)
        return action == "view" and (
            self._writes(user) or manages_programme(user, instance.programme)
        )

    def instances_user_has_any_permission_for(self, user: User, actions: Iterable[str]) -> QuerySet:
        actions = set(actions)
        if actions & ACTIONS and self._writes(user):
            return ProgrammeBudget.objects.all()
        if "view" in actions:
            return ProgrammeBudget.objects.filter(
                programme__in=programmes_managed_by(user).values("pk")
            )
        return ProgrammeBudget.objects.none()

    def users_with_any_permission(self, actions: Iterable[str]) -> QuerySet:
        actions = set(actions)
        if not actions & ACTIONS:
            return get_user_model().objects.none()
        writers = _active_users(_permission_holders(CHANGE_PROGRAMME))
        if "view" not in actions:
            return writers
        return (writers | _all_finance_staff()).distinct()

    def users_with_any_permission_for_instance(
        self, actions: Iterable[str], instance: Model
    ) -> QuerySet:
        actions = set(actions)
        if not actions & ACTIONS:
            return get_user_model().objects.none()
        writers = _active_users(_permission_holders(CHANGE_PROGRAMME))
        if "view" not in actions:
            return writers
        return (writers | _finance_staff_of(instance.programme)).distinct()


def _budget_in_use(budget: ProgrammeBudget) -> bool:
    return Allocation.objects.filter(
        programme_id=budget.programme_id, fiscal_year=budget.fiscal_year
    ).exists()


class AllocationPermissionPolicy(BasePermissionPolicy):
    """Every action on an allocation for the finance staff of its programme; only a
    draft is deleted. The model-level answer (the menu, the listing, the add screen) is
    yes for whoever manages some programme."""

    def __init__(self) -> None:
        super().__init__(Allocation)

    def user_has_permission(self, user: User, action: str) -> bool:
        return action in ACTIONS and programmes_managed_by(user).exists()

    def user_has_any_permission(self, user: User, actions: Iterable[str]) -> bool:
        return bool(ACTIONS.intersection(actions)) and programmes_managed_by(user).exists()

    def user_has_permission_for_instance(self, user: User, action: str, instance: Model) -> bool:
        if action not in ACTIONS or not manages_programme(user, instance.programme):
            return False
        return action != "delete" or instance.status == AllocationStatus.DRAFT

    def instances_user_has_any_permission_for(self, user: User, actions: Iterable[str]) -> QuerySet:
        if not ACTIONS.intersection(actions):
            return Allocation.objects.none()
        return Allocation.objects.filter(programme__in=programmes_managed_by(user).values("pk"))

    def users_with_any_permission(self, actions: Iterable[str]) -> QuerySet:
        if not ACTIONS.intersection(actions):
            return get_user_model().objects.none()
        return _all_finance_staff()

    def users_with_any_permission_for_instance(
        self, actions: Iterable[str], instance: Model
    ) -> QuerySet:
        if not ACTIONS.intersection(actions):
            return get_user_model().objects.none()
        return _finance_staff_of(instance.programme)


class ServiceLoadPermissionPolicy(ModelPermissionPolicy):
    """Wagtail's model permissions on service loads (staff: every organization's),
    widened to the editors of the organization whose load it is."""

    def __init__(self) -> None:
        super().__init__(ServiceLoad)

    def _model_permits(self, user: User, action: str) -> bool:
        return ModelPermissionPolicy.user_has_permission(self, user, action)

    def _edits_some_organization(self, user: User) -> bool:
        return organizations_edited_by(user).exists()

    def user_has_permission(self, user: User, action: str) -> bool:
        if self._model_permits(user, action):
            return True
        return action in ACTIONS and self._edits_some_organization(user)

    def user_has_any_permission(self, user: User, actions: Iterable[str]) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user: User, action: str, instance: Model) -> bool:
        if self._model_permits(user, action):
            return True
        return (
            action in ACTIONS
            and organizations_edited_by(user).filter(pk=instance.organization_id).exists()
        )

    def instances_user_has_any_permission_for(self, user: User, actions: Iterable[str]) -> QuerySet:
        actions = list(actions)
        if any(self._model_permits(user, action) for action in actions):
            return ServiceLoad.objects.all()
        if not ACTIONS.intersection(actions):
            return ServiceLoad.objects.none()
        return ServiceLoad.objects.filter(
            organization__in=organizations_edited_by(user).values("pk")
        )

    def users_with_any_permission(self, actions: Iterable[str]) -> QuerySet:
        holders = super().users_with_any_permission(actions)
        if not ACTIONS.intersection(actions):
            return holders
        edit = Permission.objects.filter(
            content_type__app_label="organizations", codename="change_organization"
        )
        # Grants on organizations have their own tables (organizations.models.grants).
        editors = _active_users(
            Q(organizationuserobjectpermission__permission__in=edit)
            | Q(groups__organizationgroupobjectpermission__permission__in=edit)
        )
        return (holders | editors).distinct()

    def users_with_any_permission_for_instance(
        self, actions: Iterable[str], instance: Model
    ) -> QuerySet:
        holders = super().users_with_any_permission(actions)
        if not ACTIONS.intersection(actions):
            return holders
        editors = get_users_with_perms(
            instance.organization,
            with_group_users=True,
            only_with_perms_in=[EDIT_ORGANIZATION.split(".")[1]],
        )
        return (holders | _active_users(Q(pk__in=editors.values("pk")))).distinct()
