"""The admin screen of a round's invitations: the e-mails queued, held, sent or failed
for it, and the button that pauses or resumes them.

Who may: the round's staff (`follows.invitations.may_pause`, the round state screen's
rule), never anyone else; the screen lists the recipients' addresses, which only the
staff may see. Its header button is on the round's page in the admin.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button

from consultations.models import ConsultationRoundPage

from .invitations import is_paused, may_pause, pause, resume
from .models import Delivery, DeliveryKind

URL_NAME = "follows_round_invitations"


class RoundInvitationsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "follows/admin/round_invitations.html"
    page_title = _("Invitations of a round")
    header_icon = "mail"

    def dispatch(self, request: HttpRequest, *args, pk: int, **kwargs) -> HttpResponse:
        self.round_page = get_object_or_404(ConsultationRoundPage, pk=pk)
        if not may_pause(request.user, self.round_page):
            raise PermissionDenied
        self.record = self.round_page.record
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return self.round_page.title

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs) -> dict:
        deliveries = (
            Delivery.objects.filter(
                round=self.record, kind__in=(DeliveryKind.INVITATION, DeliveryKind.REMINDER)
            )
            .select_related("user")
            .order_by("kind", "email")
        )
        return {
            **super().get_context_data(**kwargs),
            "round": self.round_page,
            "paused": is_paused(self.record),
            "deliveries": deliveries,
        }

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        action = request.POST.get("action")
        if action == "pause":
            pause(self.round_page, request.user)
            messages.success(
                request,
                _("The invitations and reminders of “%(round)s” are paused.")
                % {"round": self.round_page.title},
            )
        elif action == "resume":
            released = resume(self.round_page, request.user)
            messages.success(
                request,
                _("The invitations and reminders of “%(round)s” resumed (%(count)d released).")
                % {"round": self.round_page.title, "count": released},
            )
        else:
            messages.error(request, _("Choose to pause or to resume (the “action” field)."))
            return self.render_to_response(self.get_context_data(), status=400)
        return redirect(reverse(URL_NAME, args=[self.round_page.pk]))


@hooks.register("register_admin_urls")
def register_round_invitations_url() -> list:
    return [
        path(
            "follows/rounds/<int:pk>/invitations/",
            RoundInvitationsView.as_view(),
            name=URL_NAME,
        )
    ]


@hooks.register("register_page_header_buttons")
def round_invitations_button(page, user, view_name, next_url=None):
    specific = page.specific_deferred
    if isinstance(specific, ConsultationRoundPage) and may_pause(user, specific):
        yield Button(
            _("Invitations"),
            reverse(URL_NAME, args=[page.pk]),
            icon_name="mail",
            priority=45,
        )
