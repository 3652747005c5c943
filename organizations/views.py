"""Public pages of the organization catalogue: the directory and the profiles."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from concertation.parameters import refuses_parameters

from .autonomy import latest_by_criterion
from .directory import DirectoryQuery
from .models import (
    AutonomyAssessment,
    CoalitionMembership,
    Organization,
    OrganizationKind,
    RecognitionStatus,
)


@refuses_parameters(template="organizations/organization_list.html")
def organization_list(request: HttpRequest) -> HttpResponse:
    """The directory, filtered by the allow-listed query-string parameters; a bad one is
    answered 400 with a message naming it."""
    result = DirectoryQuery.from_params(request.GET).execute()
    return render(
        request,
        "organizations/organization_list.html",
        {"result": result, "query": result.query, "page_obj": result.page},
    )


@dataclass(frozen=True)
class Periods:
    """Coalition memberships split by period, as of one day."""

    current: list[CoalitionMembership]
    past: list[CoalitionMembership]
    upcoming: list[CoalitionMembership]

    @classmethod
    def of(cls, memberships: Iterable[CoalitionMembership], today: datetime.date) -> "Periods":
        current, past, upcoming = [], [], []
        for membership in memberships:
            if membership.end_date is not None and membership.end_date < today:
                past.append(membership)
            elif membership.start_date is not None and membership.start_date > today:
                upcoming.append(membership)
            else:
                current.append(membership)
        return cls(current=current, past=past, upcoming=upcoming)

    def __bool__(self) -> bool:
        return bool(self.current or self.past or self.upcoming)


@dataclass(frozen=True)
class Profile:
    """What the profile page shows beyond the organization's own fields, worked out in
    Python from the rows `Organization.objects.for_profile()` prefetched, so that the
    page costs the same number of queries whatever the number of memberships,
    regions or assessments."""

    coalitions: Periods
    members: Periods
    latest_assessments: list[AutonomyAssessment]
    auditor_thresholds: list[str]
    shows_recognition: bool
    assessment_incomplete: bool

    @classmethod
    def of(cls, organization: Organization) -> "Profile":
        today = timezone.localdate()
        latest = sorted(
            latest_by_criterion(organization.autonomy_assessments.all()).values(),
            key=lambda assessment: (assessment.criterion.sort_order, assessment.criterion.code),
        )
        return cls(
            coalitions=Periods.of(organization.memberships.all(), today),
            members=Periods.of(organization.coalition_members.all(), today),
            latest_assessments=latest,
            auditor_thresholds=[
                str(reason) for reason in organization.auditor_thresholds_crossed()
            ],
            # Recognition as an autonomous community organization concerns the sector,
            # not the government bodies it deals with.
            shows_recognition=organization.kind != OrganizationKind.GOVERNMENT,
            assessment_incomplete=organization.recognition_status == RecognitionStatus.INCOMPLETE,
        )


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.for_profile(), slug=slug)
    return render(
        request,
        "organizations/organization_detail.html",
        {"organization": organization, "profile": Profile.of(organization)},
    )
