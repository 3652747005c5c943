from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Policies and consultations")

    def ready(self) -> None:
        from django.db.models.signals import post_save
        from wagtail.signals import copy_for_translation_done

        from concertation.roles import register as register_roles

        from . import page_policy
        from .models import PositionIndexPage
        from .permissions import ROLES
        from .permissions.positions import on_position_index_saved
        from .permissions.stewardship import on_translation_copied
        from .public_copies import signals as public_copy_signals  # noqa: F401 - connects them

        copy_for_translation_done.connect(
            on_translation_copied, dispatch_uid="consultations.steward_translations"
        )
        post_save.connect(
            on_position_index_saved,
            sender=PositionIndexPage,
            dispatch_uid="consultations.position_index_permissions",
        )
        # Before any code asks the registry for the page policy.
        page_policy.register()
        register_roles(*ROLES)
        self._connect_pages_to_forms_and_views()

    def _connect_pages_to_forms_and_views(self) -> None:
        """Give the page models their admin forms and the views of their own routes.

        Models never import forms or views (import-linter enforces it): forms and views
        import the models, and the reverse import would close a circle. Wagtail reads
        `base_form_class` when it first builds a page's edit form, after this."""
        from . import page_routes, views
        from .admin_forms import PolicyVersionForm, PositionForm
        from .models import PolicyVersionPage, PositionPage

        PolicyVersionPage.base_form_class = PolicyVersionForm
        PositionPage.base_form_class = PositionForm
        page_routes.register("policy.compare", views.compare_versions)
        page_routes.register("round.submit", views.submit_to_round)
        page_routes.register("round.edit_submission", views.edit_submission)
        page_routes.register("round.withdraw_submission", views.withdraw_submission)
