"""The admin screens "Our seats", for the editors of the organizations holding seats.

An organization speaks for itself on the seats it holds: its editors name the delegate
it sends (`consultations.fora.services.name_delegate`) and confirm whether it attended each
meeting of the seat's forum held during its term (`confirm_attendance`), which is what
the representation burden counts. They see the terms of the organizations they edit,
active and past, and no other organization's (a term of another answers 404). Who holds
a seat is the forum managers' business (`seat_holder_admin`), not theirs.
"""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from concertation.formats import day, number
from organizations.permissions import organizations_edited_by

from .models import Attendance, Meeting, SeatTerm
from .permissions import represented_terms, represents
from .seat_holder_admin import add_service_errors
from .services import confirm_attendance, name_delegate

LIST_URL_NAME = "consultations_our_seats"
TERM_URL_NAME = "consultations_our_seat_term"

ATTENDED, ABSENT = "yes", "no"


def meetings_during(term: SeatTerm, today: datetime.date) -> QuerySet[Meeting]:
    """The meetings of the seat's forum held while the organization held the seat (and
    already held: attendance is confirmed after the fact)."""
    meetings = Meeting.objects.filter(
        forum_id=term.seat.forum_id, held_on__gte=term.starts_on, held_on__lte=today
    )
    if term.ends_on is not None:
        meetings = meetings.filter(held_on__lt=term.ends_on)
    return meetings.order_by("-held_on")


class DelegateForm(forms.Form):
    delegate = forms.CharField(
        label=_("Delegate"),
        max_length=SeatTerm._meta.get_field("delegate").max_length,
        required=False,
        help_text=_("The person your organization sends to this forum; empty if no one yet."),
    )


class AttendanceForm(forms.Form):
    """One choice per meeting: attended or not. A meeting not yet confirmed may be left
    so; a confirmed one can be corrected but not unconfirmed."""

    def __init__(self, *args, meetings: list[Meeting], recorded: dict[int, bool], **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = {self.field_name(meeting): meeting for meeting in meetings}
        self.recorded = recorded
        for name, meeting in self.meetings.items():
            choices = [(ATTENDED, _("Attended")), (ABSENT, _("Did not attend"))]
            if meeting.pk not in recorded:
                choices.insert(0, ("", _("Not confirmed")))
                initial = ""
            else:
                initial = ATTENDED if recorded[meeting.pk] else ABSENT
            self.fields[name] = forms.ChoiceField(
                label=_("%(date)s — %(hours)s h, %(mode)s")
                % {
                    "date": day(meeting.held_on),
                    "hours": number(meeting.duration_hours, 2, trim=True),
                    "mode": meeting.get_mode_display(),
                },
                choices=choices,
                initial=initial,
                required=False,
                widget=forms.RadioSelect,
            )

    @staticmethod
    def field_name(meeting: Meeting) -> str:
        return f"meeting_{meeting.pk}"

    def changes(self) -> list[tuple[str, Meeting, bool]]:
        """(field, meeting, attended) for each answer given that differs from the record."""
        changed = []
        for name, meeting in self.meetings.items():
            answer = self.cleaned_data.get(name)
            if answer not in (ATTENDED, ABSENT):
                continue
            attended = answer == ATTENDED
            if self.recorded.get(meeting.pk) != attended:
                changed.append((name, meeting, attended))
        return changed


class OurSeatsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "fora/admin/our_seats.html"
    page_title = _("Our seats")
    header_icon = "user"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not organizations_edited_by(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs) -> dict:
        today = timezone.localdate()
        terms = (
            represented_terms(self.request.user)
            .select_related("organization", "seat__forum")
            .order_by("organization__name", "seat__forum__name", "seat__label", "-starts_on")
        )
        return {
            **super().get_context_data(**kwargs),
            "rows": [(term, term.is_active(today)) for term in terms],
        }


class OurSeatTermView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "fora/admin/our_seat_term.html"
    page_title = _("Our seat")
    header_icon = "user"

    def dispatch(self, request: HttpRequest, *args, pk: int, **kwargs) -> HttpResponse:
        self.term = get_object_or_404(
            SeatTerm.objects.select_related("organization", "seat__forum"), pk=pk
        )
        if not represents(request.user, self.term):
            raise Http404
        self.today = timezone.localdate()
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return str(self.term)

    def get_breadcrumbs_items(self) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse(LIST_URL_NAME), "label": OurSeatsView.page_title},
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def _attendance_form(self, data=None) -> AttendanceForm:
        recorded = dict(
            Attendance.objects.filter(term=self.term).values_list("meeting_id", "attended")
        )
        return AttendanceForm(
            data,
            meetings=list(meetings_during(self.term, self.today)),
            recorded=recorded,
            prefix="attendance",
        )

    def get_context_data(self, **kwargs) -> dict:
        kwargs.setdefault(
            "delegate_form",
            DelegateForm(prefix="delegate", initial={"delegate": self.term.delegate}),
        )
        kwargs.setdefault("attendance_form", self._attendance_form())
        return {
            **super().get_context_data(**kwargs),
            "term": self.term,
            "active": self.term.is_active(self.today),
        }

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if "confirm_attendance" in request.POST:
            return self._confirm(request)
        return self._name_delegate(request)

    def _name_delegate(self, request: HttpRequest) -> HttpResponse:
        form = DelegateForm(request.POST, prefix="delegate")
        if form.is_valid():
            try:
                name_delegate(self.term, form.cleaned_data["delegate"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The delegate is recorded."))
                return redirect(TERM_URL_NAME, self.term.pk)
        return self.render_to_response(self.get_context_data(delegate_form=form))

    def _confirm(self, request: HttpRequest) -> HttpResponse:
        form = self._attendance_form(request.POST)
        if form.is_valid():
            changes = form.changes()
            try:
                with transaction.atomic():
                    for name, meeting, attended in changes:
                        try:
                            confirm_attendance(
                                meeting, self.term, attended=attended, user=request.user
                            )
                        except ValidationError as error:
                            form.add_error(name, error.messages)
                            raise
            except ValidationError:
                pass
            else:
                if changes:
                    messages.success(
                        request,
                        ngettext(
                            "Attendance confirmed for %(count)d meeting.",
                            "Attendance confirmed for %(count)d meetings.",
                            len(changes),
                        )
                        % {"count": len(changes)},
                    )
                else:
                    messages.info(request, _("No attendance changed."))
                return redirect(TERM_URL_NAME, self.term.pk)
        return self.render_to_response(self.get_context_data(attendance_form=form))
