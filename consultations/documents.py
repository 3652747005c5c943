"""How policy versions appear in the archive search."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from search.registry import SearchableModel, registry

from .models import PolicyVersionPage


@registry.register
class SearchablePolicyVersion(SearchableModel):
    model = PolicyVersionPage
    label = _("Policy version")
    kind = "policy_version"
    # Not `body`: it is StreamField JSON, and `icontains` on it would match block names
    # and keys ("section", "anchor", "heading", "value") in every version.
    fallback_fields = ("title", "summary_of_changes")

    def get_queryset(self) -> QuerySet:
        return PolicyVersionPage.objects.publicly_visible().select_related("locale")

    def title(self, instance: PolicyVersionPage) -> str:
        return instance.title

    def body(self, instance: PolicyVersionPage) -> str:
        return "\n".join(filter(None, [instance.summary_of_changes, instance.body_text()]))

    def url(self, instance: PolicyVersionPage) -> str:
        return instance.get_url()

    def language(self, instance: PolicyVersionPage) -> str:
        return instance.locale.language_code

    def date(self, instance: PolicyVersionPage):
        return instance.release_date
