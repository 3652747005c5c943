"""Service-delivery agreements: a government body entrusts a public service to an
organization (a health co-operative, a utility co-operative, a child care centre…)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .organization import Organization, OrganizationKind


class ServiceAgreement(models.Model):
    government_body = models.ForeignKey(
        Organization,
        verbose_name=_("government body"),
        on_delete=models.PROTECT,
        related_name="agreements_as_government",
        limit_choices_to={"kind": OrganizationKind.GOVERNMENT},
    )
    provider = models.ForeignKey(
        Organization,
        verbose_name=_("organization delivering the service"),
        on_delete=models.CASCADE,
        related_name="agreements_as_provider",
    )
    service = models.CharField(_("service"), max_length=255)
    population_served = models.PositiveIntegerField(
        _("population served"), null=True, blank=True, help_text=_("People or households.")
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("service-delivery agreement")
        verbose_name_plural = _("service-delivery agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="agreement_ends_after_it_starts",
                violation_error_message=_("An agreement cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(government_body=F("provider")),
                name="agreement_between_two_organizations",
                violation_error_message=_("A body cannot contract with itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.provider})"
