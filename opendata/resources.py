"""What a resource of `/api/v1/` is, and the registry of them.

Adding a resource is four small things (docs/api.md, "Adding a resource"): a serializer
(the fields, described and rendered by the same class), a filter form (its query
parameters, each field with `json_schema()` and `help_text`, and `filter()`), a function
giving the records a caller may see with what the serializer reads prefetched, and a `Resource`
registered here from the app's module listed in `RESOURCE_MODULES`. The views, URLs,
pagination, `fields=`, languages, caching headers, rate limit and OpenAPI description
come from `opendata.views` for every resource alike.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers

# Who asks: the user an API token stands for, else an anonymous visitor.
Caller = AbstractBaseUser | AnonymousUser

# The modules that register resources, imported once the apps are ready (urls).
RESOURCE_MODULES = (
    "opendata.organizations",
    "opendata.policies",
    "opendata.rounds",
    "opendata.briefs",
    "opendata.responses",
    "opendata.fora",
    "opendata.positions",
    "opendata.funding",
    "opendata.burden",
)


class ResourceFilters(forms.Form):
    """A resource's filter parameters; `filter` applies the cleaned ones. `TERMS` names
    its taxonomy filters (`opendata.parameters.Codes`) and their models: a code naming
    no term is a 400 naming the filter."""

    TERMS: dict[str, type] = {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, model in self.TERMS.items():
            codes = cleaned.get(name) or ()
            if not codes:
                continue
            known = set(model.objects.filter(code__in=codes).values_list("code", flat=True))
            unknown = [code for code in codes if code not in known]
            if unknown:
                self.add_error(name, _("unknown code “%(codes)s”.") % {"codes": ", ".join(unknown)})
        return cleaned

    @classmethod
    def filter(cls, queryset: QuerySet, cleaned: dict[str, Any]) -> QuerySet:
        return queryset


@dataclass(frozen=True)
class Resource:
    """One resource: `name` is its URL segment (`/api/v1/<name>/`), `records(caller)` the
    records the caller may see on the site's pages (an anonymous caller: the public
    record; a token's user: what that user sees, never more), ready for `serializer` in
    a fixed number of queries whatever the page size."""

    name: str
    serializer: type[serializers.Serializer]
    filters: type[ResourceFilters]
    records: Callable[[Caller], QuerySet]
    summary: str
    # The model field dating a record's last change (Last-Modified), if it has one.
    updated_field: str | None = None

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(self.serializer().fields)


class Registry:
    def __init__(self) -> None:
        self._resources: dict[str, Resource] = {}

    def register(self, resource: Resource) -> Resource:
        if resource.name in self._resources:
            raise ValueError(f"an open-data resource is already named {resource.name!r}")
        self._resources[resource.name] = resource
        return resource

    def __iter__(self) -> Iterator[Resource]:
        return iter(self._resources.values())


registry = Registry()
