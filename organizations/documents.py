"""How organizations appear in the archive search (funding programmes: in
`organizations.funding.documents`)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from search.readers import principal_source
from search.registry import SearchableModel, registry
from search.rows import ReversedUrl, related_values

from .models import Organization

# What a queryset needs prefetched for `organization_facets` on its organization
# (prefix with the relation's path: "organization__").
FACET_RELATIONS = ("regions_served", "sectors", "constituencies")


def organization_facets(organization: Organization) -> dict[str, list[str]]:
    """The sector, region and constituency codes an organization is found by: its own
    document's, and those of the records it signed with its name."""
    regions = {region.code for region in organization.regions_served.all()}
    if organization.region:
        regions.add(organization.region.code)
    return {
        "sector": sorted(sector.code for sector in organization.sectors.all()),
        "region": sorted(regions),
        "constituency": sorted(c.code for c in organization.constituencies.all()),
    }


@registry.register
class SearchableOrganization(SearchableModel):
    model = Organization
    label = _("Organization")
    kind = "organization"
    fallback_fields = ("name", "legal_name", "summary_en", "summary_fr")
    # Many-to-many changes are saved after the organization row: re-sync on them too.
    many_to_many_fields = ("regions_served", "sectors", "constituencies", "fields_of_activity")

    def get_queryset(self) -> QuerySet:
        return Organization.objects.select_related("region").prefetch_related(*FACET_RELATIONS)

    def title(self, instance: Organization) -> str:
        return instance.name

    def body(self, instance: Organization) -> str:
        return _body(instance.name, instance.legal_name, instance.summary_en, instance.summary_fr)

    def date(self, instance: Organization):
        return instance.created_at

    def extra_fields(self, instance: Organization) -> dict:
        return {
            **organization_facets(instance),
            "organization_kind": instance.kind,
            "recognition_status": instance.recognition_status,
            "organization": [instance.slug],
        }

    row_fields = (
        "pk",
        "name",
        "legal_name",
        "summary_en",
        "summary_fr",
        "slug",
        "kind",
        "recognition_status",
        "created_at",
        "region__code",
    )

    def documents_from_rows(self, rows: list[dict[str, Any]]) -> list[tuple[str, dict]]:
        keys = [row["pk"] for row in rows]
        regions = related_values(Organization, "regions_served", "code", keys)
        sectors = related_values(Organization, "sectors", "code", keys)
        constituencies = related_values(Organization, "constituencies", "code", keys)
        url = ReversedUrl("organizations:detail", "slug")
        documents = []
        for row in rows:
            pk = row["pk"]
            region_codes = set(regions.get(pk, ()))
            if row["region__code"] is not None:
                region_codes.add(row["region__code"])
            document = self.assemble(
                pk,
                title=row["name"],
                body=_body(row["name"], row["legal_name"], row["summary_en"], row["summary_fr"]),
                url=url(row["slug"]),
                when=row["created_at"],
                extra={
                    "sector": sorted(sectors.get(pk, ())),
                    "region": sorted(region_codes),
                    "constituency": sorted(constituencies.get(pk, ())),
                    "organization_kind": row["kind"],
                    "recognition_status": row["recognition_status"],
                    "organization": [row["slug"]],
                },
            )
            documents.append((self.document_id(pk), document))
        return documents


def _body(name: str, legal_name: str, summary_en: str, summary_fr: str) -> str:
    # Both summaries go into the one `body`: its French and English sub-fields make each
    # findable by a query in either language.
    parts = (legal_name, summary_en, summary_fr)
    return "\n".join(part for part in parts if part and part != name)


@principal_source
def organization_editor_principals(user) -> list[str]:
    """The organizations `user` edits (a django-guardian grant on each, not the
    model-wide permission): their editors read their unpublished briefs."""
    from .permissions import organizations_edited_by

    edited = organizations_edited_by(user)
    return [f"org:{pk}" for pk in edited.values_list("pk", flat=True)]
