from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataConfig(AppConfig):
    """The open-data API `/api/v1/` (docs/api.md): the public record, read-only, as JSON."""

    name = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        """Register the resources (`opendata.resources.RESOURCE_MODULES`) before the
        URLs are read."""
        from .resources import RESOURCE_MODULES

        for module in RESOURCE_MODULES:
            import_module(module)
