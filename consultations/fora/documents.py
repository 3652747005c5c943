"""How fora appear in the archive search (kind "forum"): the whole list is public.

Found by `search.registry`, which imports the `documents` module of every installed app."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from search.registry import SearchableModel, registry
from search.rows import ReversedUrl, choice_labels, display, related_values

from .models import Forum


@registry.register
class SearchableForum(SearchableModel):
    """A forum: the whole list is public, past ones included."""

    model = Forum
    label = _("Forum")
    kind = "forum"
    fallback_fields = ("name", "description")
    many_to_many_fields = ("sectors",)
    depends_on = (Organization,)

    def pks_depending_on(self, instance: Organization) -> QuerySet:
        return instance.fora_convened.values_list("pk", flat=True)

    def get_queryset(self) -> QuerySet:
        return Forum.objects.select_related("convenor", "region").prefetch_related("sectors")

    def title(self, instance: Forum) -> str:
        return instance.name

    def body(self, instance: Forum) -> str:
        parts = (
            instance.description,
            instance.convenor.name,
            str(instance.get_kind_display()),
            str(instance.get_level_display()),
        )
        return "\n".join(part for part in parts if part)

    def date(self, instance: Forum):
        return instance.active_from

    def extra_fields(self, instance: Forum) -> dict:
        return {
            "sector": sorted(sector.code for sector in instance.sectors.all()),
            "region": [instance.region.code] if instance.region else [],
            "organization": [instance.convenor.slug],
        }

    row_fields = (
        "pk",
        "name",
        "slug",
        "description",
        "kind",
        "level",
        "active_from",
        "convenor__name",
        "convenor__slug",
        "region__code",
    )

    def documents_from_rows(self, rows: list[dict[str, Any]]) -> list[tuple[str, dict]]:
        sectors = related_values(Forum, "sectors", "code", [row["pk"] for row in rows])
        kinds = choice_labels(Forum, "kind")
        levels = choice_labels(Forum, "level")
        url = ReversedUrl("forum")
        documents = []
        for row in rows:
            pk = row["pk"]
            parts = (
                row["description"],
                row["convenor__name"],
                display(kinds, row["kind"]),
                display(levels, row["level"]),
            )
            document = self.assemble(
                pk,
                title=row["name"],
                body="\n".join(part for part in parts if part),
                url=url(row["slug"]),
                when=row["active_from"],
                extra={
                    "sector": sorted(sectors.get(pk, ())),
                    "region": [row["region__code"]] if row["region__code"] is not None else [],
                    "organization": [row["convenor__slug"]],
                },
            )
            documents.append((self.document_id(pk), document))
        return documents
