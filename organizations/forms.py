"""The public directory's parameters as a form (`organizations.directory` runs the query
from its cleaned data).

Only these parameters are read; a value that no code or choice can equal (one with a
control character, such as the NUL byte PostgreSQL refuses in text, or longer than any
code) is refused before any query, naming the parameter; the text search drops control
characters instead, as it drops extra spaces. Unknown taxonomy codes are found when the
query runs, from the same queries that count the facets."""

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Constituency, Organization, OrganizationKind, RecognitionStatus, Region, Sector

PAGE_SIZE = 25
MAX_TEXT_LENGTH = 200
MAX_VALUES_PER_FACET = 50
# A page number this long is no page of any catalogue (and `int()` refuses numbers of
# thousands of digits).
MAX_PAGE_DIGITS = 9
# C0 and C1 control characters (NUL among them, which PostgreSQL refuses in text).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# Facet parameters in the order the page shows them.
KIND = "kind"
SECTOR = "sector"
REGION = "region"
CONSTITUENCY = "constituency"
RECOGNITION = "recognition"
FACETS = (KIND, SECTOR, REGION, CONSTITUENCY, RECOGNITION)
TEXT = "q"
PAGE = "page"
PARAMETERS = (*FACETS, TEXT, PAGE)

# Facets on a choice field of the organization: parameter → (model field, choices).
CHOICE_FACETS: Mapping[str, tuple[str, type]] = {
    KIND: ("kind", OrganizationKind),
    RECOGNITION: ("recognition_status", RecognitionStatus),
}
# No facet value can be longer than the model fields that hold the codes and choices.
MAX_VALUE_LENGTH = max(
    *(model._meta.get_field("code").max_length for model in (Sector, Region, Constituency)),
    *(Organization._meta.get_field(name).max_length for name, _c in CHOICE_FACETS.values()),
)


def search_words(raw: str) -> str:
    """The search words: control characters dropped (those that are spaces, such as tab
    and newline, separate words), spaces collapsed."""
    kept = "".join(c for c in raw if c.isspace() or not CONTROL_CHARACTERS.match(c))
    return " ".join(kept.split())


class FacetValues(forms.Field):
    """A facet's values (`?sector=a&sector=b`): stripped, blanks dropped (an empty form
    field means no choice), deduplicated and sorted, so that equal selections give equal
    URLs; for a choice facet, each one of `choices`."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, choices: type | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.allowed = set(choices.values) if choices else None

    def to_python(self, value: Any) -> tuple[str, ...]:
        values = tuple(sorted({v.strip() for v in value or () if v.strip()}))
        if any(CONTROL_CHARACTERS.search(v) for v in values):
            raise ValidationError(_("control characters are not allowed."))
        if any(len(v) > MAX_VALUE_LENGTH for v in values):
            raise ValidationError(
                _("each value has at most %(limit)d characters.") % {"limit": MAX_VALUE_LENGTH}
            )
        if len(values) > MAX_VALUES_PER_FACET:
            raise ValidationError(_("at most %(limit)d values.") % {"limit": MAX_VALUES_PER_FACET})
        unknown = sorted(set(values) - self.allowed) if self.allowed is not None else []
        if unknown:
            raise ValidationError(
                _("unknown value “%(values)s”; expected one of %(allowed)s.")
                % {"values": ", ".join(unknown), "allowed": ", ".join(sorted(self.allowed))}
            )
        return values


class SearchWords(forms.Field):
    """Words to find in the names, control characters dropped, spaces collapsed."""

    def to_python(self, value: Any) -> str:
        text = search_words(value or "")
        if len(text) > MAX_TEXT_LENGTH:
            raise ValidationError(_("at most %(limit)d characters.") % {"limit": MAX_TEXT_LENGTH})
        return text


class PageNumber(forms.Field):
    """A page number, 1 or more (absent or blank: 1), of at most `MAX_PAGE_DIGITS`
    digits; whether the page exists is known when the query runs."""

    def to_python(self, value: Any) -> int:
        raw = (value or "").strip() or "1"
        if not raw.isascii() or not raw.isdigit():
            raise ValidationError(_("must be a whole number, 1 or more."))
        if len(raw) > MAX_PAGE_DIGITS:
            raise ValidationError(_("at most %(limit)d digits.") % {"limit": MAX_PAGE_DIGITS})
        if int(raw) < 1:
            raise ValidationError(_("must be a whole number, 1 or more."))
        return int(raw)


class DirectoryParameters(forms.Form):
    kind = FacetValues(choices=OrganizationKind)
    sector = FacetValues()
    region = FacetValues()
    constituency = FacetValues()
    recognition = FacetValues(choices=RecognitionStatus)
    q = SearchWords(required=False)
    page = PageNumber(required=False)
