"""The admin's "Response points" screens: the stewards of a round draft the government's
answers point by point, until the response is published and the points are on the record.

Who may: the stewards of the point's round (`RoundStewardPermissionPolicy`). The form
offers only the rounds the user manages and their submissions; the writes go through
`consultations.services.responses`, which refuses any change once the response is published.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from concertation.object_permissions import (
    ObjectPermissionDeleteView,
    ObjectPermissionEditView,
    ObjectPermissionViewSetMixin,
)

from .admin_permissions import StewardChooserViewSet
from .models import ConsultationRoundPage, ResponsePoint, Submission
from .permissions.stewardship import managed_rounds
from .services.responses import check_response_open, lock_open_rounds, record_point


def _submission_label(submission: Submission) -> str:
    return f"{submission.title} — {submission.organization.name} ({submission.round.title})"


class ResponsePointForm(WagtailAdminModelForm):
    """Offers only the rounds the user manages, and their submissions; a point cites the
    submissions of its own round, and no point of a published response changes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        rounds = (
            managed_rounds(self.for_user)
            if self.for_user is not None
            else ConsultationRoundPage.objects.none()
        )
        # A translated round shares its record's response: points go to the record.
        rounds = rounds.records()
        self.fields["round"].queryset = rounds.order_by("-opens_on", "title")
        submissions = self.fields["submissions"]
        submissions.queryset = (
            Submission.objects.filter(round__in=rounds.values("pk"))
            .select_related("organization", "round")
            .order_by("round__title", "submitted_at")
        )
        submissions.label_from_instance = _submission_label

    def clean(self) -> dict:
        cleaned_data = super().clean()
        round_page = cleaned_data.get("round")
        if self.instance.pk:
            # The instance still holds the stored round: the form copies the cleaned
            # values onto it only after this method.
            self._refuse_if_on_record(None, self.instance.round)
        if round_page is not None and round_page.pk != self.instance.round_id:
            self._refuse_if_on_record("round", round_page)
        if round_page is not None and "submissions" in cleaned_data:
            try:
                ResponsePoint(round=round_page).clean_submissions(cleaned_data["submissions"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data

    def _refuse_if_on_record(self, field: str | None, round_page: ConsultationRoundPage) -> None:
        try:
            check_response_open(round_page)
        except ValidationError as error:
            self.add_error(field, error)

    def save(self, commit: bool = True) -> ResponsePoint:
        if not commit:
            return super().save(commit=False)
        return record_point(self.instance, self.cleaned_data.get("submissions", []))


class ResponsePointFilterSet(WagtailFilterSet):
    round = django_filters.ModelChoiceFilter(
        label=_("Round"), queryset=lambda request: managed_rounds(request.user)
    )
    changed_in_next_version = django_filters.BooleanFilter(label=_("Changed in the next version"))

    class Meta:
        model = ResponsePoint
        fields = ["round", "changed_in_next_version"]


class RefusalOnFormMixin:
    """Shows a refusal raised while saving (the response was published meanwhile) on the
    form instead of failing."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)


class ResponsePointCreateView(RefusalOnFormMixin, CreateView):
    pass


class ResponsePointEditView(RefusalOnFormMixin, ObjectPermissionEditView):
    def get(self, request, *args, **kwargs):
        try:
            check_response_open(self.object.round)
        except ValidationError as error:
            messages.warning(request, error.message)
        return super().get(request, *args, **kwargs)


class ResponsePointDeleteView(ObjectPermissionDeleteView):
    """Refuses, with the reason, to delete a point of a published response."""

    def dispatch(self, request, *args, **kwargs):
        try:
            check_response_open(self.object.round)
        except ValidationError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def delete_action(self) -> None:
        with transaction.atomic():
            lock_open_rounds(self.object.round_id)
            super().delete_action()


class ResponsePointViewSet(ObjectPermissionViewSetMixin, SnippetViewSet):
    model = ResponsePoint
    icon = "openquote"
    menu_label = _("Response points")
    menu_name = "response-points"
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["said", "round", "position", "section", "changed_in_next_version"]
    filterset_class = ResponsePointFilterSet
    search_fields = ["said", "response"]
    add_view_class = ResponsePointCreateView
    edit_view_class = ResponsePointEditView
    delete_view_class = ResponsePointDeleteView
    chooser_viewset_class = StewardChooserViewSet
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("round", widget=forms.Select), FieldPanel("position")]),
            FieldPanel("said"),
            FieldPanel("submissions", widget=forms.CheckboxSelectMultiple),
            FieldPanel("response"),
            FieldPanel("said_translation"),
            FieldPanel("response_translation"),
            FieldRowPanel([FieldPanel("section"), FieldPanel("changed_in_next_version")]),
        ],
        base_form_class=ResponsePointForm,
    )
