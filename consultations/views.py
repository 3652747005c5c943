"""Views that policy pages route to."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .diff import diff_versions
from .models import PolicyPage


class CompareParameterError(ValueError):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


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
