"""Organizations of the community sector and the government bodies they deal with."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from concertation.bilingual import pick

from .taxonomy import Region, Sector


class OrganizationKind(models.TextChoices):
    AUTONOMOUS_COMMUNITY = "autonomous_community", _("Autonomous community organization")
    COMMUNITY = "community", _("Other community or voluntary organization")
    ADVOCACY = "advocacy", _("Advocacy organization")
    COOPERATIVE = "cooperative", _("Co-operative")
    MUTUAL = "mutual", _("Mutual")
    COALITION = "coalition", _("Coalition or umbrella body")
    GOVERNMENT = "government", _("Government body")


class OrganizationQuerySet(models.QuerySet):
    def for_listing(self) -> "OrganizationQuerySet":
        """Everything a list or profile shows, fetched in one query."""
        return self.select_related("sector", "region")


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=255, unique=True)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=OrganizationKind.choices)
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        related_name="organizations",
        null=True,
        blank=True,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("head-office region"),
        on_delete=models.PROTECT,
        related_name="organizations",
        null=True,
        blank=True,
    )
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", kwargs={"slug": self.slug})

    @property
    def summary(self) -> str:
        return pick(self.summary_en, self.summary_fr)
