"""Organizations of the community sector and the government bodies they deal with."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel

from concertation.bilingual import pick

from .taxonomy import Constituency, FieldOfActivity, Region, Sector


class OrganizationKind(models.TextChoices):
    AUTONOMOUS_COMMUNITY = "autonomous_community", _("Autonomous community organization")
    COMMUNITY = "community", _("Other community or voluntary organization")
    ADVOCACY = "advocacy", _("Advocacy organization")
    COOPERATIVE = "cooperative", _("Co-operative")
    MUTUAL = "mutual", _("Mutual")
    COALITION = "coalition", _("Coalition or umbrella body")
    GOVERNMENT = "government", _("Government body")


class CooperativeType(models.TextChoices):
    CONSUMER = "consumer", _("Consumer co-operative")
    WORKER = "worker", _("Worker co-operative")
    PRODUCER = "producer", _("Producer co-operative")
    HOUSING = "housing", _("Housing co-operative")
    FINANCIAL = "financial", _("Financial co-operative")
    SOLIDARITY = "solidarity", _("Solidarity (multi-stakeholder) co-operative")


class RecognitionStatus(models.TextChoices):
    """Derived from the autonomy assessments (see `organizations.autonomy`)."""

    RECOGNIZED = "recognized", _("Autonomous (every criterion met)")
    NOT_RECOGNIZED = "not_recognized", _("Not autonomous (a criterion not met)")
    INCOMPLETE = "incomplete", _("Assessment incomplete")
    NOT_ASSESSED = "not_assessed", _("Not assessed")


class OrganizationQuerySet(models.QuerySet):
    def coalitions(self) -> "OrganizationQuerySet":
        return self.filter(kind=OrganizationKind.COALITION)

    def government_bodies(self) -> "OrganizationQuerySet":
        return self.filter(kind=OrganizationKind.GOVERNMENT)

    def for_listing(self) -> "OrganizationQuerySet":
        """What a directory row shows, in one query plus one per many-to-many."""
        return self.select_related("region").prefetch_related("sectors")

    def for_profile(self) -> "OrganizationQuerySet":
        """Everything a profile page shows, in a fixed number of queries."""
        from .agreement import ServiceAgreement
        from .autonomy import AutonomyAssessment
        from .cooperative import MemberCategory
        from .membership import CoalitionMembership

        return self.select_related("region", "incorporation_jurisdiction").prefetch_related(
            "regions_served",
            models.Prefetch("sectors", queryset=Sector.objects.select_related("parent")),
            "constituencies",
            "fields_of_activity",
            models.Prefetch(
                "memberships",
                queryset=CoalitionMembership.objects.select_related("coalition").order_by(
                    "-start_date"
                ),
            ),
            models.Prefetch(
                "coalition_members",
                queryset=CoalitionMembership.objects.select_related("organization").order_by(
                    "organization__name"
                ),
            ),
            models.Prefetch(
                "member_categories", queryset=MemberCategory.objects.order_by("category")
            ),
            # Prefetch + select_related rather than "a__b" lookups: one query each even
            # when the first level is empty, so a profile always costs the same.
            models.Prefetch(
                "autonomy_assessments",
                queryset=AutonomyAssessment.objects.select_related("criterion"),
            ),
            models.Prefetch(
                "agreements_as_provider",
                queryset=ServiceAgreement.objects.select_related("government_body"),
            ),
            models.Prefetch(
                "agreements_as_government",
                queryset=ServiceAgreement.objects.select_related("provider"),
            ),
        )


class Organization(ClusterableModel):
    """A community organization, co-operative, coalition or government body."""

    name = models.CharField(
        _("usual name"), max_length=255, unique=True, help_text=_("The name in everyday use.")
    )
    legal_name = models.CharField(_("legal name"), max_length=255, blank=True)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=OrganizationKind.choices)
    cooperative_type = models.CharField(
        _("co-operative type"),
        max_length=20,
        choices=CooperativeType.choices,
        blank=True,
        help_text=_("Required for co-operatives, empty for every other kind."),
    )

    incorporation_act = models.CharField(_("incorporated under (act)"), max_length=255, blank=True)
    incorporation_jurisdiction = models.ForeignKey(
        Region,
        verbose_name=_("jurisdiction of incorporation"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    incorporation_date = models.DateField(_("date of incorporation"), null=True, blank=True)
    has_share_capital = models.BooleanField(
        _("with share capital"),
        null=True,
        blank=True,
        help_text=_("Co-operatives: incorporated with share capital (equity) or without (debt)."),
    )
    founded_year = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)

    region = models.ForeignKey(
        Region,
        verbose_name=_("head-office region"),
        on_delete=models.PROTECT,
        related_name="organizations",
        null=True,
        blank=True,
    )
    regions_served = models.ManyToManyField(
        Region, verbose_name=_("regions served"), related_name="organizations_serving", blank=True
    )
    sectors = models.ManyToManyField(
        Sector,
        verbose_name=_("sectors and sub-sectors"),
        related_name="organizations",
        blank=True,
    )
    constituencies = models.ManyToManyField(
        Constituency,
        verbose_name=_("constituencies"),
        related_name="organizations",
        blank=True,
    )
    fields_of_activity = models.ManyToManyField(
        FieldOfActivity,
        verbose_name=_("fields of activity"),
        related_name="organizations",
        blank=True,
    )

    staff_fte = models.DecimalField(
        _("staff (full-time equivalents)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Paid staff in full-time equivalents; the representation burden uses it."),
    )
    member_count = models.PositiveIntegerField(_("members"), null=True, blank=True)
    share_capital = models.DecimalField(
        _("share capital (CAD)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    gross_revenue = models.DecimalField(
        _("gross annual revenue (CAD)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    assets = models.DecimalField(
        _("assets (CAD)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    serves_in_french = models.BooleanField(_("serves in French"), default=True)
    serves_in_english = models.BooleanField(_("serves in English"), default=False)
    other_languages = models.CharField(_("other languages of service"), max_length=255, blank=True)

    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    website = models.URLField(_("website"), blank=True)

    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)

    recognition_status = models.CharField(
        _("recognition status"),
        max_length=20,
        choices=RecognitionStatus.choices,
        default=RecognitionStatus.NOT_ASSESSED,
        editable=False,
        help_text=_("Derived from the autonomy assessments; never entered by hand."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=OrganizationKind.COOPERATIVE) & ~Q(cooperative_type="")
                    | ~Q(kind=OrganizationKind.COOPERATIVE) & Q(cooperative_type="")
                ),
                name="organization_cooperative_type_iff_cooperative",
                violation_error_message=_(
                    "A co-operative needs a co-operative type; other kinds have none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(founded_year__isnull=True)
                | Q(founded_year__gte=1600, founded_year__lte=2100),
                name="organization_founded_year_plausible",
                violation_error_message=_("The year founded must be between 1600 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(staff_fte__isnull=True) | Q(staff_fte__gte=0),
                name="organization_staff_fte_not_negative",
                violation_error_message=_("Staff cannot be negative."),
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
                    name=f"organization_{field}_not_negative",
                    violation_error_message=_("Amounts cannot be negative."),
                )
                for field in ("share_capital", "gross_revenue", "assets")
            ],
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", kwargs={"slug": self.slug})

    @property
    def summary(self) -> str:
        return pick(self.summary_en, self.summary_fr)

    @property
    def is_cooperative(self) -> bool:
        return self.kind == OrganizationKind.COOPERATIVE

    @property
    def is_coalition(self) -> bool:
        return self.kind == OrganizationKind.COALITION

    def auditor_thresholds_crossed(self) -> list[str]:
        """Why this co-operative needs an auditor, empty when it does not.

        The thresholds are those of Ontario's Co-operative Corporations Act: more than 15
        members, share capital over $15,000, gross revenue over $100,000 or assets over
        $50,000 — any one of them.
        """
        if not self.is_cooperative:
            return []
        reasons = []
        members = self.total_members
        if members is not None and members > AUDITOR_MEMBERS:
            reasons.append(_("more than 15 members"))
        for value, limit, reason in (
            (self.share_capital, AUDITOR_CAPITAL, _("share capital over $15,000")),
            (self.gross_revenue, AUDITOR_REVENUE, _("gross revenue over $100,000")),
            (self.assets, AUDITOR_ASSETS, _("assets over $50,000")),
        ):
            if value is not None and value > limit:
                reasons.append(reason)
        return reasons

    @property
    def total_members(self) -> int | None:
        """The member count, or for a solidarity co-operative that gives only its member
        categories, their sum. Uses the categories already loaded (profile pages
        prefetch them)."""
        if self.member_count is not None or self.pk is None:
            return self.member_count
        categories = list(self.member_categories.all())
        return sum(category.count for category in categories) if categories else None

    @property
    def needs_auditor(self) -> bool:
        return bool(self.auditor_thresholds_crossed())


AUDITOR_MEMBERS = 15
AUDITOR_CAPITAL = Decimal("15000")
AUDITOR_REVENUE = Decimal("100000")
AUDITOR_ASSETS = Decimal("50000")
