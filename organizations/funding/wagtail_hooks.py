"""Funding in the Wagtail admin: the "Funding" menu group, who may do what on its
screens, the allocation status screen and the listing buttons. Wagtail loads this module
because the funding app is installed; the viewsets are in `admin`, the rules in
`permissions`."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from . import status_admin
from .admin import FundingViewSetGroup
from .models import Allocation, Programme, ProgrammeBudget, ServiceLoad
from .permissions import (
    AllocationPermissionPolicy,
    ProgrammeBudgetPermissionPolicy,
    ProgrammePermissionPolicy,
    ServiceLoadPermissionPolicy,
)

# Registered before the viewsets ask for them (Wagtail would otherwise fall back to its
# model permissions, which know nothing of finance staff or organization editors).
register_permission_policy(Programme, ProgrammePermissionPolicy())
register_permission_policy(ProgrammeBudget, ProgrammeBudgetPermissionPolicy())
register_permission_policy(Allocation, AllocationPermissionPolicy())
register_permission_policy(ServiceLoad, ServiceLoadPermissionPolicy())

register_snippet(FundingViewSetGroup)


@hooks.register("register_admin_urls")
def register_funding_admin_urls() -> list:
    return [
        path(
            "organizations/allocations/<int:pk>/status/",
            status_admin.AllocationStatusView.as_view(),
            name=status_admin.URL_NAME,
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def funding_listing_buttons(snippet, user, next_url=None):
    """A programme links to its budgets; an allocation to its next status (the listing
    holds only allocations of programmes the user manages; the screen checks again)."""
    if isinstance(snippet, Programme):
        yield Button(
            _("Budgets"),
            reverse("wagtailsnippets_organizations_programmebudget:list")
            + f"?programme={snippet.pk}",
            icon_name="table",
            priority=15,
        )
    if isinstance(snippet, Allocation) and (label := status_admin.next_step_label(snippet)):
        yield Button(
            label,
            reverse(status_admin.URL_NAME, args=[snippet.pk]),
            icon_name="tick",
            priority=15,
        )
