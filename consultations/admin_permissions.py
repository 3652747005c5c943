"""Who may act, in the admin, on what hangs off a consultation round: its stewards.

Wagtail glue only: the rules — who manages which round, who the stewards are — are in
`consultations.permissions.stewardship`.

Response points and submissions belong to a round. Wagtail's model permissions would let
a group manage every round's points and redactions or none; the secretariat is organized
by policy, so the staff given a round or its policy (`consultations.permissions.stewardship`) manage
that round's records, and no one else's.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model, QuerySet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)

from .models import ConsultationRoundPage
from .permissions.stewardship import (
    all_stewards,
    managed_rounds,
    manages_anything,
    manages_round,
    stewards_of,
)

User = AbstractBaseUser | AnonymousUser

ALL_ACTIONS = frozenset({"add", "change", "delete", "view"})


class RoundStewardPermissionPolicy(BasePermissionPolicy):
    """Grants `actions` on an instance to whoever manages the instance's round.

    The model-level answer (menus, the add screen) is yes for anyone who manages some
    round or policy; listings hold the instances of the rounds the user manages. An
    action left out of `actions` is refused to everyone, superusers included — for
    submissions, which only organizations send, "add".
    """

    def __init__(
        self, model, *, actions: Iterable[str] = ALL_ACTIONS, round_field: str = "round"
    ) -> None:
        super().__init__(model)
        self.actions = frozenset(actions)
        self.round_field = round_field

    def round_of(self, instance: Model) -> ConsultationRoundPage:
        return getattr(instance, self.round_field)

    def user_has_permission(self, user: User, action: str) -> bool:
        return action in self.actions and manages_anything(user)

    def user_has_any_permission(self, user: User, actions: Iterable[str]) -> bool:
        return bool(self.actions.intersection(actions)) and manages_anything(user)

    def user_has_permission_for_instance(self, user: User, action: str, instance: Model) -> bool:
        return action in self.actions and manages_round(user, self.round_of(instance))

    def user_has_any_permission_for_instance(
        self, user: User, actions: Iterable[str], instance: Model
    ) -> bool:
        return bool(self.actions.intersection(actions)) and manages_round(
            user, self.round_of(instance)
        )

    def instances_user_has_any_permission_for(self, user: User, actions: Iterable[str]) -> QuerySet:
        if not self.actions.intersection(actions):
            return self.model._default_manager.none()
        return self.model._default_manager.filter(
            **{f"{self.round_field}__in": managed_rounds(user).values("pk")}
        )

    def users_with_any_permission(self, actions: Iterable[str]) -> QuerySet:
        """Every steward: a global grant, or one on some policy or round."""
        if not self.actions.intersection(actions):
            return get_user_model().objects.none()
        return all_stewards()

    def users_with_any_permission_for_instance(
        self, actions: Iterable[str], instance: Model
    ) -> QuerySet:
        """The stewards of the instance's round: given the round, its policy, or all."""
        if not self.actions.intersection(actions):
            return get_user_model().objects.none()
        return stewards_of(self.round_of(instance))

    def users_with_permission_for_instance(self, action: str, instance: Model) -> QuerySet:
        return self.users_with_any_permission_for_instance([action], instance)


def _chooseable(view) -> QuerySet:
    return policy_registry.get_by_type(view.model_class).instances_user_has_permission_for(
        view.request.user, "view"
    )


class StewardChooserMixin:
    """A snippet chooser lists only what the user may see (`view` in the policy):
    otherwise any admin user could read the titles of unpublished briefs there."""

    def get_object_list(self):
        return _chooseable(self)


class StewardChooseView(StewardChooserMixin, ChooseView):
    pass


class StewardChooseResultsView(StewardChooserMixin, ChooseResultsView):
    pass


class StewardChosenView(SnippetChosenView):
    def get_object(self, pk):
        return _chooseable(self).get(pk=pk)


class StewardChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return _chooseable(self).filter(pk__in=pks)


class StewardChooserViewSet(SnippetChooserViewSet):
    choose_view_class = StewardChooseView
    choose_results_view_class = StewardChooseResultsView
    chosen_view_class = StewardChosenView
    chosen_multiple_view_class = StewardChosenMultipleView
