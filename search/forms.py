"""The archive search's parameters as a form: what the page, the API and the export
accept, with their limits and the messages naming a refused one. `search.query` builds
the Elasticsearch request from its cleaned data and `search.openapi` describes its fields,
so there is one definition of a parameter."""

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .registry import registry

MAX_QUERY_LENGTH = 1000
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# No page reaches past this many results (page × size): deep from/size paging is costly
# for the engine and nobody reads result 1,001; the export streams whole result sets.
MAX_RESULT_WINDOW = 1000
MAX_PAGE = MAX_RESULT_WINDOW // PAGE_SIZE
# Facet name → how many buckets it returns at most. Each is a keyword (or integer)
# field of the index and a repeatable filter parameter of the same name.
FACETS: dict[str, int] = {
    "kind": 10,
    "sector": 30,
    "region": 30,
    "constituency": 30,
    "year": 50,
    "policy": 30,
    "organization": 30,
    "language": 5,
}
MAX_FILTER_VALUES = 20
FILTER_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
YEAR_VALUE = re.compile(r"[0-9]{4}")
DATE_VALUE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A record's primary key, or `<pk>:<suffix>` for a part of a record (a policy section).
OBJECT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_.-]{1,100})?")
SORTS = ("relevance", "date", "-date")
# What the export does not read at all: it streams every result, without facet counts.
EXPORT_IGNORES = ("page", "size", "facet")


def search_kinds() -> list[str]:
    """Every `kind` the index holds: the registered kinds and the kinds of their parts
    (a policy version's sections are documents of their own)."""
    kinds = registry.kinds()
    parts = [getattr(searchable, "part_kind", "") for searchable in registry]
    return kinds + [kind for kind in parts if kind and kind not in kinds]


def whole(pattern: re.Pattern[str]) -> str:
    """A parser's pattern as the API description's: the fields match whole values
    (`fullmatch`), a JSON Schema pattern anywhere unless anchored."""
    return f"^(?:{pattern.pattern})$"


class SearchText(forms.CharField):
    """Words to find: NUL bytes dropped (PostgreSQL and the engine refuse them), spaces
    trimmed."""

    def __init__(self, *, limit: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.limit = limit

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "maxLength": self.limit}

    def to_python(self, value: Any) -> str:
        text = super().to_python((value or "").replace("\x00", ""))
        if len(text) > self.limit:
            raise ValidationError(_("at most %(limit)d characters.") % {"limit": self.limit})
        return text


class RepeatedValues(forms.Field):
    """A repeatable parameter (`?region=a&region=b`): blanks dropped, duplicates dropped,
    at most `MAX_FILTER_VALUES`, each value a whole match of `pattern` or one of
    `choices()`."""

    widget = forms.MultipleHiddenInput

    def __init__(
        self,
        *,
        pattern: re.Pattern[str] | None = None,
        message: str = "",
        choices: Callable[[], Iterable[str]] | None = None,
        subject: str = "value",
        max_values: int | None = MAX_FILTER_VALUES,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.pattern = pattern
        self.message = message
        self.choices = choices
        self.subject = subject
        self.max_values = max_values

    def allowed(self) -> list[str]:
        return list(self.choices()) if self.choices else []

    def json_schema(self) -> dict[str, Any]:
        item: dict[str, Any] = {"type": "string"}
        if self.choices:
            item["enum"] = self.allowed()
        elif self.pattern:
            item["pattern"] = whole(self.pattern)
        schema: dict[str, Any] = {"type": "array", "items": item}
        if self.max_values:
            schema["maxItems"] = self.max_values
        return schema

    def to_python(self, value: Any) -> tuple[str, ...]:
        values = tuple(dict.fromkeys(item for item in value or () if item != ""))
        if self.max_values and len(values) > self.max_values:
            raise ValidationError(_("at most %(max)d values.") % {"max": self.max_values})
        if self.choices:
            allowed = self.allowed()
            unknown = sorted(set(values) - set(allowed))
            if unknown:
                raise ValidationError(
                    self.message
                    % {
                        self.subject: ", ".join(item[:50] for item in unknown),
                        "allowed": ", ".join(allowed),
                    }
                )
        elif self.pattern and not all(self.pattern.fullmatch(item) for item in values):
            raise ValidationError(str(self.message))
        return values


class WholeNumber(forms.Field):
    """A whole number of at most six digits; absent or blank is `initial`. `maximum` is
    what the API description declares (the form's `clean` enforces it)."""

    def __init__(self, *, maximum: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.maximum = maximum

    def json_schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": 1, "maximum": self.maximum, "default": self.initial}

    def to_python(self, value: Any) -> int:
        if value in (None, ""):
            return self.initial
        if not value.isascii() or not value.isdigit() or len(value) > 6:
            raise ValidationError(_("must be a whole number."))
        return int(value)


class Day(forms.Field):
    """A day written YYYY-MM-DD (and nothing else: no time, no week dates)."""

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": whole(DATE_VALUE)}

    def to_python(self, value: Any) -> date | None:
        if value in (None, ""):
            return None
        try:
            if not DATE_VALUE.fullmatch(value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationError(_("must be a date written YYYY-MM-DD.")) from None


class Sort(forms.Field):
    """One of `SORTS`; absent is `relevance`, and an empty value is refused."""

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(SORTS), "default": self.initial}

    def to_python(self, value: Any) -> str:
        if value is None:
            return self.initial
        if value not in SORTS:
            raise ValidationError(
                _("unknown sort %(sort)s; expected one of %(allowed)s.")
                % {"sort": value[:50], "allowed": ", ".join(SORTS)}
            )
        return value


class Like(forms.Field):
    """`<kind>:<object id>`: the record whose look-alikes are wanted."""

    def json_schema(self) -> dict[str, Any]:
        """The kinds the index holds: the field refuses any other kind, so the
        description does too."""
        kinds = "|".join(re.escape(kind) for kind in search_kinds())
        return {"type": "string", "pattern": f"^(?:{kinds}):(?:{OBJECT_ID.pattern})$"}

    def to_python(self, value: Any) -> tuple[str, str] | None:
        if value in (None, ""):
            return None
        kind, _separator, object_id = value.partition(":")
        if kind not in search_kinds() or not OBJECT_ID.fullmatch(object_id):
            raise ValidationError(_("must be a kind and a record number, such as organization:12."))
        return kind, object_id


def _filter_field(name: str) -> RepeatedValues:
    help_text = (
        f"Only records whose `{name}` is one of these values (repeatable; facets "
        "combine with AND). Unknown or malformed values: 400."
    )
    if name == "kind":
        return RepeatedValues(
            choices=search_kinds,
            message=gettext_lazy("unknown kind %(kind)s; expected one of %(allowed)s."),
            subject="kind",
            help_text=help_text,
        )
    if name == "year":
        return RepeatedValues(
            pattern=YEAR_VALUE,
            message=gettext_lazy("must be a four-digit year."),
            help_text=help_text,
        )
    return RepeatedValues(
        pattern=FILTER_VALUE,
        message=gettext_lazy(
            "must be a code of at most 100 letters, digits, dots, dashes or underscores."
        ),
        help_text=help_text,
    )


class SearchParameters(forms.Form):
    """Every parameter the search reads; the field order is the order a refusal is
    reported in, and the order of the API description's parameters."""

    q = SearchText(
        required=False,
        limit=MAX_QUERY_LENGTH,
        help_text="Words to find, in French or English (every word required, typos "
        "tolerated). Never parsed as Lucene syntax; NUL bytes are dropped.",
    )

    sort = Sort(
        required=False,
        initial="relevance",
        help_text="`relevance` (the default; newest first without words), `date` (oldest "
        "first) or `-date` (newest first).",
    )
    page = WholeNumber(
        required=False,
        initial=1,
        maximum=MAX_RESULT_WINDOW,
        help_text=f"Result page, from 1. No page reaches past result {MAX_RESULT_WINDOW}: "
        f"page × size may not exceed {MAX_RESULT_WINDOW} (page {MAX_PAGE} at the default "
        f"size, {MAX_RESULT_WINDOW} at size 1), else 400 naming `page`; the export streams "
        "whole result sets.",
    )
    size = WholeNumber(
        required=False,
        initial=PAGE_SIZE,
        maximum=MAX_PAGE_SIZE,
        help_text="Results a page (see `page` for how deep pages go).",
    )
    like = Like(
        required=False,
        help_text="Records similar to this one, given as `<kind>:<id>` (the `like` of a "
        "result). An unknown record gives no results; an unknown kind is a 400.",
    )
    facet = RepeatedValues(
        choices=lambda: FACETS,
        # The counts asked for, duplicates dropped: never more than the facets.
        max_values=None,
        message=gettext_lazy("unknown facet %(facet)s; expected one of %(allowed)s."),
        subject="facet",
        help_text="Which facet counts to return (repeatable; all by default).",
    )

    def clean_size(self) -> int:
        size = self.cleaned_data["size"]
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise ValidationError(_("must be between 1 and %(max)d.") % {"max": MAX_PAGE_SIZE})
        return size

    def clean_facet(self) -> tuple[str, ...]:
        """Every facet's counts unless some are named; an empty value is an unknown one."""
        raw = self.data.getlist("facet") if hasattr(self.data, "getlist") else []
        if "" in raw:
            raise ValidationError(
                _("unknown facet %(facet)s; expected one of %(allowed)s.")
                % {"facet": "", "allowed": ", ".join(FACETS)}
            )
        return self.cleaned_data["facet"] or tuple(FACETS)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        date_from, date_to = cleaned.get("from"), cleaned.get("to")
        if date_from and date_to and date_from > date_to:
            self.add_error("to", _("must not be before “from”."))
        page, size = cleaned.get("page"), cleaned.get("size")
        if page is not None and size is not None and (page < 1 or page * size > MAX_RESULT_WINDOW):
            self.add_error(
                "page",
                _("must be between 1 and %(max)d at %(size)d results a page.")
                % {"max": MAX_RESULT_WINDOW // size, "size": size},
            )
        return cleaned


# `from` is a Python keyword and the filters are one field per facet: those fields are
# added under their parameter names, in the order the parameters are documented.
_declared = SearchParameters.base_fields
SearchParameters.base_fields = {
    "q": _declared["q"],
    **{name: _filter_field(name) for name in FACETS},
    "from": Day(required=False, help_text="Records dated on or after this day."),
    "to": Day(
        required=False,
        help_text="Records dated on or before this day; before `from`: 400 naming `to`.",
    ),
    **{name: field for name, field in _declared.items() if name != "q"},
}
# Every parameter the search reads, for the API description and the export.
PARAMETERS = tuple(SearchParameters.base_fields)
