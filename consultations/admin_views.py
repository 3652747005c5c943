"""The admin screen that moves a consultation round along its lifecycle.

Who may: the secretariat staff given the round or its policy
(`consultations.permissions.stewardship`), never anyone else.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import ConsultationRoundPage, RoundState
from .permissions.stewardship import manages_round
from .services.rounds import change_round_state

URL_NAME = "consultations_round_state"


class StateChangeForm(forms.Form):
    new_state = forms.ChoiceField(label=_("New state"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (required to abandon a round)"), widget=forms.Textarea, required=False
    )
    reason_translation = forms.CharField(
        label=_("The reason, translated"),
        help_text=_(
            "In the site's other language (French for a round recorded in English), shown on "
            "the round's translated page; left empty, that page shows the reason as typed."
        ),
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args, round_page: ConsultationRoundPage, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_state"].choices = [
            (state, RoundState(state).label) for state in round_page.next_states
        ]


class RoundStateView(WagtailAdminTemplateMixin, FormView):
    form_class = StateChangeForm
    template_name = "consultations/admin/round_state.html"
    page_title = _("Change the state of a round")
    header_icon = "cogs"

    def dispatch(self, request: HttpRequest, *args, pk: int, **kwargs) -> HttpResponse:
        self.round_page = get_object_or_404(ConsultationRoundPage, pk=pk)
        if not manages_round(request.user, self.round_page):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return self.round_page.title

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "round_page": self.round_page}

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "round": self.round_page}

    def form_valid(self, form: StateChangeForm) -> HttpResponse:
        try:
            change_round_state(
                self.round_page,
                form.cleaned_data["new_state"],
                reason=form.cleaned_data["reason"],
                reason_translation=form.cleaned_data["reason_translation"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("“%(round)s” is now %(state)s.")
            % {"round": self.round_page.title, "state": self.round_page.get_state_display()},
        )
        return redirect(reverse(URL_NAME, args=[self.round_page.pk]))
