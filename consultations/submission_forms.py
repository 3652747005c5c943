"""The public forms an organization's editors send and change a brief with.

What the forms offer, rather than what the services accept: "On behalf of" chosen among
the organizations the user edits (set, with no empty choice, when there is only one);
the sections answered chosen by their headings in the version under consultation (the
brief still records their anchors, "1, 2.3"); the co-signers ticked in a list of
organizations that a type-ahead narrows (`concertation.form_widgets.FilteredCheckboxes`).
"""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from concertation.form_widgets import FilteredCheckboxes
from organizations.models import Organization

from .models import ConsultationRoundPage, Publication, Submission, SubmissionDocument
from .models.submission import PUBLICITY
from .services.cosigning import named_co_signers

SECTIONS_SEPARATOR = ", "


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def split_sections(stored: str) -> list[str]:
    """The anchors a brief records ("1, 2.3"), one by one."""
    return [anchor.strip() for anchor in stored.split(",") if anchor.strip()]


class SectionsField(forms.MultipleChoiceField):
    """The sections of the version under consultation, ticked by heading; cleaned into
    the anchors as the brief stores them, in the version's order."""

    widget = forms.CheckboxSelectMultiple

    def clean(self, value: Any) -> str:
        chosen = set(super().clean(value))
        return SECTIONS_SEPARATOR.join(anchor for anchor, _l in self.choices if anchor in chosen)


def section_choices(round_page: ConsultationRoundPage, kept: list[str] = ()) -> list:
    """(anchor, "anchor — heading") for each section of the round's version, then any
    anchor in `kept` (a brief's earlier choice) the version does not have."""
    version = round_page.version
    choices = [
        (section["anchor"], f"{section['anchor']} — {section['heading']}")
        for section in (version.sections() if version is not None else [])
    ]
    known = {anchor for anchor, _label in choices}
    return [*choices, *((anchor, anchor) for anchor in kept if anchor not in known)]


def co_signers_field(help_text: str) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Organization.objects.order_by("name"),
        label=gettext_lazy("Co-signed by"),
        required=False,
        widget=FilteredCheckboxes(),
        help_text=help_text,
    )


class SubmissionForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        label=gettext_lazy("On behalf of"),
        empty_label=gettext_lazy("Choose the organization"),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=255)
    summary = forms.CharField(label=gettext_lazy("Summary"), widget=forms.Textarea)
    sections = forms.CharField(
        label=gettext_lazy("Sections answered"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Anchors of the sections this brief answers, e.g. 1, 2.3."),
    )
    co_signers = co_signers_field(
        gettext_lazy(
            "Each organization named is asked to confirm; it is shown with the brief only "
            "once one of its editors has."
        )
    )
    publication = forms.ChoiceField(
        label=gettext_lazy("Publication"),
        choices=Publication.choices,
        widget=forms.RadioSelect,
        initial=Publication.NAMED,
    )
    documents = MultipleFileField(
        label=gettext_lazy("Documents (PDF, DOCX or ODT)"), required=False
    )

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        round_page: ConsultationRoundPage,
        kept_sections: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        editable = list(organizations[:2])
        if len(editable) == 1:
            self.fields["organization"].empty_label = None
            self.fields["organization"].initial = editable[0].pk
        choices = section_choices(round_page, split_sections(kept_sections))
        if choices:
            self.fields["sections"] = SectionsField(
                label=gettext_lazy("Sections answered"),
                choices=choices,
                required=False,
                help_text=gettext_lazy("Tick the sections of the version this brief answers."),
            )


class EditSubmissionForm(SubmissionForm):
    """The submission form for a brief already sent: its organization is fixed, its
    documents may be removed, and once the round has stopped accepting submissions only
    a narrower publication choice is offered (the other fields are shown, fixed)."""

    remove_documents = forms.ModelMultipleChoiceField(
        queryset=SubmissionDocument.objects.none(),
        label=gettext_lazy("Remove these documents"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        submission: Submission,
        accepts_changes: bool,
        round_page: ConsultationRoundPage | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": submission.title,
                "summary": submission.summary,
                "sections": split_sections(submission.sections),
                "co_signers": [o.pk for o in named_co_signers(submission.co_signatures)],
                "publication": submission.publication,
            },
        )
        super().__init__(
            *args,
            organizations=Organization.objects.none(),
            round_page=round_page or submission.round,
            kept_sections=submission.sections,
            **kwargs,
        )
        if isinstance(self.fields["sections"], forms.CharField):
            self.initial["sections"] = submission.sections
        del self.fields["organization"]
        self.fields["documents"].label = gettext_lazy("Add documents (PDF, DOCX or ODT)")
        self.fields["remove_documents"].queryset = submission.documents.select_related("document")
        if accepts_changes:
            return
        del self.fields["documents"], self.fields["remove_documents"]
        for name in ("title", "summary", "sections", "co_signers"):
            self.fields[name].disabled = True
        publication = self.fields["publication"]
        publication.choices = [
            (value, label)
            for value, label in Publication.choices
            if PUBLICITY[value] <= PUBLICITY[submission.publication]
        ]
        publication.help_text = gettext_lazy(
            "The round has stopped accepting submissions: you may still publish the brief "
            "with less (without your name, or not at all), never with more."
        )
        publication.error_messages["invalid_choice"] = gettext_lazy(
            "After the deadline the publication choice can only be narrowed, never widened."
        )
