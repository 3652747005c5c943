"""The classifications organizations are catalogued by."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from concertation.bilingual import pick


class BilingualName(models.Model):
    """A taxonomy term with an official code and a name in each language."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_en, self.name_fr)


class Region(BilingualName):
    """An administrative region (Quebec's 17) or another province or territory."""

    class Meta(BilingualName.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Sector(BilingualName):
    """A sector of activity, such as health and social services or housing."""

    class Meta(BilingualName.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
