"""Views that policy pages route to."""

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import get_objects_for_user

from concertation.parameters import read_parameters, refuses_parameters
from organizations.models import Organization

from .diff import diff_versions
from .forms import VersionComparison
from .models import PolicyPage, Publication, Submission, SubmissionDocument
from .models.submission import PUBLICITY
from .services import rounds
from .services.cosigning import named_co_signers
from .services.rounds import submit_brief


def public_versions(policy: PolicyPage) -> dict:
    """The policy's public versions by number."""
    return {version.number: version for version in policy.public_versions()}


def compare_context(request: HttpRequest, policy: PolicyPage, versions: dict | None = None) -> dict:
    """What the comparison page shows whatever the parameters: the versions to choose."""
    versions = public_versions(policy) if versions is None else versions
    return {"page": policy, "versions": sorted(versions.values(), key=lambda v: v.number)}


@refuses_parameters(template="consultations/compare.html", context=compare_context)
def compare_versions(request: HttpRequest, policy: PolicyPage) -> HttpResponse:
    """`?from=N&to=M`: the public diff between two released versions of `policy`."""
    versions = public_versions(policy)
    cleaned = read_parameters(VersionComparison, request.GET, versions=versions)
    before, after = cleaned["from"], cleaned["to"]
    context = {
        **compare_context(request, policy, versions),
        "before": before,
        "after": after,
        "sections": diff_versions(before, after),
    }
    return render(request, "consultations/compare.html", context)


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


class SubmissionForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label=gettext_lazy("On behalf of")
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=255)
    summary = forms.CharField(label=gettext_lazy("Summary"), widget=forms.Textarea)
    sections = forms.CharField(
        label=gettext_lazy("Sections answered"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Anchors of the sections this brief answers, e.g. 1, 2.3."),
    )
    co_signers = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.all(),
        label=gettext_lazy("Co-signed by"),
        required=False,
        help_text=gettext_lazy(
            "Each organization named is asked to confirm; it is shown with the brief only "
            "once one of its editors has."
        ),
    )
    publication = forms.ChoiceField(label=gettext_lazy("Publication"), choices=Publication.choices)
    documents = MultipleFileField(
        label=gettext_lazy("Documents (PDF, DOCX or ODT)"), required=False
    )

    def __init__(self, *args, organizations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


def submit_to_round(request: HttpRequest, round_page) -> HttpResponse:
    """The form an organization's editors use to send a brief to an open round."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=reverse("wagtailadmin_login"))
    organizations = get_objects_for_user(
        request.user, "organizations.change_organization", klass=Organization
    )
    form = SubmissionForm(request.POST or None, request.FILES or None, organizations=organizations)
    context = {"page": round_page, "form": form}
    if not organizations.exists():
        context["refusal"] = _("You do not edit any organization, so you cannot submit a brief.")
        return render(request, "consultations/submit.html", context, status=403)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = submit_brief(
                round_page,
                data["organization"],
                request.user,
                title=data["title"],
                summary=data["summary"],
                files=data["documents"],
                co_signers=list(data["co_signers"]),
                sections=data["sections"],
                publication=data["publication"],
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            context["submitted"] = submission
            return render(request, "consultations/submit.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "consultations/submit.html", context, status=status)


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

    def __init__(self, *args, submission: Submission, accepts_changes: bool, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": submission.title,
                "summary": submission.summary,
                "sections": submission.sections,
                "co_signers": [o.pk for o in named_co_signers(submission.co_signatures)],
                "publication": submission.publication,
            },
        )
        super().__init__(*args, organizations=Organization.objects.none(), **kwargs)
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


def _managed_submission(request: HttpRequest, round_page, pk: int) -> Submission:
    """The round's submission `pk`, if `request.user` may manage it; 404 otherwise, so
    that nobody learns an unpublished brief exists."""
    submission = (
        Submission.objects.filter(round=round_page, pk=pk).select_related("organization").first()
    )
    if submission is None or not submission.may_be_managed_by(request.user):
        raise Http404
    return submission


def _login(request: HttpRequest) -> HttpResponse:
    return redirect_to_login(request.get_full_path(), login_url=reverse("wagtailadmin_login"))


def edit_submission(request: HttpRequest, round_page, pk: int) -> HttpResponse:
    """An organization's editors change their brief: anything while the round accepts
    submissions, afterwards only a narrower publication choice."""
    if not request.user.is_authenticated:
        return _login(request)
    submission = _managed_submission(request, round_page, pk)
    accepts_changes = round_page.accepts_submissions()
    form = EditSubmissionForm(
        request.POST or None,
        request.FILES or None,
        submission=submission,
        accepts_changes=accepts_changes,
    )
    context = {
        "page": round_page,
        "submission": submission,
        "form": form,
        "accepts_changes": accepts_changes,
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = rounds.update_submission(
                submission,
                request.user,
                title=data["title"],
                summary=data["summary"],
                sections=data["sections"],
                co_signers=list(data["co_signers"]),
                publication=data["publication"],
                add_files=data.get("documents", []),
                remove_documents=list(data.get("remove_documents", [])),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            context["saved"] = submission
            context["form"] = EditSubmissionForm(
                submission=submission, accepts_changes=accepts_changes
            )
            return render(request, "consultations/edit_submission.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "consultations/edit_submission.html", context, status=status)


def withdraw_submission(request: HttpRequest, round_page, pk: int) -> HttpResponse:
    """GET asks to confirm; POST withdraws the brief (while the round accepts
    submissions) with its documents."""
    if not request.user.is_authenticated:
        return _login(request)
    submission = _managed_submission(request, round_page, pk)
    context = {
        "page": round_page,
        "submission": submission,
        "accepts_changes": round_page.accepts_submissions(),
    }
    if request.method != "POST":
        return render(request, "consultations/withdraw_submission.html", context)
    try:
        rounds.withdraw_submission(submission, request.user)
    except ValidationError as error:
        context["refusal"] = " ".join(error.messages)
        return render(request, "consultations/withdraw_submission.html", context, status=400)
    context["withdrawn"] = True
    return render(request, "consultations/withdraw_submission.html", context)
