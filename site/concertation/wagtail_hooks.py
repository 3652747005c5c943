"""Admin entries of the project shell: the "Locked-out logins" report."""

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .lockout_admin import URL_NAME, LockedLoginsView
from .login_throttling import may_unlock_logins


class LockedLoginsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return may_unlock_logins(request.user)


@hooks.register("register_admin_urls")
def register_locked_logins_url() -> list:
    return [path("locked-logins/", LockedLoginsView.as_view(), name=URL_NAME)]


@hooks.register("register_reports_menu_item")
def register_locked_logins_menu_item() -> MenuItem:
    return LockedLoginsMenuItem(
        _("Locked-out logins"), reverse(URL_NAME), name="locked-logins", icon_name="lock"
    )
