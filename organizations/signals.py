"""Keep derived facts in step whatever writes the data (admin, import, services):

- the recognition status follows every saved or deleted assessment, and every criterion
  added or removed;
- a changed slug leaves a permanent redirect from the old profile address, so shared
  links keep working;
- a deleted organization takes its object permissions with it (guardian stores them
  with a generic key, which the database cannot cascade).
"""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save, pre_save
from django.urls import reverse
from django.utils import translation

from .models import AutonomyAssessment, AutonomyCriterion, Organization


def on_assessment_changed(sender: type, instance: AutonomyAssessment, **kwargs: Any) -> None:
    from .services import refresh_recognition_status

    # Looked up by id: when the organization itself is being deleted, it is gone.
    organization = Organization.objects.filter(pk=instance.organization_id).first()
    if organization is not None:
        refresh_recognition_status(organization)


def on_criteria_changed(sender: type, instance: AutonomyCriterion, **kwargs: Any) -> None:
    if kwargs.get("created", True):
        from .services import refresh_all_recognition_statuses

        refresh_all_recognition_statuses()


def _profile_paths(slug: str) -> list[str]:
    paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths.append(reverse("organizations:detail", kwargs={"slug": slug}))
    return paths


def on_organization_saving(sender: type, instance: Organization, **kwargs: Any) -> None:
    if instance.pk is None or kwargs.get("raw"):
        return
    previous = Organization.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if previous is None or previous == instance.slug:
        return
    from wagtail.contrib.redirects.models import Redirect

    for old_path, new_path in zip(
        _profile_paths(previous), _profile_paths(instance.slug), strict=True
    ):
        Redirect.objects.filter(old_path=Redirect.normalise_path(new_path)).delete()
        Redirect.objects.update_or_create(
            old_path=Redirect.normalise_path(old_path),
            site=None,
            defaults={"redirect_link": new_path, "is_permanent": True},
        )


def on_organization_deleted(sender: type, instance: Organization, **kwargs: Any) -> None:
    from guardian.models import GroupObjectPermission, UserObjectPermission

    content_type = ContentType.objects.get_for_model(Organization)
    for model in (UserObjectPermission, GroupObjectPermission):
        model.objects.filter(content_type=content_type, object_pk=str(instance.pk)).delete()


def connect() -> None:
    post_save.connect(on_assessment_changed, sender=AutonomyAssessment)
    post_delete.connect(on_assessment_changed, sender=AutonomyAssessment)
    post_save.connect(on_criteria_changed, sender=AutonomyCriterion)
    post_delete.connect(on_criteria_changed, sender=AutonomyCriterion)
    pre_save.connect(on_organization_saving, sender=Organization)
    post_delete.connect(on_organization_deleted, sender=Organization)
