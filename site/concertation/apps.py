from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcertationConfig(AppConfig):
    name = "concertation"
    verbose_name = _("Concertation site")

    def ready(self) -> None:
        from django.core import checks

        from .ratelimits import check_rates

        checks.register(check_rates)
