"""Autonomy criteria and their assessments.

The policy on community action lists criteria for recognising an *autonomous*
community organization. Each criterion is assessed separately, with its evidence, by
someone, on a date; a new assessment never overwrites an old one, so the history stays.
An organization's recognition status is derived from the latest assessment of every
criterion (`organizations.autonomy.derive_recognition_status`), never typed in.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey

from concertation.bilingual import pick

from .organization import Organization


class AutonomyCriterion(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("criterion (English)"), max_length=255)
    name_fr = models.CharField(_("criterion (French)"), max_length=255)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("autonomy criterion")
        verbose_name_plural = _("autonomy criteria")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_en, self.name_fr)


class AssessmentOutcome(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    UNKNOWN = "unknown", _("Unknown")


class AutonomyAssessment(models.Model):
    organization = ParentalKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="autonomy_assessments",
    )
    criterion = models.ForeignKey(
        AutonomyCriterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=AssessmentOutcome.choices)
    evidence = models.TextField(_("evidence"), blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assessed_on = models.DateField(_("assessed on"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["criterion__sort_order", "-assessed_on", "-recorded_at"]
        verbose_name = _("autonomy assessment")
        verbose_name_plural = _("autonomy assessments")
        indexes = [models.Index(fields=["organization", "criterion", "-assessed_on"])]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_outcome_display()} ({self.assessed_on})"
