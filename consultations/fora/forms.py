"""The query-string parameters of the public fora and burden pages, read from an
allow-list.

Each reader takes the raw `QueryDict` and returns a clean value or raises
`ForaParameterError` naming the parameter, which the views answer with a 400. Nothing
here touches the database except `region`, which must name a region that exists; a
value no code could equal is refused before that query.
"""

import datetime
import re
from collections.abc import Iterable

from django.http import QueryDict
from django.utils.translation import gettext as _

from concertation.parameters import ParameterError

# Dates the burden can be measured at: a window of months before the first of them is
# still a real date, and nothing is recorded after the last.
EARLIEST_AS_OF = datetime.date(1900, 1, 1)
LATEST_AS_OF = datetime.date(2100, 12, 31)
_ISO_DATE = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")
# A page number this long is no page of any list (and `int()` refuses thousands of digits).
MAX_PAGE_DIGITS = 9
# No code or choice is longer than this (taxonomy codes are at most 40 characters).
MAX_CODE_LENGTH = 40
_CODE = re.compile(r"\A[-a-zA-Z0-9_]+\Z")


class ForaParameterError(ParameterError):
    """A query-string parameter a fora or burden page cannot accept."""


def single(params: QueryDict, parameter: str) -> str:
    """The one value of `parameter`, stripped; "" when absent or blank. Given twice
    with different values, it is refused rather than one of them silently chosen."""
    values = {value.strip() for value in params.getlist(parameter)} - {""}
    if len(values) > 1:
        raise ForaParameterError(parameter, _("give one value only."))
    return values.pop() if values else ""


def choice(params: QueryDict, parameter: str, allowed: Iterable[str]) -> str:
    """A value from a fixed list of choices, or "" for none."""
    value = single(params, parameter)
    allowed = sorted(allowed)
    if value and value not in allowed:
        raise ForaParameterError(
            parameter,
            _("unknown value; expected one of %(allowed)s.") % {"allowed": ", ".join(allowed)},
        )
    return value


def code(params: QueryDict, parameter: str) -> str:
    """A taxonomy code shaped like one (letters, digits, hyphens); whether it exists is
    for the caller to check."""
    value = single(params, parameter)
    if value and (len(value) > MAX_CODE_LENGTH or not _CODE.match(value)):
        raise ForaParameterError(parameter, _("not a code."))
    return value


def page(params: QueryDict, parameter: str = "page") -> int:
    """A page number, 1 by default; whether the page exists is for the caller to check
    (see `check_page`)."""
    raw = single(params, parameter) or "1"
    if not raw.isascii() or not raw.isdigit():
        raise ForaParameterError(parameter, _("must be a whole number, 1 or more."))
    if len(raw) > MAX_PAGE_DIGITS:
        raise ForaParameterError(
            parameter, _("at most %(limit)d digits.") % {"limit": MAX_PAGE_DIGITS}
        )
    if int(raw) < 1:
        raise ForaParameterError(parameter, _("must be a whole number, 1 or more."))
    return int(raw)


def check_page(number: int, last: int, parameter: str = "page") -> None:
    if number > last:
        raise ForaParameterError(
            parameter,
            _("there is no page %(page)d; the last page is %(last)d.")
            % {"page": number, "last": last},
        )


def as_of(params: QueryDict, default: datetime.date, parameter: str = "as_of") -> datetime.date:
    """The day the burden is measured at, as YYYY-MM-DD; `default` when absent."""
    raw = single(params, parameter)
    if not raw:
        return default
    try:
        if not _ISO_DATE.match(raw):
            raise ValueError(raw)
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        raise ForaParameterError(
            parameter, _("must be a date written YYYY-MM-DD, such as 2024-03-31.")
        ) from None
    if not EARLIEST_AS_OF <= day <= LATEST_AS_OF:
        raise ForaParameterError(
            parameter,
            _("must be between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST_AS_OF.isoformat(), "latest": LATEST_AS_OF.isoformat()},
        )
    return day
