"""Views that policy pages route to."""

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import get_objects_for_user

from concertation.parameters import ParameterError
from organizations.models import Organization

from .diff import diff_versions
from .models import PolicyPage, Publication
from .services import submit_brief


class CompareParameterError(ParameterError):
    """A version-comparison parameter the page cannot accept."""


def compare_versions(request: HttpRequest, policy: PolicyPage) -> HttpResponse:
    """`?from=N&to=M`: the public diff between two released versions of `policy`."""
    versions = {version.number: version for version in policy.public_versions()}
    context = {"page": policy, "versions": sorted(versions.values(), key=lambda v: v.number)}
    try:
        before = _version(request, "from", versions)
        after = _version(request, "to", versions)
        if before.number == after.number:
            raise CompareParameterError("to", _("choose a different version from “from”."))
    except CompareParameterError as error:
        context["error"] = error
        return render(request, "consultations/compare.html", context, status=400)
    context.update({"before": before, "after": after, "sections": diff_versions(before, after)})
    return render(request, "consultations/compare.html", context)


def _version(request: HttpRequest, parameter: str, versions: dict):
    raw = request.GET.get(parameter, "")
    if not raw.isdigit() or len(raw) > 4:
        raise CompareParameterError(parameter, _("must be a version number."))
    number = int(raw)
    if number not in versions:
        raise CompareParameterError(
            parameter, _("this policy has no public version %(number)d.") % {"number": number}
        )
    return versions[number]


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
        queryset=Organization.objects.all(), label=gettext_lazy("Co-signed by"), required=False
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
