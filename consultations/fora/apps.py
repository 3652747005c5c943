from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForaConfig(AppConfig):
    """The roundtables: fora, their seats and holders, meetings and the burden they put on
    organizations. Nested in `consultations/` because a forum is a consultation body; its
    models keep the tables they had in the consultations app."""

    name = "consultations.fora"
    label = "fora"
    verbose_name = _("Fora")

    def ready(self) -> None:
        from . import burden_summary

        burden_summary.connect()
