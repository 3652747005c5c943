"""The admin screen "Co-signature requests", for the editors of the organizations named
as co-signers, and the hooks that turn a position form's co-signers into requests.

An organization's editors see the briefs and positions that name it as co-signer —
what they are asked to sign: the title, who asks, the summary or the text — and confirm
or decline each request; they may later withdraw a confirmation. They see no other
organization's requests: answering one that does not name an organization they edit
answers 404, so nobody learns another's requests exist.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .admin_forms import co_signers_field
from .models import CoSignatureState, PositionCoSignature, PositionPage, SubmissionCoSignature
from .permissions.cosigning import may_answer, organizations_answering_for
from .services.cosigning import answer_co_signature, name_position_co_signers

LIST_URL_NAME = "consultations_co_signatures"
ANSWER_URL_NAME = "consultations_answer_co_signature"

# The kinds of co-signature, as they appear in the screen's URLs.
KINDS = {"brief": SubmissionCoSignature, "position": PositionCoSignature}
DECISIONS = {"confirm": True, "decline": False}


class CoSignatureRequestsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "consultations/admin/co_signatures.html"
    page_title = _("Co-signature requests")
    header_icon = "group"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not organizations_answering_for(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs) -> dict:
        user = self.request.user
        briefs = SubmissionCoSignature.objects.addressed_to(user).select_related(
            "organization", "submission__organization", "submission__round", "decided_by"
        )
        positions = PositionCoSignature.objects.addressed_to(user).select_related(
            "organization", "position__organization", "decided_by"
        )
        rows = [
            {
                "kind": "brief",
                "co_signature": co_signature,
                "title": co_signature.submission.title,
                "asked_by": co_signature.submission.organization,
                "where": co_signature.submission.round.title,
                "text": co_signature.submission.redacted_summary(),
            }
            for co_signature in briefs
        ] + [
            {
                "kind": "position",
                "co_signature": co_signature,
                # What is asked is the text as its authors last saved it.
                "title": (latest := co_signature.position.get_latest_revision_as_object()).title,
                "asked_by": co_signature.position.organization,
                "where": _("Position"),
                "text": latest.body,
                "is_position": True,
            }
            for co_signature in positions
        ]
        rows.sort(
            key=lambda row: (
                not row["co_signature"].is_requested,
                -row["co_signature"].requested_at.timestamp(),
            )
        )
        return {**super().get_context_data(**kwargs), "rows": rows}


class AnswerCoSignatureView(View):
    """POST only: confirm or decline one request, then back to the list."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, kind: str, pk: int, decision: str) -> HttpResponse:
        if kind not in KINDS or decision not in DECISIONS:
            raise Http404
        co_signature = get_object_or_404(KINDS[kind], pk=pk)
        if not may_answer(request.user, co_signature.organization_id):
            raise Http404
        try:
            answer_co_signature(co_signature, request.user, confirm=DECISIONS[decision])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if co_signature.state == CoSignatureState.CONFIRMED:
                messages.success(request, _("Your organization co-signs it: it is now shown."))
            else:
                messages.success(request, _("Declined: your organization is not shown with it."))
        return redirect(LIST_URL_NAME)


class CoSignatureRequestsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return organizations_answering_for(request.user).exists()


@hooks.register("register_admin_urls")
def register_co_signature_urls() -> list:
    return [
        path(
            "consultations/co-signatures/",
            CoSignatureRequestsView.as_view(),
            name=LIST_URL_NAME,
        ),
        path(
            "consultations/co-signatures/<str:kind>/<int:pk>/<str:decision>/",
            AnswerCoSignatureView.as_view(),
            name=ANSWER_URL_NAME,
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_co_signature_menu_item() -> MenuItem:
    return CoSignatureRequestsMenuItem(
        _("Co-signature requests"),
        reverse(LIST_URL_NAME),
        name="co-signature-requests",
        icon_name="group",
        order=335,
    )


class _CoSignersForm(forms.Form):
    """The position form's co-signers, read again from the request once the page is
    saved (the page form has validated them already)."""

    co_signers = co_signers_field()


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def ask_position_co_signers(request: HttpRequest, page) -> None:
    """The organizations named in a position's form are asked to co-sign it."""
    if not isinstance(page.specific_deferred, PositionPage):
        return
    form = _CoSignersForm(request.POST)
    if not form.is_valid():
        return
    try:
        name_position_co_signers(page.specific, form.cleaned_data["co_signers"], request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
