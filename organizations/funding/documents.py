"""How funding programmes appear in the archive search (found by the search app's
autodiscovery of each installed app's `documents` module)."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from search.registry import SearchableModel, registry
from search.rows import choice_labels, display

from .models import Programme


@registry.register
class SearchableProgramme(SearchableModel):
    """A funding programme: the whole catalogue is public (allocations are not indexed)."""

    model = Programme
    label = _("Funding programme")
    kind = "programme"
    fallback_fields = ("name", "description")
    depends_on = (Organization,)

    def pks_depending_on(self, instance: Organization) -> QuerySet:
        return instance.programmes.values_list("pk", flat=True)

    def get_queryset(self) -> QuerySet:
        return Programme.objects.select_related("funder")

    def title(self, instance: Programme) -> str:
        return instance.name

    def body(self, instance: Programme) -> str:
        parts = (instance.description, instance.funder.name, str(instance.get_mode_display()))
        return "\n".join(part for part in parts if part)

    def date(self, instance: Programme):
        # A fiscal year is named by the calendar year it starts in, in April.
        return datetime.date(instance.first_fiscal_year, 4, 1)

    def extra_fields(self, instance: Programme) -> dict:
        return {"organization": [instance.funder.slug]}

    row_fields = (
        "pk",
        "name",
        "slug",
        "description",
        "mode",
        "first_fiscal_year",
        "funder__name",
        "funder__slug",
    )

    def documents_from_rows(self, rows: list[dict[str, Any]]) -> list[tuple[str, dict]]:
        modes = choice_labels(Programme, "mode")
        # `Programme.get_absolute_url`, without reversing it per record.
        explorer = reverse("funding_explorer")
        documents = []
        for row in rows:
            parts = (row["description"], row["funder__name"], display(modes, row["mode"]))
            document = self.assemble(
                row["pk"],
                title=row["name"],
                body="\n".join(part for part in parts if part),
                url=f"{explorer}?programme={row['slug']}",
                when=datetime.date(row["first_fiscal_year"], 4, 1),
                extra={"organization": [row["funder__slug"]]},
            )
            documents.append((self.document_id(row["pk"]), document))
        return documents
