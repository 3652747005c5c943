"""Keep derived fields in step whatever writes the assessments (admin inline, import,
service): the recognition status follows every saved or deleted assessment."""

from typing import Any

from django.db.models.signals import post_delete, post_save

from .models import AutonomyAssessment, Organization


def on_assessment_changed(sender: type, instance: AutonomyAssessment, **kwargs: Any) -> None:
    from .autonomy import refresh_recognition_status

    # Looked up by id: when the organization itself is being deleted, it is gone.
    organization = Organization.objects.filter(pk=instance.organization_id).first()
    if organization is not None:
        refresh_recognition_status(organization)


def connect() -> None:
    post_save.connect(on_assessment_changed, sender=AutonomyAssessment)
    post_delete.connect(on_assessment_changed, sender=AutonomyAssessment)
