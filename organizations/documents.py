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
    fallback_fields = ("name", "legal_name", "summary_en", "summary_fr")
    # Many-to-many changes are saved after the organization row: re-sync on them too.
    many_to_many_fields = ("regions_served", "sectors", "constituencies", "fields_of_activity")

    def get_queryset(self) -> QuerySet:
        return Organization.objects.select_related("region").prefetch_related(
            "regions_served", "sectors", "constituencies"
        )

    def title(self, instance: Organization) -> str:
        return instance.name

    def body(self, instance: Organization) -> str:
        parts = (instance.legal_name, instance.summary_en, instance.summary_fr)
        return "\n".join(part for part in parts if part and part != instance.name)

    def date(self, instance: Organization):
        return instance.created_at

    def extra_fields(self, instance: Organization) -> dict:
        regions = {region.code for region in instance.regions_served.all()}
        if instance.region:
            regions.add(instance.region.code)
        return {
            "sector": sorted(sector.code for sector in instance.sectors.all()),
            "region": sorted(regions),
            "organization_kind": instance.kind,
            "constituency": sorted(c.code for c in instance.constituencies.all()),
            "recognition_status": instance.recognition_status,
        }
