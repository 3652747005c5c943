"""Writes that change several rows or check a rule across rows, in one transaction.

Tests build their data through these functions too.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from search.tasks import enqueue_sync

from .autonomy import derive_recognition_status
from .models import (
    AssessmentOutcome,
    AutonomyAssessment,
    AutonomyCriterion,
    Organization,
    RecognitionStatus,
)


def refresh_recognition_status(organization: Organization) -> RecognitionStatus:
    """Recompute and store the organization's recognition status.

    Stored with an UPDATE (no model save), so the search document, which carries the
    status, is queued for an update after commit explicitly.
    """
    status = derive_recognition_status(
        AutonomyAssessment.objects.filter(organization=organization),
        AutonomyCriterion.objects.values_list("pk", flat=True),
    )
    if (
        Organization.objects.filter(pk=organization.pk)
        .exclude(recognition_status=status)
        .update(recognition_status=status)
    ):
        enqueue_sync("organization", organization.pk)
    organization.recognition_status = status
    return status


@transaction.atomic
def refresh_all_recognition_statuses() -> int:
    """Recompute every organization's status, when the list of criteria changes.

    One query reads every assessment, one UPDATE per status writes the changes;
    returns how many organizations changed.
    """
    from search.tasks import enqueue_sync_many

    criterion_ids = list(AutonomyCriterion.objects.values_list("pk", flat=True))
    assessments: dict[int, list[AutonomyAssessment]] = {}
    for assessment in AutonomyAssessment.objects.only(
        "pk", "organization_id", "criterion_id", "outcome", "assessed_on"
    ).iterator(chunk_size=2000):
        assessments.setdefault(assessment.organization_id, []).append(assessment)
    by_status: dict[str, list[int]] = {}
    for organization_id, status in Organization.objects.values_list("pk", "recognition_status"):
        derived = derive_recognition_status(assessments.get(organization_id, []), criterion_ids)
        if derived != status:
            by_status.setdefault(derived, []).append(organization_id)
    changed = []
    for status, pks in by_status.items():
        Organization.objects.filter(pk__in=pks).update(recognition_status=status)
        changed.extend(pks)
    enqueue_sync_many("organization", [str(pk) for pk in changed])
    return len(changed)


@transaction.atomic
def record_assessment(
    organization: Organization,
    criterion: AutonomyCriterion,
    outcome: AssessmentOutcome,
    *,
    assessed_on: datetime.date,
    evidence: str = "",
    assessor: AbstractBaseUser | None = None,
) -> AutonomyAssessment:
    """Add an assessment of one criterion (earlier ones stay, as history)."""
    assessment = AutonomyAssessment.objects.create(
        organization=organization,
        criterion=criterion,
        outcome=outcome,
        evidence=evidence,
        assessor=assessor,
        assessed_on=assessed_on,
    )
    refresh_recognition_status(organization)
    return assessment
