"""Facts particular to co-operatives: member categories of solidarity co-operatives."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey

from .organization import CooperativeType, Organization


class MemberCategoryKind(models.TextChoices):
    WORKER = "worker", _("Worker members")
    USER = "user", _("User members")
    SUPPORTING = "supporting", _("Supporting members (from the community)")


class MemberCategory(models.Model):
    """A category of members of a solidarity (multi-stakeholder) co-operative."""

    organization = ParentalKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="member_categories",
    )
    category = models.CharField(_("category"), max_length=20, choices=MemberCategoryKind.choices)
    count = models.PositiveIntegerField(_("number of members"))

    class Meta:
        verbose_name = _("member category")
        verbose_name_plural = _("member categories")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "category"],
                name="member_category_once_per_organization",
                violation_error_message=_("Each member category is listed once."),
            ),
            models.CheckConstraint(
                condition=Q(count__gte=0), name="member_category_count_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.count}"

    def clean(self) -> None:
        organization = self.organization if self.organization_id else None
        if organization is not None and (
            organization.cooperative_type != CooperativeType.SOLIDARITY
        ):
            raise ValidationError(
                _("Member categories are for solidarity (multi-stakeholder) co-operatives.")
            )
