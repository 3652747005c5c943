"""Form fields for query-string parameters given once: a choice, a code, a page number.

The fora and funding listings read their parameters through forms made of these
(`concertation.parameters`). Each field reads every value the query string gives its
parameter, so that `?level=local&level=national` is refused rather than one of the two
silently chosen; the same value given twice is that value, and blank values count as
absent (an empty menu of a form means no choice).
"""

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .parameters import InvalidParameters

# A page number this long is no page of any list (and `int()` refuses thousands of digits).
MAX_PAGE_DIGITS = 9
# Taxonomy codes are at most 40 characters.
MAX_CODE_LENGTH = 40
CODE = re.compile(r"[-a-zA-Z0-9_]+")


class OneValue(forms.Field):
    """A parameter's one value, stripped; "" when absent or blank."""

    # Hands the field every value of the parameter (`QueryDict.getlist`), not the last.
    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        given = [value] if isinstance(value, str) else value or ()
        values = {item.strip() for item in given} - {""}
        if len(values) > 1:
            raise ValidationError(_("give one value only."))
        return values.pop() if values else ""


class Choice(OneValue):
    """One of a fixed list of values, or "" for none."""

    def __init__(self, *, choices: Iterable[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.allowed = sorted(choices)

    def to_python(self, value: Any) -> str:
        chosen = super().to_python(value)
        if chosen and chosen not in self.allowed:
            raise ValidationError(
                _("unknown value; expected one of %(allowed)s.")
                % {"allowed": ", ".join(self.allowed)}
            )
        return chosen


class Code(OneValue):
    """A taxonomy code or a slug, shaped like one (letters, digits, hyphens,
    underscores), or "" for none; whether it exists is for the form to check, once the
    value could be one."""

    def __init__(self, *, max_length: int = MAX_CODE_LENGTH, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length

    def to_python(self, value: Any) -> str:
        code = super().to_python(value)
        if code and (len(code) > self.max_length or not CODE.fullmatch(code)):
            raise ValidationError(_("not a code."))
        return code


class PageNumber(OneValue):
    """A page number, 1 by default; whether the page exists is known once the listing
    is counted (`check_page`)."""

    def to_python(self, value: Any) -> int:
        raw = super().to_python(value) or "1"
        if not raw.isascii() or not raw.isdigit():
            raise ValidationError(_("must be a whole number, 1 or more."))
        if len(raw) > MAX_PAGE_DIGITS:
            raise ValidationError(_("at most %(limit)d digits.") % {"limit": MAX_PAGE_DIGITS})
        if int(raw) < 1:
            raise ValidationError(_("must be a whole number, 1 or more."))
        return int(raw)


def check_page(number: int, last: int, parameter: str = "page") -> None:
    """Refuse a page past the last one, naming `parameter`."""
    if number > last:
        raise InvalidParameters.of(
            parameter,
            _("there is no page %(page)d; the last page is %(last)d.")
            % {"page": number, "last": last},
        )
