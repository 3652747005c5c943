"""The admin's "E-mails" screen: what waits to be sent (queued, held, failed and due
again, and rows a crash left sending), what was sent, what bounced or was given up, and
the addresses suspended after bounces — with "send again" and "lift the suspension".

Shown to superusers and to staff with the model permission `follows.view_delivery`
(given through a group); the actions need the same permission: they only ask the sender
to try again, or let an address receive e-mail again. Addresses are shown here, to the
staff, and nowhere else.
"""

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .mail import schedule
from .models import Delivery, DeliveryState, Subscriber

VIEW_PERMISSION = "follows.view_delivery"
URL_NAME = "follows_emails"
ROWS = 50

# The screen's tabs: the states each lists.
TABS: dict[str, tuple[str, tuple[str, ...]]] = {
    "queue": (
        gettext_lazy("Waiting"),
        (DeliveryState.QUEUED, DeliveryState.HELD, DeliveryState.FAILED, DeliveryState.SENDING),
    ),
    "sent": (gettext_lazy("Sent"), (DeliveryState.SENT,)),
    "problems": (
        gettext_lazy("Bounced or given up"),
        (DeliveryState.BOUNCED, DeliveryState.GAVE_UP),
    ),
}
# What "send again" may take back to the queue: never a row sent, queued or held.
SENDABLE_AGAIN = (
    DeliveryState.FAILED,
    DeliveryState.GAVE_UP,
    DeliveryState.SENDING,
    DeliveryState.BOUNCED,
)


def user_may_see_emails(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.is_active and user.has_perm(VIEW_PERMISSION)


class EmailsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "follows/admin/emails.html"
    header_icon = "mail"

    def get_page_title(self) -> str:
        return _("E-mails")

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not user_may_see_emails(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs) -> dict:
        tab = self.request.GET.get("show", "queue")
        if tab not in TABS and tab != "suspended":
            tab = "queue"
        counts = dict(
            Delivery.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
        )
        context = {
            **super().get_context_data(**kwargs),
            "tab": tab,
            "tabs": [
                (name, label, sum(counts.get(state, 0) for state in states))
                for name, (label, states) in TABS.items()
            ],
            "suspended_count": Subscriber.objects.filter(suspended_at__isnull=False).count(),
            "counts": {label: counts.get(value, 0) for value, label in DeliveryState.choices},
            "sendable_again": SENDABLE_AGAIN,
        }
        if tab == "suspended":
            context["subscribers"] = list(
                Subscriber.objects.filter(suspended_at__isnull=False).order_by("-suspended_at")[
                    :ROWS
                ]
            )
        else:
            order = "-sent_at" if tab == "sent" else "-created_at"
            context["deliveries"] = list(
                Delivery.objects.filter(state__in=TABS[tab][1]).order_by(order, "-pk")[:ROWS]
            )
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        action = request.POST.get("action")
        pk = request.POST.get("pk", "")
        if not pk.isdigit() or action not in ("send_again", "lift"):
            messages.error(request, _("Choose an e-mail to send again or an address to restore."))
            return HttpResponseRedirect(reverse(URL_NAME))
        if action == "lift":
            lifted = Subscriber.objects.filter(pk=pk, suspended_at__isnull=False).update(
                suspended_at=None, bounce_count=0
            )
            if lifted:
                messages.success(request, _("The address receives e-mails again."))
            else:
                messages.error(request, _("This address is not suspended."))
            return HttpResponseRedirect(reverse(URL_NAME) + "?show=suspended")
        with transaction.atomic():
            again = Delivery.objects.filter(pk=pk, state__in=SENDABLE_AGAIN).update(
                state=DeliveryState.QUEUED, next_attempt_at=None, attempts=0, last_error=""
            )
            if again:
                schedule([int(pk)])
        if again:
            messages.success(request, _("The e-mail is queued to be sent again."))
        else:
            messages.error(request, _("This e-mail cannot be sent again: it was sent or waits."))
        return HttpResponseRedirect(reverse(URL_NAME))
