"""The admin screen that moves an allocation one step: draft → approved → published.

For the finance staff of the allocation's programme. The step goes through
`organizations.funding.services.change_status`, so approving checks the programme-year's budget
with its row locked: when the money is gone the refusal is shown, naming how much
remains, and the allocation keeps its status. The screen first shows what approving
would leave of the budget. (Moving back to draft is done in the allocation's form.)
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import Allocation, AllocationStatus, ProgrammeBudget, fiscal_year_label
from .permissions import manages_programme
from .services import change_status, committed_in

URL_NAME = "organizations_allocation_status"
LIST_URL_NAME = "wagtailsnippets_organizations_allocation:list"
EDIT_URL_NAME = "wagtailsnippets_organizations_allocation:edit"

NEXT_STATUS = {
    AllocationStatus.DRAFT: AllocationStatus.APPROVED,
    AllocationStatus.APPROVED: AllocationStatus.PUBLISHED,
}
STEP_LABELS = {
    AllocationStatus.APPROVED: _("Approve"),
    AllocationStatus.PUBLISHED: _("Publish"),
}
STEP_DONE = {
    AllocationStatus.APPROVED: _("%(allocation)s is approved."),
    AllocationStatus.PUBLISHED: _("%(allocation)s is published."),
}


def next_step_label(allocation: Allocation) -> str | None:
    """ "Approve" for a draft, "Publish" for an approved allocation, else nothing."""
    following = NEXT_STATUS.get(allocation.status)
    return STEP_LABELS[following] if following else None


class AllocationStatusView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "funding/admin/allocation_status.html"
    header_icon = "tick"

    def dispatch(self, request: HttpRequest, *args, pk: int, **kwargs) -> HttpResponse:
        self.allocation = get_object_or_404(
            Allocation.objects.select_related("organization", "programme"), pk=pk
        )
        if not manages_programme(request.user, self.allocation.programme):
            raise PermissionDenied
        self.next_status = NEXT_STATUS.get(self.allocation.status)
        if self.next_status is None:
            messages.error(request, _("This allocation is already published."))
            return redirect(LIST_URL_NAME)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return str(STEP_LABELS[self.next_status])

    def get_page_subtitle(self) -> str:
        return str(self.allocation)

    def get_breadcrumbs_items(self) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(LIST_URL_NAME),
                "label": capfirst(Allocation._meta.verbose_name_plural),
            },
            {
                "url": reverse(EDIT_URL_NAME, args=[self.allocation.pk]),
                "label": str(self.allocation),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        allocation = self.allocation
        budget = ProgrammeBudget.objects.filter(
            programme=allocation.programme, fiscal_year=allocation.fiscal_year
        ).first()
        committed = committed_in(
            allocation.programme, allocation.fiscal_year, excluding=allocation.pk
        )
        context.update(
            allocation=allocation,
            fiscal_year=fiscal_year_label(allocation.fiscal_year),
            next_status=self.next_status,
            step=STEP_LABELS[self.next_status],
            budget=budget,
            committed=committed,
            remaining_after=(budget.amount - committed - allocation.amount)
            if budget is not None
            else None,
            zero=Decimal(0),
        )
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.POST.get("status") != self.next_status:
            # The allocation moved on since the screen was shown: show it again.
            messages.error(request, _("This allocation's status changed; check it again."))
            return redirect(URL_NAME, self.allocation.pk)
        try:
            change_status(request.user, self.allocation, self.next_status)
        except ValidationError as error:
            self.allocation.refresh_from_db()
            return self.render_to_response(self.get_context_data(refusals=error.messages))
        messages.success(request, STEP_DONE[self.next_status] % {"allocation": self.allocation})
        return redirect(LIST_URL_NAME)
