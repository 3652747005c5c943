"""Looking up, in a few queries for the whole file, what its rows are checked against:
taxonomy codes, the names and slugs already taken, the coalitions they join."""

from collections.abc import Iterable

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.text import slugify

from ..models import Constituency, FieldOfActivity, Organization, Region, Sector
from .columns import FORBIDDEN_CHARACTERS
from .results import Table

# Names, slugs and coalitions are looked up this many at a time (one query each).
LOOKUP_CHUNK_SIZE = 200


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), LOOKUP_CHUNK_SIZE):
        yield values[start : start + LOOKUP_CHUNK_SIZE]


def _matching(texts: set[str], fields: tuple[str, ...]) -> Iterable[Organization]:
    """The organizations whose `fields` equal one of `texts`, ignoring case, a few
    hundred texts per query. Exact matches are asked for as well: SQLite's LOWER()
    folds ASCII letters only, and the unique constraints compare exactly."""
    organizations = Organization.objects.annotate(
        lower_name=Lower("name"), lower_slug=Lower("slug")
    ).only("pk", "name", "slug", "kind")
    for chunk in _chunks(sorted(texts)):
        lowered = [text.lower() for text in chunk]
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__in": chunk}) | Q(**{f"lower_{name}__in": lowered})
        yield from organizations.filter(condition)


def _searchable(texts: set[str]) -> set[str]:
    """The texts worth looking up: not empty, and without the control characters that
    reject their row anyway (PostgreSQL refuses NUL even in a query's parameters)."""
    return {text for text in texts if text and not FORBIDDEN_CHARACTERS.search(text)}


class _Lookups:
    """Everything the rows are checked against, read in a few queries for the file."""

    def __init__(self, table: Table) -> None:
        self.codes: dict[type[models.Model], dict[str, int]] = {
            model: {code.lower(): pk for pk, code in model.objects.values_list("pk", "code")}
            for model in (Region, Sector, Constituency, FieldOfActivity)
        }
        names = _searchable({values.get("name", "") for _n, values in table.rows})
        slugs = _searchable(
            {values.get("slug") or slugify(values.get("name", "")) for _n, values in table.rows}
        )
        coalitions = _searchable({values.get("coalition", "") for _n, values in table.rows})
        self.existing_names = {o.name.lower(): o.name for o in _matching(names, ("name",))}
        self.existing_slugs = {o.slug.lower(): o.name for o in _matching(slugs, ("slug",))}
        self.existing_coalitions: dict[str, Organization] = {}
        for organization in _matching(coalitions, ("name", "slug")):
            self.existing_coalitions[organization.name.lower()] = organization
            self.existing_coalitions[organization.slug.lower()] = organization
        # Where each name and slug appears in the file, to tell "later in the file" apart.
        self.row_of: dict[str, int] = {}
        for number, values in table.rows:
            for key in (values.get("name", ""), values.get("slug", "")):
                if key:
                    self.row_of.setdefault(key.lower(), number)
