"""The admin's "Locked-out logins" report: the accounts refused from an address after too
many wrong passwords (`concertation.login_throttling`), each with an "Unlock" button.

Shown to superusers and to staff holding `axes.delete_accessattempt`; everyone else,
organization editors included, is refused: unlocking lets guessing start again.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .login_throttling import locked_logins, may_unlock_logins, unlock_login

URL_NAME = "concertation_locked_logins"


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=255)
    ip_address = forms.GenericIPAddressField()


class LockedLoginsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "concertation/admin/locked_logins.html"
    header_icon = "lock"

    def get_page_title(self) -> str:
        return _("Locked-out logins")

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_unlock_logins(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(locked=locked_logins(), **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        """Unlock one account at one address."""
        form = UnlockForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a locked-out login to unlock."))
        elif unlock_login(form.cleaned_data["username"], form.cleaned_data["ip_address"]):
            messages.success(
                request,
                _("“%(username)s” may sign in again from %(address)s.")
                % {
                    "username": form.cleaned_data["username"],
                    "address": form.cleaned_data["ip_address"],
                },
            )
        else:
            messages.warning(request, _("That login was not locked out."))
        return HttpResponseRedirect(reverse(URL_NAME))
