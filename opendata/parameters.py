"""The query parameters every resource of `/api/v1/` shares, as form fields.

A resource's parameter form is its filter form (`opendata.resources.ResourceFilters`)
joined with `ListParameters` (a list) or `DetailParameters` (one record), so each
parameter is defined once and described by the OpenAPI description from the same field
(`json_schema()`, `help_text`: `search.openapi.FormParametersSchema`). Unlike the
site's pages, the API refuses a parameter it does not know, naming it: a misspelt
filter must not silently answer the whole catalogue.
"""

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concertation.parameter_fields import Choice, OneValue
from concertation.parameters import InvalidParameters, read_parameters
from consultations.fora.forms import Day
from organizations.models import Organization

from .pagination import Cursor

LANGUAGES = ("en", "fr")
PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
MAX_FILTER_VALUES = 20
# A taxonomy code or a slug (at most 40 characters: `organizations.models.taxonomy`).
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
FIELD_NAME = re.compile(r"[a-z_]{1,40}")


class Language(OneValue):
    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(LANGUAGES)}

    def to_python(self, value: Any) -> str:
        language = super().to_python(value)
        if language and language not in LANGUAGES:
            raise ValidationError(
                _("unknown language; expected one of %(allowed)s.")
                % {"allowed": ", ".join(LANGUAGES)}
            )
        return language


class PageSize(OneValue):
    def json_schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE}

    def to_python(self, value: Any) -> int:
        raw = super().to_python(value)
        if not raw:
            return PAGE_SIZE
        if (
            not raw.isascii()
            or not raw.isdigit()
            or len(raw) > 3
            or not (1 <= int(raw) <= MAX_PAGE_SIZE)
        ):
            raise ValidationError(
                _("must be a whole number from 1 to %(maximum)d.") % {"maximum": MAX_PAGE_SIZE}
            )
        return int(raw)


class CursorField(OneValue):
    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "maxLength": Cursor.MAX_LENGTH}

    def to_python(self, value: Any) -> Cursor | None:
        raw = super().to_python(value)
        if not raw:
            return None
        cursor = Cursor.decode(raw)
        if cursor is None:
            raise ValidationError(
                _("not a cursor of this API: use the `next` or `previous` link of a page.")
            )
        return cursor


class FieldNames(OneValue):
    """`fields=id,name`: the fields to answer with, each one the resource has; the form
    gives the allowed names (`allowed`) when it is made."""

    allowed: Sequence[str] = ()

    def json_schema(self) -> dict[str, Any]:
        names = "|".join(re.escape(name) for name in self.allowed)
        return {"type": "string", "pattern": f"^(?:{names})(?:,(?:{names}))*$"}

    def to_python(self, value: Any) -> tuple[str, ...]:
        raw = super().to_python(value)
        if not raw:
            return ()
        names = tuple(dict.fromkeys(name.strip() for name in raw.split(",") if name.strip()))
        unknown = [name for name in names if name not in self.allowed]
        if unknown:
            raise ValidationError(
                _("unknown field “%(fields)s”; expected some of %(allowed)s.")
                % {
                    "fields": ", ".join(name[:40] for name in unknown[:5]),
                    "allowed": ", ".join(self.allowed),
                }
            )
        return names


class Codes(forms.Field):
    """A repeatable filter (`?sector=housing&sector=youth`, alternatives): taxonomy codes,
    blanks and duplicates dropped; whether each exists is for the filter form's
    `clean_<name>` to check."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "array",
            "items": {"type": "string", "pattern": f"^(?:{CODE.pattern})$"},
            "maxItems": MAX_FILTER_VALUES,
        }

    def to_python(self, value: Any) -> tuple[str, ...]:
        given = [value] if isinstance(value, str) else value or ()
        codes = tuple(dict.fromkeys(item.strip() for item in given if item.strip()))
        if len(codes) > MAX_FILTER_VALUES:
            raise ValidationError(_("at most %(limit)d values.") % {"limit": MAX_FILTER_VALUES})
        if any(not CODE.fullmatch(code) for code in codes):
            raise ValidationError(_("not a code."))
        return codes


# A record's id: a positive whole number no longer than the database's integers.
MAX_ID_DIGITS = 9
FIRST_YEAR, LAST_YEAR = 1900, 2100


class RecordId(OneValue):
    """A record's id (a whole number); whether the record exists is the form's check."""

    def json_schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": 1, "maximum": 10**MAX_ID_DIGITS - 1}

    def to_python(self, value: Any) -> int | None:
        raw = super().to_python(value)
        if not raw:
            return None
        if not raw.isascii() or not raw.isdigit() or len(raw) > MAX_ID_DIGITS or int(raw) < 1:
            raise ValidationError(_("must be a record's id (a whole number)."))
        return int(raw)


class OrganizationId(RecordId):
    """An organization's id, which must name one: a filter naming no organization is a
    400, not an empty page that would read as "it has none"."""

    def validate(self, value: int | None) -> None:
        super().validate(value)
        if value is not None and not Organization.objects.filter(pk=value).exists():
            raise ValidationError(_("no organization has this id."))


class CalendarYear(OneValue):
    def json_schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR}

    def to_python(self, value: Any) -> int | None:
        raw = super().to_python(value)
        if not raw:
            return None
        if not raw.isascii() or not raw.isdigit() or not FIRST_YEAR <= int(raw[:5]) <= LAST_YEAR:
            raise ValidationError(
                _("must be a year from %(first)d to %(last)d.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return int(raw)


class IsoDay(Day):
    """`consultations.fora.forms.Day` (YYYY-MM-DD, 1900–2100), described."""

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date"}


class ChoiceOf(Choice):
    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.allowed)}


class DetailParameters(forms.Form):
    """What one record's endpoint reads."""

    fields = FieldNames(
        help_text=gettext_lazy(
            "The fields to answer with, comma-separated (`fields=id,name`); all by default. "
            "An unknown field: 400."
        )
    )
    lang = Language(
        help_text=gettext_lazy(
            "The language of labels and links: `en` or `fr`. Without it, `Accept-Language` "
            "decides (English by default)."
        )
    )


class ListParameters(DetailParameters):
    """What a list endpoint reads besides its resource's filters."""

    cursor = CursorField(
        help_text=gettext_lazy(
            "Where the page starts: the `next` or `previous` link of the page before. "
            "Absent: the first page. A cursor not made by this API: 400."
        )
    )
    page_size = PageSize(help_text=gettext_lazy("Records per page, 1 to 100 (25 by default)."))


def parameters_form(
    base: type[forms.Form], filters: type[forms.Form] | None, field_names: Sequence[str]
) -> type[forms.Form]:
    """The form of one endpoint: the resource's filters (a list only), then `base`."""
    bases = (filters, base) if filters is not None else (base,)
    name = f"{(filters or base).__name__}{base.__name__}"
    form = type(name, bases, {})
    # Its own `fields` field, knowing the resource's names (the description lists them).
    chosen = FieldNames(help_text=base.base_fields["fields"].help_text)
    chosen.allowed = tuple(field_names)
    form.base_fields["fields"] = chosen
    return form


def read_api_parameters(form_class: type[forms.Form], params: QueryDict) -> dict[str, Any]:
    """The cleaned parameters; a parameter the form has no field for is refused first,
    naming it."""
    known = set(form_class.base_fields)
    for name in params:
        if name not in known:
            raise InvalidParameters.of(
                name[:100],
                _("unknown parameter; expected one of %(allowed)s.")
                % {"allowed": ", ".join(form_class.base_fields)},
            )
    return read_parameters(form_class, params)
