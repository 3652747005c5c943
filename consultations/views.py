"""Views that policy pages route to."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from concertation.parameters import read_parameters, refuses_parameters
from organizations.models import Organization

from .diff import diff_versions
from .forms import VersionComparison
from .models import PolicyPage, Submission
from .services import rounds
from .services.rounds import submit_brief
from .submission_forms import EditSubmissionForm, SubmissionForm


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


def submit_to_round(request: HttpRequest, round_page) -> HttpResponse:
    """The form an organization's editors use to send a brief to an open round."""
    if not request.user.is_authenticated:
        return _sign_in(request)
    organizations = get_objects_for_user(
        request.user, "organizations.change_organization", klass=Organization
    ).order_by("name")
    form = SubmissionForm(
        request.POST or None,
        request.FILES or None,
        organizations=organizations,
        round_page=round_page,
    )
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


def _managed_submission(request: HttpRequest, round_page, pk: int) -> Submission:
    """The round's submission `pk`, if `request.user` may manage it; 404 otherwise, so
    that nobody learns an unpublished brief exists."""
    # A translated round page manages the briefs of its round's record.
    submission = (
        Submission.objects.filter(round_page.record_filter(), pk=pk)
        .select_related("organization")
        .first()
    )
    if submission is None or not submission.may_be_managed_by(request.user):
        raise Http404
    return submission


def _sign_in(request: HttpRequest) -> HttpResponse:
    """To the contributor sign-in of the public site, and back here after it."""
    return redirect_to_login(request.get_full_path(), login_url=reverse("contributor_sign_in"))


def edit_submission(request: HttpRequest, round_page, pk: int) -> HttpResponse:
    """An organization's editors change their brief: anything while the round accepts
    submissions, afterwards only a narrower publication choice."""
    if not request.user.is_authenticated:
        return _sign_in(request)
    submission = _managed_submission(request, round_page, pk)
    accepts_changes = round_page.accepts_submissions()
    form = EditSubmissionForm(
        request.POST or None,
        request.FILES or None,
        submission=submission,
        accepts_changes=accepts_changes,
        round_page=round_page,
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
                submission=submission, accepts_changes=accepts_changes, round_page=round_page
            )
            return render(request, "consultations/edit_submission.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "consultations/edit_submission.html", context, status=status)


def withdraw_submission(request: HttpRequest, round_page, pk: int) -> HttpResponse:
    """GET asks to confirm; POST withdraws the brief (while the round accepts
    submissions) with its documents."""
    if not request.user.is_authenticated:
        return _sign_in(request)
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
