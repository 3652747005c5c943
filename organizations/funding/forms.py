"""The query-string parameters of the public funding pages, read from an allow-list.

Each reader takes the raw `QueryDict` and returns a clean value or raises
`FundingParameterError` naming the parameter, which the views answer with a 400. Nothing
here touches the database: whether a region, sector or programme exists is checked by
`report.FundingFilters.resolve`, and a value no code or slug could equal is
refused here, before that query.
"""

from collections.abc import Iterable

from django.http import QueryDict
from django.utils.translation import gettext as _

from concertation.parameters import ParameterError

# Fiscal years the archive can hold (named by the calendar year they start in).
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
# A page number this long is no page of any list (and `int()` refuses thousands of digits).
MAX_PAGE_DIGITS = 9
# Taxonomy codes are at most 40 characters, programme slugs 255.
MAX_CODE_LENGTH = 40
MAX_SLUG_LENGTH = 255
_SLUG_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


class FundingParameterError(ParameterError):
    """A query-string parameter a funding page cannot accept."""


def single(params: QueryDict, parameter: str) -> str:
    """The one value of `parameter`, stripped; "" when absent or blank. Given twice with
    different values, it is refused rather than one of them silently chosen."""
    values = {value.strip() for value in params.getlist(parameter)} - {""}
    if len(values) > 1:
        raise FundingParameterError(parameter, _("give one value only."))
    return values.pop() if values else ""


def choice(params: QueryDict, parameter: str, allowed: Iterable[str]) -> str:
    """A value from a fixed list of choices, or "" for none."""
    value = single(params, parameter)
    allowed = sorted(allowed)
    if value and value not in allowed:
        raise FundingParameterError(
            parameter,
            _("unknown value; expected one of %(allowed)s.") % {"allowed": ", ".join(allowed)},
        )
    return value


def slug(params: QueryDict, parameter: str, max_length: int = MAX_CODE_LENGTH) -> str:
    """A taxonomy code or a programme's slug, shaped like one (letters, digits, hyphens,
    underscores); whether it exists is for the caller to check."""
    value = single(params, parameter)
    if value and (len(value) > max_length or not set(value) <= _SLUG_CHARACTERS):
        raise FundingParameterError(parameter, _("not a code."))
    return value


def fiscal_year(params: QueryDict, parameter: str = "year") -> int | None:
    """A fiscal year, written as the calendar year it starts in (2024 for 2024–2025);
    None when absent. A year with no allocation is a valid, empty selection."""
    raw = single(params, parameter)
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
        raise FundingParameterError(
            parameter,
            _("must be a fiscal year written as the year it starts in, such as 2024."),
        )
    year = int(raw)
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise FundingParameterError(
            parameter,
            _("must be between %(earliest)d and %(latest)d.")
            % {"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )
    return year


def page(params: QueryDict, parameter: str = "page") -> int:
    """A page number, 1 by default; whether the page exists is for the caller to check
    (see `check_page`)."""
    raw = single(params, parameter) or "1"
    if not raw.isascii() or not raw.isdigit():
        raise FundingParameterError(parameter, _("must be a whole number, 1 or more."))
    if len(raw) > MAX_PAGE_DIGITS:
        raise FundingParameterError(
            parameter, _("at most %(limit)d digits.") % {"limit": MAX_PAGE_DIGITS}
        )
    if int(raw) < 1:
        raise FundingParameterError(parameter, _("must be a whole number, 1 or more."))
    return int(raw)


def check_page(number: int, last: int, parameter: str = "page") -> None:
    if number > last:
        raise FundingParameterError(
            parameter,
            _("there is no page %(page)d; the last page is %(last)d.")
            % {"page": number, "last": last},
        )
