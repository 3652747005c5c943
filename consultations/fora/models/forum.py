"""Fora — the tables, coalitions and intermediary structures where organizations
represent the sector — and their seats.

A seat is designated for a sector, a constituency or the government, and comes with some
support for whoever sits in it (per diem, travel, release time), or none. Who held it,
and when, is kept as `SeatTerm` rows: at most one at a time (see `holding.py`).
"""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organizations.models import Constituency, Organization, Region, Sector


class ForumLevel(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    MULTISECTORAL = "multisectoral", _("Multi-sectoral")


class ForumKind(models.TextChoices):
    GOVERNMENT_TABLE = "government_table", _("Government-convened table")
    SECTOR_TABLE = "sector_table", _("Sector coalition table")
    HEALTH_BOARD = "health_board", _("Regional health and social services board")
    DEVELOPMENT_COUNCIL = "development_council", _("Regional development council")
    LOCAL_DEVELOPMENT_CENTRE = "local_development_centre", _("Local development centre")
    WORKING_GROUP = "working_group", _("Working group")
    ADVISORY_COMMITTEE = "advisory_committee", _("Advisory committee")


# The intermediary structures between the state and the sector.
INTERMEDIARY_KINDS = (
    ForumKind.HEALTH_BOARD,
    ForumKind.DEVELOPMENT_COUNCIL,
    ForumKind.LOCAL_DEVELOPMENT_CENTRE,
)


class Forum(models.Model):
    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=ForumLevel.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=ForumKind.choices)
    convenor = models.ForeignKey(
        Organization,
        verbose_name=_("convenor"),
        on_delete=models.PROTECT,
        related_name="fora_convened",
        help_text=_("Whoever convenes it manages it: its seats, holders and meetings."),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="fora",
        null=True,
        blank=True,
    )
    sectors = models.ManyToManyField(
        Sector,
        verbose_name=_("sectors"),
        blank=True,
        # The table of the consultations app, where fora lived before issue #13.
        db_table="consultations_forum_sectors",
    )
    active_from = models.DateField(_("active from"))
    active_until = models.DateField(_("active until"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        # The tables keep the names they had in the consultations app (issue #13).
        db_table = "consultations_forum"
        ordering = ["name"]
        verbose_name = _("forum")
        verbose_name_plural = _("fora")
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True) | Q(active_until__gte=F("active_from")),
                name="forum_ends_after_it_starts",
                violation_error_message=_("A forum cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum", args=[self.slug])

    @property
    def is_intermediary(self) -> bool:
        return self.kind in INTERMEDIARY_KINDS


class SeatDesignation(models.TextChoices):
    SECTOR = "sector", _("A sector")
    CONSTITUENCY = "constituency", _("A constituency")
    GOVERNMENT = "government", _("Government")


class Seat(models.Model):
    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="seats"
    )
    label = models.CharField(_("label"), max_length=255)
    designation = models.CharField(
        _("designated for"), max_length=20, choices=SeatDesignation.choices
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        related_name="seats",
        null=True,
        blank=True,
    )
    constituency = models.ForeignKey(
        Constituency,
        verbose_name=_("constituency"),
        on_delete=models.PROTECT,
        related_name="seats",
        null=True,
        blank=True,
    )
    per_diem = models.DecimalField(
        _("per diem (CAD per meeting)"), max_digits=8, decimal_places=2, default=0
    )
    travel_allowance = models.DecimalField(
        _("travel costs covered (CAD per meeting)"), max_digits=8, decimal_places=2, default=0
    )
    release_time_hours = models.DecimalField(
        _("release time paid (hours per month)"), max_digits=6, decimal_places=2, default=0
    )

    class Meta:
        db_table = "consultations_seat"
        ordering = ["forum", "label"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.CheckConstraint(
                condition=Q(per_diem__gte=0)
                & Q(travel_allowance__gte=0)
                & Q(release_time_hours__gte=0),
                name="seat_support_not_negative",
                violation_error_message=_("Support amounts cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(designation=SeatDesignation.SECTOR) | Q(sector__isnull=False),
                name="sector_seat_names_its_sector",
                violation_error_message=_("A seat designated for a sector names the sector."),
            ),
            models.CheckConstraint(
                condition=~Q(designation=SeatDesignation.CONSTITUENCY)
                | Q(constituency__isnull=False),
                name="constituency_seat_names_its_constituency",
                violation_error_message=_(
                    "A seat designated for a constituency names the constituency."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.forum} — {self.label}"

    @property
    def has_support(self) -> bool:
        return bool(self.per_diem or self.travel_allowance or self.release_time_hours)

    @property
    def designated_for(self) -> str:
        """Who the seat is for, to follow "designated for": "the sector “Housing”", "the
        constituency “Youth”", "the government" (the choice's own label, "A sector",
        reads wrongly there and names no one)."""
        if self.designation == SeatDesignation.SECTOR and self.sector:
            return _("the sector “%(name)s”") % {"name": self.sector.name}
        if self.designation == SeatDesignation.CONSTITUENCY and self.constituency:
            return _("the constituency “%(name)s”") % {"name": self.constituency.name}
        return str(_("the government"))
