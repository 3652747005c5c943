"""Coalition membership: organizations belong to many coalitions, each for a period."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey

from .organization import Organization, OrganizationKind


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    FOUNDING_MEMBER = "founding_member", _("Founding member")
    BOARD_MEMBER = "board_member", _("Board member")
    ASSOCIATE = "associate", _("Associate member")
    OBSERVER = "observer", _("Observer")


class CoalitionMembershipQuerySet(models.QuerySet):
    def current(self, on=None) -> "CoalitionMembershipQuerySet":
        day = on or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=day)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )

    def past(self, on=None) -> "CoalitionMembershipQuerySet":
        return self.filter(end_date__lt=on or timezone.localdate())


class CoalitionMembership(models.Model):
    organization = ParentalKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    coalition = models.ForeignKey(
        Organization,
        verbose_name=_("coalition"),
        on_delete=models.CASCADE,
        related_name="coalition_members",
        limit_choices_to={"kind": OrganizationKind.COALITION},
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)

    objects = CoalitionMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("coalition membership")
        verbose_name_plural = _("coalition memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="membership_ends_after_it_starts",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(organization=F("coalition")),
                name="membership_not_of_itself",
                violation_error_message=_("An organization cannot be a member of itself."),
            ),
            models.UniqueConstraint(
                fields=["organization", "coalition", "start_date"],
                name="membership_unique_per_start",
                violation_error_message=_("This membership is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.coalition}"

    def clean(self) -> None:
        """The rules a form can check before the database does, with a message on the
        coalition field (in the admin inline, the organization field is not shown)."""
        if not self.coalition_id:
            return
        if self.coalition_id == self.organization_id:
            raise ValidationError({"coalition": _("An organization cannot be a member of itself.")})
        if self.coalition.kind != OrganizationKind.COALITION:
            raise ValidationError(
                {"coalition": _("Only a coalition or umbrella body can have members.")}
            )

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        started = self.start_date is None or self.start_date <= today
        return started and (self.end_date is None or self.end_date >= today)
