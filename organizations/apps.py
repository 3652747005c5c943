from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        from concertation.roles import register

        from . import signals
        from .permissions import ROLES

        signals.connect()
        register(*ROLES)
