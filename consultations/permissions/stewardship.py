"""Who manages which policy and which round: secretariat staff given them one by one.

The grant is a django-guardian object permission — `consultations.manage_policy` on a
policy (its versions and rounds with it) or `consultations.manage_round` on one round.
It is what our own screens check: the round state screen, the response points, the
submissions' redactions, and who reads unpublished briefs. Wagtail's page editor knows
only group page permissions, so each grant is mirrored into a group holding add, change
and publish on that page alone (`_steward_group`); `revoke_steward` removes both.
A user holding either permission on the model (through a group) manages them all.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db import transaction
from django.db.models import Q, QuerySet
from guardian.shortcuts import (
    assign_perm,
    get_objects_for_user,
    get_users_with_perms,
    remove_perm,
)
from wagtail.models import GroupPagePermission, Page

from ..models import ConsultationRoundPage, PolicyPage

User = AbstractBaseUser | AnonymousUser

MANAGE_POLICY = "consultations.manage_policy"
MANAGE_ROUND = "consultations.manage_round"
STEWARD_PERMISSIONS = ("manage_policy", "manage_round")
PAGE_PERMISSION_TYPES = ("add", "change", "publish")


def _permission_for(page: Page) -> str:
    specific = page.specific_deferred
    if isinstance(specific, PolicyPage):
        return MANAGE_POLICY
    if isinstance(specific, ConsultationRoundPage):
        return MANAGE_ROUND
    raise TypeError(f"{type(specific).__name__} is neither a policy nor a round")


def _steward_group(page: Page) -> Group:
    group, created = Group.objects.get_or_create(name=f"Stewards of page {page.pk}")
    if created:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
        # The page in every language: its translations are managed with it (decision 011).
        for translation in Page.objects.filter(translation_key=page.translation_key):
            _give_pages(group, translation)
    return group


def _give_pages(group: Group, page: Page) -> None:
    if GroupPagePermission.objects.filter(group=group, page=page).exists():
        return
    for permission_type in PAGE_PERMISSION_TYPES:
        GroupPagePermission.objects.create(group=group, page=page, permission_type=permission_type)


def on_translation_copied(sender, source_obj, target_obj, **kwargs) -> None:
    """A new translation of a policy or round is managed by the stewards of the page it
    was translated from (`copy_for_translation_done`, connected in `apps.py`)."""
    if not isinstance(target_obj, Page):
        return
    for group in Group.objects.filter(name=f"Stewards of page {source_obj.pk}"):
        _give_pages(group, target_obj)


@transaction.atomic
def grant_steward(user: AbstractBaseUser, page: Page) -> None:
    """Let `user` manage a policy (with its versions and rounds) or one round."""
    assign_perm(_permission_for(page), user, page.specific_deferred)
    user.groups.add(_steward_group(page))


@transaction.atomic
def revoke_steward(user: AbstractBaseUser, page: Page) -> None:
    remove_perm(_permission_for(page), user, page.specific_deferred)
    user.groups.remove(*Group.objects.filter(name=f"Stewards of page {page.pk}"))


def manages_everything(user: User) -> bool:
    return user.is_active and (user.has_perm(MANAGE_POLICY) or user.has_perm(MANAGE_ROUND))


def managed_rounds(user: User) -> QuerySet:
    """The rounds `user` manages: given one by one, or through their policy."""
    if not user.is_authenticated or not user.is_active:
        return ConsultationRoundPage.objects.none()
    if manages_everything(user):
        return ConsultationRoundPage.objects.all()
    policies = get_objects_for_user(
        user, MANAGE_POLICY, klass=PolicyPage, accept_global_perms=False
    ).values_list("path", flat=True)
    rounds = get_objects_for_user(
        user, MANAGE_ROUND, klass=ConsultationRoundPage, accept_global_perms=False
    )
    condition = Q(pk__in=rounds.values("pk"))
    for path in policies:
        condition |= Q(path__startswith=path)
    return ConsultationRoundPage.objects.filter(condition)


def manages_round(user: User, round_page: ConsultationRoundPage) -> bool:
    """Whether `user` manages the round; a translation is managed by whoever manages its
    record (the round and policy they were given are the record's)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if manages_everything(user):
        return True
    round_page = round_page.record
    if user.has_perm(MANAGE_ROUND, round_page):
        return True
    policy = round_page.get_parent().specific_deferred
    return isinstance(policy, PolicyPage) and user.has_perm(MANAGE_POLICY, policy)


def manages_anything(user: User) -> bool:
    return managed_rounds(user).exists() or (
        user.is_authenticated
        and get_objects_for_user(
            user, MANAGE_POLICY, klass=PolicyPage, accept_global_perms=False
        ).exists()
    )


def stewards_given(page: Page) -> list[AbstractBaseUser]:
    """The users given this policy or this round one by one (superusers, stewards of
    every round and, for a round, its policy's stewards are not listed)."""
    codename = _permission_for(page).split(".")[1]
    return list(
        get_users_with_perms(
            page.specific_deferred, only_with_perms_in=[codename], with_superusers=False
        ).order_by("username")
    )


def _steward_permissions() -> QuerySet[Permission]:
    return Permission.objects.filter(
        content_type__app_label="consultations", codename__in=STEWARD_PERMISSIONS
    )


def _stewards_of_everything() -> Q:
    permissions = _steward_permissions()
    return (
        Q(is_superuser=True)
        | Q(user_permissions__in=permissions)
        | Q(groups__permissions__in=permissions)
    )


def all_stewards() -> QuerySet:
    """Every active steward: of every round, or given some policy or round."""
    permissions = _steward_permissions()
    return (
        get_user_model()
        .objects.filter(
            _stewards_of_everything()
            | Q(userobjectpermission__permission__in=permissions)
            | Q(groups__groupobjectpermission__permission__in=permissions),
            is_active=True,
        )
        .distinct()
    )


def stewards_of(round_page: ConsultationRoundPage) -> QuerySet:
    """The active stewards of `round_page`: given the round, its policy, or every round."""
    on_round = get_users_with_perms(
        round_page, with_group_users=True, only_with_perms_in=["manage_round"]
    )
    on_policy = get_users_with_perms(
        round_page.get_parent().specific,
        with_group_users=True,
        only_with_perms_in=["manage_policy"],
    )
    return (
        get_user_model()
        .objects.filter(
            _stewards_of_everything()
            | Q(pk__in=on_round.values("pk"))
            | Q(pk__in=on_policy.values("pk")),
            is_active=True,
        )
        .distinct()
    )
