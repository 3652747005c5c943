from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Policies and consultations")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from . import page_policy
        from .models import PositionIndexPage
        from .positions import on_position_index_saved
        from .public_copies import signals as public_copy_signals  # noqa: F401 - connects them

        post_save.connect(
            on_position_index_saved,
            sender=PositionIndexPage,
            dispatch_uid="consultations.position_index_permissions",
        )
        # Before any code asks the registry for the page policy.
        page_policy.register()
