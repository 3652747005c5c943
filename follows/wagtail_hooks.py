"""The follows' admin wiring, one module a part, registered on import: the "E-mails"
screen (here) and a round's invitations (`invitation_admin`)."""

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import invitation_admin  # noqa: F401 - a round's invitations: the queue, pause and resume
from .admin_views import URL_NAME, EmailsView, user_may_see_emails


class EmailsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return user_may_see_emails(request.user)


@hooks.register("register_admin_urls")
def register_emails_url() -> list:
    return [path("follows/emails/", EmailsView.as_view(), name=URL_NAME)]


@hooks.register("register_reports_menu_item")
def register_emails_menu_item() -> MenuItem:
    """The sending's queue, what was sent, bounces and suspended addresses."""
    return EmailsMenuItem(_("E-mails"), reverse(URL_NAME), name="follows-emails", icon_name="mail")
