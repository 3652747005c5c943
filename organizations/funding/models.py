"""Funding: programmes with a budget per fiscal year, allocations to organizations, and
the service load organizations carry, so that funding per unit of service can be
followed over time.

Every allocation says whether it is new money or money moved from elsewhere (another
programme, or a sub-sector that lost it): the sector's question is whether the money is
new or only reallocated while service loads grow. A fiscal year is named by the
calendar year it starts in (2000 is 2000–2001, April to March).

Allocations are written through `organizations.funding.services.record_allocation`, which locks
the programme-year's budget row so that approved allocations never exceed it, even when
two are approved at the same moment.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, OrganizationKind, Sector

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class FundingMode(models.TextChoices):
    GLOBAL_MISSION = "global_mission", _("Global mission support")
    SERVICE_AGREEMENT = "service_agreement", _("Service agreement")
    PROJECT = "project", _("Project")


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    funder = models.ForeignKey(
        Organization,
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        related_name="programmes",
        limit_choices_to={"kind": OrganizationKind.GOVERNMENT},
    )
    mode = models.CharField(_("mode"), max_length=20, choices=FundingMode.choices)
    first_fiscal_year = models.PositiveSmallIntegerField(
        _("first fiscal year"), help_text=_("The calendar year it starts in: 2000 is 2000–2001.")
    )
    last_fiscal_year = models.PositiveSmallIntegerField(
        _("last fiscal year"), null=True, blank=True, help_text=_("Empty while it runs.")
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        db_table = "organizations_programme"
        ordering = ["name"]
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")
        permissions = [("manage_programme", _("Can record allocations for a programme"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_fiscal_year__isnull=True)
                | Q(last_fiscal_year__gte=F("first_fiscal_year")),
                name="programme_ends_after_it_starts",
                violation_error_message=_("A programme cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funding_explorer") + f"?programme={self.slug}"

    def runs_in(self, fiscal_year: int) -> bool:
        return self.first_fiscal_year <= fiscal_year and (
            self.last_fiscal_year is None or fiscal_year <= self.last_fiscal_year
        )


class ProgrammeBudget(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="budgets"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    amount = models.DecimalField(_("budget (CAD)"), **AMOUNT)

    class Meta:
        db_table = "organizations_programmebudget"
        ordering = ["programme", "fiscal_year"]
        verbose_name = _("programme budget")
        verbose_name_plural = _("programme budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "fiscal_year"],
                name="one_budget_per_programme_year",
                violation_error_message=_("This programme already has a budget for that year."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="budget_not_negative",
                violation_error_message=_("A budget cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.fiscal_year}"


class AllocationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


# Statuses that commit the money: they count against the programme-year's budget.
COMMITTED_STATUSES = (AllocationStatus.APPROVED, AllocationStatus.PUBLISHED)


class MoneyOrigin(models.TextChoices):
    NEW = "new", _("New money")
    REALLOCATED = "reallocated", _("Reallocated from elsewhere")


class AllocationQuerySet(models.QuerySet):
    def published(self) -> "AllocationQuerySet":
        return self.filter(status=AllocationStatus.PUBLISHED)

    def committed(self) -> "AllocationQuerySet":
        return self.filter(status__in=COMMITTED_STATUSES)

    def visible_through(
        self, edited_organizations: QuerySet, managed_programmes: QuerySet
    ) -> "AllocationQuerySet":
        """Published allocations for everyone; the approved ones of `edited_organizations`
        (those a visitor speaks for); every allocation of `managed_programmes` (those a
        visitor records), drafts included. Drafts are invisible to everyone else.

        Who edits or manages what is decided by `organizations.funding.visibility`, which
        passes both querysets in: the models know nothing of permissions."""
        return self.filter(
            Q(status=AllocationStatus.PUBLISHED)
            | Q(
                status__in=COMMITTED_STATUSES,
                organization__in=edited_organizations.values("pk"),
            )
            | Q(programme__in=managed_programmes.values("pk"))
        )


class Allocation(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    amount = models.DecimalField(_("amount (CAD)"), **AMOUNT)
    mode = models.CharField(_("mode"), max_length=20, choices=FundingMode.choices)
    origin = models.CharField(_("new or reallocated"), max_length=12, choices=MoneyOrigin.choices)
    reallocated_from_programme = models.ForeignKey(
        Programme,
        verbose_name=_("reallocated from the programme"),
        on_delete=models.PROTECT,
        related_name="reallocated_to",
        null=True,
        blank=True,
    )
    reallocated_from_sector = models.ForeignKey(
        Sector,
        verbose_name=_("reallocated from the sub-sector"),
        on_delete=models.PROTECT,
        related_name="reallocated_from",
        null=True,
        blank=True,
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AllocationStatus.choices,
        default=AllocationStatus.DRAFT,
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = AllocationQuerySet.as_manager()

    class Meta:
        db_table = "organizations_allocation"
        ordering = ["-fiscal_year", "organization"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        indexes = [models.Index(fields=["programme", "fiscal_year", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="allocation_amount_positive",
                violation_error_message=_("An allocation's amount is more than zero."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(origin=MoneyOrigin.NEW)
                    & Q(reallocated_from_programme__isnull=True)
                    & Q(reallocated_from_sector__isnull=True)
                )
                | (
                    Q(origin=MoneyOrigin.REALLOCATED)
                    & (
                        Q(reallocated_from_programme__isnull=False)
                        | Q(reallocated_from_sector__isnull=False)
                    )
                ),
                name="reallocated_money_says_from_where",
                violation_error_message=_(
                    "Reallocated money names the programme or sub-sector it comes from; "
                    "new money names none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="allocation_ends_after_it_starts",
                violation_error_message=_("An allocation cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.programme} {self.fiscal_year}"


class ServiceLoad(models.Model):
    """What an organization delivered in a fiscal year, as it reports it."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="service_loads",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    people_served = models.PositiveIntegerField(_("people served"))
    service_hours = models.PositiveIntegerField(_("service hours"), null=True, blank=True)
    waiting_list = models.PositiveIntegerField(
        _("waiting list"), null=True, blank=True, help_text=_("People waiting at year end.")
    )

    class Meta:
        db_table = "organizations_serviceload"
        ordering = ["organization", "fiscal_year"]
        verbose_name = _("service load")
        verbose_name_plural = _("service loads")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"],
                name="one_service_load_per_year",
                violation_error_message=_(
                    "This organization already reported its service load for that year."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.fiscal_year}"


def fiscal_year_label(year: int) -> str:
    """2000 → "2000–2001"."""
    return f"{year}–{year + 1}"
