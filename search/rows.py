"""Helpers for building a chunk of search documents from `values()` rows
(`SearchableModel.documents_from_rows`): what an instance would compute per record —
a related table's codes, an address, a choice's label — read or computed once a chunk.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.urls import reverse

# Characters `reverse` leaves as they are, and that every slug converter accepts: an
# address made of them is the template's with the value put in.
_PLAIN = re.compile(r"[-a-zA-Z0-9_]+")
_PLACEHOLDER = "rowsplaceholder0"


def related_values(
    model: type[Model], field: str, value: str, keys: Iterable[Any]
) -> dict[Any, list[Any]]:
    """For the records `keys` of `model`, the `value` column of the rows their
    many-to-many `field` points to: `{key: [value, …]}`, in one query on the through
    table (records without any are absent)."""
    relation = model._meta.get_field(field)
    through = relation.remote_field.through
    source = relation.m2m_field_name()
    target = relation.m2m_reverse_field_name()
    found: dict[Any, list[Any]] = defaultdict(list)
    rows = through.objects.filter(**{f"{source}__in": list(keys)}).values_list(
        f"{source}_id", f"{target}__{value}"
    )
    for key, related in rows:
        found[key].append(related)
    return found


class ReversedUrl:
    """`reverse(viewname, args=[value])` (or `kwargs={argument: value}`) for many values:
    reversed once with a placeholder, then the value put in its place when it is made of
    characters `reverse` would leave alone; any other value is reversed as such. Create
    it in the language the addresses are for."""

    def __init__(self, viewname: str, argument: str | None = None) -> None:
        self.viewname = viewname
        self.argument = argument
        self.prefix, self.suffix = self._reverse(_PLACEHOLDER).split(_PLACEHOLDER)

    def _reverse(self, value: str) -> str:
        if self.argument is None:
            return reverse(self.viewname, args=[value])
        return reverse(self.viewname, kwargs={self.argument: value})

    def __call__(self, value: str) -> str:
        if _PLAIN.fullmatch(value):
            return f"{self.prefix}{value}{self.suffix}"
        return self._reverse(value)


def choice_labels(model: type[Model], field: str) -> dict[Any, str]:
    """What `get_<field>_display()` gives for each choice of `model.field`, in the
    active language (a value outside the choices displays as itself)."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def display(labels: dict[Any, str], value: Any) -> str:
    """`get_<field>_display()` from `choice_labels`."""
    return labels.get(value, str(value))
