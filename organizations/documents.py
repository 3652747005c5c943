"""How organizations appear in the archive search."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from search.registry import SearchableModel, registry

from .models import Organization


@registry.register
class SearchableOrganization(SearchableModel):
    model = Organization
    label = _("Organization")
    kind = "organization"
    fallback_fields = ("name", "summary_en", "summary_fr")

    def get_queryset(self) -> QuerySet:
        return Organization.objects.for_listing()

    def title(self, instance: Organization) -> str:
        return instance.name

    def body(self, instance: Organization) -> str:
        return "\n".join(text for text in (instance.summary_en, instance.summary_fr) if text)

    def date(self, instance: Organization):
        return instance.created_at

    def extra_fields(self, instance: Organization) -> dict:
        return {
            "sector": instance.sector.code if instance.sector else None,
            "region": instance.region.code if instance.region else None,
        }
