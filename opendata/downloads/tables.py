"""A resource's records as CSV rows, and its data dictionary, both read from its
serializer — the class that renders and describes the API's answers — so the files, the
dictionary and the API cannot say different things.

**Flattening.** An object (a nested serializer, or a field the description gives as
one, such as a `LabelledChoice`'s `{"id", "label"}`) becomes dotted columns:
`kind.id`, `kind.label`, `incorporation.jurisdiction.parent`. A list (of terms, of
memberships, of ids) stays one cell holding its JSON, since its length varies from record
to record. The columns are known from the serializer before any record is read, so the
header never depends on the data."""

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from drf_spectacular.drainage import get_override
from rest_framework import serializers

from concertation.exports import spreadsheet_safe

from ..resources import Resource

# The dictionary's type of a field, by its DRF class (subclasses before their bases).
TYPES: tuple[tuple[type, str], ...] = (
    (serializers.BooleanField, "boolean"),
    (serializers.IntegerField, "integer"),
    (serializers.DecimalField, "decimal, as text"),
    (serializers.FloatField, "number"),
    (serializers.DateTimeField, "date-time (ISO 8601)"),
    (serializers.DateField, "date (YYYY-MM-DD)"),
    (serializers.URLField, "URL"),
    (serializers.CharField, "text"),
    (serializers.ListField, "list"),
    (serializers.ListSerializer, "list"),
    (serializers.DictField, "object"),
    (serializers.JSONField, "JSON"),
    (serializers.Serializer, "object"),
)
LIST_TYPES = {"list", "object", "JSON"}


@dataclass(frozen=True)
class Column:
    """One CSV column: the path of keys to its value in a JSON record, its type and what
    it means."""

    path: tuple[str, ...]
    type: str
    description: str

    @property
    def name(self) -> str:
        return ".".join(self.path)

    @property
    def json_cell(self) -> bool:
        """A list or an object kept whole: the cell holds its JSON."""
        return self.type in LIST_TYPES

    def value(self, record: Mapping[str, Any]) -> Any:
        value: Any = record
        for key in self.path:
            value = value.get(key) if isinstance(value, Mapping) else None
        return value


def described(field: serializers.Field) -> Any:
    """The field as the OpenAPI description gives it: its `extend_schema_field`
    override (a serializer or a JSON schema) when it has one, else itself."""
    override = get_override(field, "field")
    if override is None and isinstance(field, serializers.SerializerMethodField):
        method = getattr(field.parent, field.method_name, None)
        override = get_override(method, "field") if method is not None else None
    return field if override is None else override


def type_of(shape: Any) -> str:
    if isinstance(shape, dict):
        kinds = shape.get("type", "")
        kinds = [kinds] if isinstance(kinds, str) else [k for k in kinds if k != "null"]
        kind = kinds[0] if len(kinds) == 1 else ""
        by_format = {"uri": "URL", "date": "date (YYYY-MM-DD)", "date-time": "date-time (ISO 8601)"}
        if kind == "string" and shape.get("format") in by_format:
            return by_format[shape["format"]]
        return {
            "string": "text",
            "integer": "integer",
            "number": "number",
            "boolean": "boolean",
            "array": "list",
            "object": "object",
        }.get(kind, "JSON")
    if getattr(shape, "many", False):
        return "list"
    for kind, name in TYPES:
        if isinstance(shape, kind):
            return name
    return "text"


def _help(field: Any) -> str:
    return str(getattr(field, "help_text", None) or "")


def columns(serializer: serializers.Serializer, prefix: tuple[str, ...] = ()) -> list[Column]:
    """The CSV columns of `serializer`'s records, in its fields' order: objects split
    into dotted columns, lists kept whole."""
    found: list[Column] = []
    for name, field in serializer.fields.items():
        shape = described(field)
        if isinstance(shape, serializers.Serializer) and not getattr(shape, "many", False):
            for column in columns(shape, (*prefix, name)):
                parent = _help(field) or _help(shape)
                text = f"{parent} — {column.description}" if parent else column.description
                found.append(Column(column.path, column.type, text.strip(" —")))
            continue
        found.append(Column((*prefix, name), type_of(shape), _help(field)))
    return found


def resource_columns(resource: Resource) -> list[Column]:
    """The columns of `resource`, their descriptions in English."""
    with translation.override("en"):
        return columns(resource.serializer())


def cell(value: Any) -> str:
    """A CSV cell: empty for null, `true`/`false`, a list or an object as its JSON, text
    made safe for spreadsheets as every CSV of the site (`concertation.exports`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return spreadsheet_safe(value)


def rows(table: list[Column], records: list[Mapping[str, Any]]) -> Iterator[list[str]]:
    for record in records:
        yield [cell(column.value(record)) for column in table]


def dictionary(resource: Resource) -> dict[str, Any]:
    """The data dictionary of one resource: what each file holds and each column means."""
    name = resource.name
    return {
        "resource": name,
        "title": resource.summary,
        "api": f"/api/v1/{name}/",
        "files": {
            f"{name}.jsonl": "One record a line, as the API answers it in English "
            "(`lang=en`): the same fields, values and nesting.",
            f"{name}.fr.jsonl": "The same records as the API answers them in French "
            "(`lang=fr`): labels, translated pages and public addresses in French.",
            f"{name}.csv": "The English records flattened: an object's fields become "
            "dotted columns (`kind.id`, `kind.label`); a list stays one cell holding its "
            "JSON. Empty cell: null. A text cell starting like a spreadsheet formula "
            "(=, +, -, @) is prefixed with an apostrophe.",
            f"{name}.fr.csv": "The French records, flattened the same way, same columns.",
        },
        "order": "By id, ascending, as the API's pages.",
        "fields": [
            {
                "name": column.name,
                "type": column.type,
                "csv": "JSON cell" if column.json_cell else "column",
                "description": column.description,
            }
            for column in resource_columns(resource)
        ],
    }
