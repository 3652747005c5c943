"""Recognition of autonomous community organizations, derived from assessments.

Pure functions over assessments already read; the writes are in `services.py`.
"""

from collections.abc import Iterable

from .models import AssessmentOutcome, AutonomyAssessment, RecognitionStatus


def latest_by_criterion(
    assessments: Iterable[AutonomyAssessment],
) -> dict[int, AutonomyAssessment]:
    """The most recent assessment of each criterion: by date, then the last recorded."""
    latest: dict[int, AutonomyAssessment] = {}
    for assessment in assessments:
        current = latest.get(assessment.criterion_id)
        if current is None or (assessment.assessed_on, assessment.pk or 0) > (
            current.assessed_on,
            current.pk or 0,
        ):
            latest[assessment.criterion_id] = assessment
    return latest


def derive_recognition_status(
    assessments: Iterable[AutonomyAssessment], criterion_ids: Iterable[int]
) -> RecognitionStatus:
    """Recognised when the latest assessment of every criterion is "met"; not recognised
    as soon as one latest assessment is "not met"; otherwise incomplete (or not assessed
    when there is no assessment at all)."""
    latest = latest_by_criterion(assessments)
    criterion_ids = set(criterion_ids)
    if not latest or not criterion_ids:
        return RecognitionStatus.NOT_ASSESSED
    outcomes = {latest[c].outcome if c in latest else None for c in criterion_ids}
    if AssessmentOutcome.NOT_MET in outcomes:
        return RecognitionStatus.NOT_RECOGNIZED
    if outcomes == {AssessmentOutcome.MET}:
        return RecognitionStatus.RECOGNIZED
    return RecognitionStatus.INCOMPLETE
