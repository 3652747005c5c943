from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    """Funding programmes, their budgets, allocations to organizations and the service
    load organizations carry: an app of its own, nested in organizations, whose models
    keep the tables they had when they lived in the organizations app."""

    name = "organizations.funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        from concertation.roles import register

        from .permissions import ROLES

        register(*ROLES)
