"""The classifications organizations are catalogued by, as editable hierarchies.

Each taxonomy is an adjacency list (a term may have a parent: a sub-sector under its
sector, an administrative region under its province). Terms carry a stable code used in
URLs, imports and search facets, and a name in each language.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from concertation.bilingual import pick


class TaxonomyQuerySet(models.QuerySet):
    def top_level(self) -> "TaxonomyQuerySet":
        return self.filter(parent__isnull=True)


class TaxonomyTerm(models.Model):
    """A term with an official code, a name in each language and an optional parent."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )

    objects = TaxonomyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_en, self.name_fr)

    def clean(self) -> None:
        """Two levels only (sector and sub-sector, province and region): the parent must
        be a top-level term, which also rules out loops. The directory's facets rely on
        it."""
        if self.parent is None:
            return
        if self.parent.parent_id is not None or self.parent_id == self.pk:
            raise ValidationError({"parent": _("The parent must be a top-level term.")})
        if self.pk is not None and self.children.exists():
            raise ValidationError(
                {"parent": _("A term that has sub-terms cannot itself have a parent.")}
            )

    @classmethod
    def not_own_parent(cls, label: str) -> models.CheckConstraint:
        return models.CheckConstraint(condition=~Q(parent=F("pk")), name=f"{label}_not_own_parent")


class RegionKind(models.TextChoices):
    ADMINISTRATIVE_REGION = "administrative_region", _("Administrative region of Quebec")
    PROVINCE = "province", _("Province")
    TERRITORY = "territory", _("Territory")


class Region(TaxonomyTerm):
    """One of Quebec's 17 administrative regions, or another province or territory.

    Codes are official: `qc-01` … `qc-17` for Quebec's administrative regions (their
    official numbers), and the two-letter postal abbreviation for provinces and
    territories (`on`, `nb`, `yt`…)."""

    kind = models.CharField(_("kind"), max_length=30, choices=RegionKind.choices)

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [TaxonomyTerm.not_own_parent("region")]


class Sector(TaxonomyTerm):
    """A sector (health and social services, housing…) or, with a parent, a sub-sector."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        constraints = [TaxonomyTerm.not_own_parent("sector")]


class Constituency(TaxonomyTerm):
    """The people an organization serves or represents (youth, seniors, women…)."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("constituency")
        verbose_name_plural = _("constituencies")
        constraints = [TaxonomyTerm.not_own_parent("constituency")]


class FieldOfActivity(TaxonomyTerm):
    """What an organization does (advocacy, service delivery, mutual aid…)."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("field of activity")
        verbose_name_plural = _("fields of activity")
        constraints = [TaxonomyTerm.not_own_parent("field_of_activity")]
