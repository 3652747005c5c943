from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Archive search")

    def ready(self) -> None:
        # Each indexed app declares how its records become search documents in its own
        # `documents.py`; importing those modules fills the registry.
        autodiscover_modules("documents")
        from . import folding, signals

        signals.connect()
        folding.install()
