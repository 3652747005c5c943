"""The admin screen "Assign a holder" of a seat, for the managers of its forum.

It gives the seat to an organization for a term (`consultations.fora.services.assign_seat`)
or ends the current holder's term (`end_term`). The service locks the seat, so of two
managers assigning the last vacant seat at once one succeeds and the other sees, on this
form, who holds the seat now; nothing of the refused assignment is stored.
"""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput
from wagtail.snippets.widgets import AdminSnippetChooser

from concertation.formats import day
from organizations.models import Organization

from .models import Seat, SeatTerm
from .permissions import manages_forum
from .services import assign_seat, end_term

URL_NAME = "consultations_seat_holder"


class AssignHolderForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Holder"),
        queryset=Organization.objects.all(),
        widget=AdminSnippetChooser(Organization),
    )
    delegate = forms.CharField(
        label=_("Delegate"),
        max_length=SeatTerm._meta.get_field("delegate").max_length,
        required=False,
        help_text=_("The person the organization sends; its editors can name them later."),
    )
    starts_on = forms.DateField(label=_("Term starts"), widget=AdminDateInput)
    ends_on = forms.DateField(
        label=_("Term ends"),
        required=False,
        widget=AdminDateInput,
        help_text=_("The first day it is no longer held; leave empty for an open term."),
    )


class EndTermForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Vacant from"),
        widget=AdminDateInput,
        help_text=_("The first day the seat is no longer held."),
    )

    def __init__(self, *args, term: SeatTerm, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.term = term

    def clean_ends_on(self) -> datetime.date:
        ends_on = self.cleaned_data["ends_on"]
        # Pushing a set end later could run into the next holder's term: refused here,
        # a new term is assigned instead.
        if self.term.ends_on is not None and ends_on >= self.term.ends_on:
            raise ValidationError(
                _("This term already ends on %(date)s; it can only be ended earlier."),
                params={"date": day(self.term.ends_on)},
            )
        return ends_on


def term_to_end(seat: Seat, today: datetime.date) -> SeatTerm | None:
    """The open-ended term, or else the term held today: what "End the current term" ends."""
    terms = SeatTerm.objects.filter(seat=seat).select_related("organization")
    return terms.filter(ends_on__isnull=True).first() or terms.active_on(today).first()


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class SeatHolderView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "fora/admin/seat_holder.html"
    page_title = _("Assign a holder")
    header_icon = "user"

    def dispatch(self, request: HttpRequest, *args, pk: int, **kwargs) -> HttpResponse:
        self.seat = get_object_or_404(Seat.objects.select_related("forum"), pk=pk)
        if not manages_forum(request.user, self.seat.forum):
            raise PermissionDenied
        self.today = timezone.localdate()
        self.current = term_to_end(self.seat, self.today)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return str(self.seat)

    def get_breadcrumbs_items(self) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailsnippets_consultations_seat:list"),
                "label": capfirst(Seat._meta.verbose_name_plural),
            },
            {
                "url": reverse("wagtailsnippets_consultations_seat:edit", args=[self.seat.pk]),
                "label": str(self.seat),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def _end_form(self, data=None) -> EndTermForm | None:
        if self.current is None:
            return None
        return EndTermForm(data, term=self.current, prefix="end", initial={"ends_on": self.today})

    def get_context_data(self, **kwargs) -> dict:
        kwargs.setdefault(
            "assign_form", AssignHolderForm(prefix="assign", initial={"starts_on": self.today})
        )
        kwargs.setdefault("end_form", self._end_form())
        context = super().get_context_data(**kwargs)
        context.update(
            seat=self.seat,
            current=self.current,
            terms=SeatTerm.objects.filter(seat=self.seat).select_related("organization"),
            media=context["assign_form"].media,
        )
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if "end_term" in request.POST:
            return self._end(request)
        return self._assign(request)

    def _assign(self, request: HttpRequest) -> HttpResponse:
        form = AssignHolderForm(request.POST, prefix="assign")
        if form.is_valid():
            try:
                term = assign_seat(
                    self.seat,
                    form.cleaned_data["organization"],
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                    delegate=form.cleaned_data["delegate"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(holder)s holds “%(seat)s” from %(start)s.")
                    % {
                        "holder": term.organization,
                        "seat": self.seat.label,
                        "start": day(term.starts_on),
                    },
                )
                return redirect(URL_NAME, self.seat.pk)
        return self.render_to_response(self.get_context_data(assign_form=form))

    def _end(self, request: HttpRequest) -> HttpResponse:
        form = self._end_form(request.POST)
        if form is None:
            messages.error(request, _("This seat has no current holder."))
            return redirect(URL_NAME, self.seat.pk)
        if form.is_valid():
            try:
                term = end_term(self.current, form.cleaned_data["ends_on"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The term of %(holder)s ends; “%(seat)s” is vacant from %(end)s.")
                    % {
                        "holder": self.current.organization,
                        "seat": self.seat.label,
                        "end": day(term.ends_on),
                    },
                )
                return redirect(URL_NAME, self.seat.pk)
        return self.render_to_response(self.get_context_data(end_form=form))
