from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcertationConfig(AppConfig):
    name = "concertation"
    verbose_name = _("Concertation site")

    def ready(self) -> None:
        from django.core import checks
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import page_cache
        from .ratelimits import check_rates

        checks.register(check_rates)
        # The public page cache: every write to a content table makes its pages stale.
        connection_created.connect(page_cache.watch_connection)
        page_cache.watch_all_connections()
        post_migrate.connect(page_cache.bump_after_migrate, sender=self)
