"""Admin wiring for consultations: the round state screen and its header button."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from .admin_views import URL_NAME, RoundStateView
from .models import ConsultationRoundPage


@hooks.register("register_admin_urls")
def register_round_state_url() -> list:
    return [path("consultations/rounds/<int:pk>/state/", RoundStateView.as_view(), name=URL_NAME)]


@hooks.register("register_page_header_buttons")
def round_state_button(page, user, view_name, next_url=None):
    specific = page.specific_deferred
    if isinstance(specific, ConsultationRoundPage) and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Change the state"),
            reverse(URL_NAME, args=[page.pk]),
            icon_name="cogs",
            priority=40,
        )
