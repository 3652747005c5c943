"""The admin's page permission policy, with positions kept to their organization.

Wagtail builds every page listing of its admin from the page permission policy: the
explorer and its search and filters, the admin search, the admin API (and the sidebar's
page menu, which reads it), the per-type listing, the site history report (through
`PageLogEntry.objects.viewable_by_user`), the locked and aging pages reports and the
workflow reports. Its answer counts every page under a page the user may add to, so an
organization editor, who may add positions under the positions index, would list every
organization's drafts and items in moderation. This policy takes out the positions the
user may not see (`consultations.permissions.position_visibility`), and counts as editable the
positions of the user's organizations whoever created them, as the page permission
tester does; it is registered for `Page` in `ConsultationsConfig.ready`.
"""

from collections.abc import Iterable

from django.db.models import QuerySet
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import register_permission_policy

from .permissions.position_visibility import (
    is_hidden_from,
    positions_hidden_from,
    positions_written_by,
)


class PositionPagePermissionPolicy(PagePermissionPolicy):
    def instances_user_has_any_permission_for(self, user, actions: Iterable[str]) -> QuerySet:
        actions = set(actions)
        pages = super().instances_user_has_any_permission_for(user, actions)
        if "change" in actions and not user.is_superuser:
            pages = pages | self.model._default_manager.filter(
                pk__in=positions_written_by(user).values("pk")
            )
        return self._without_hidden_positions(user, pages)

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        """Nothing on a hidden position, for code that asks the policy rather than the
        page permission tester (which refuses it too)."""
        if is_hidden_from(user, [instance.pk]):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)

    def explorable_instances(self, user) -> QuerySet:
        return self._without_hidden_positions(user, super().explorable_instances(user))

    def _without_hidden_positions(self, user, pages: QuerySet) -> QuerySet:
        if user.is_superuser:
            return pages
        return pages.exclude(pk__in=positions_hidden_from(user).values("pk"))


def register() -> None:
    """Answer for every page type (more specific than Wagtail's own `AbstractPage`)."""
    register_permission_policy(Page, PositionPagePermissionPolicy(Page))
