"""Numbers, money and days written the way the visitor's language writes them.

Every figure a person reads — in a template, a chart or a message — goes through here
(templates through the `formats` filters), so that a French page says `1 234,50 $` and
an English one `$1,234.50`, never `1234.5` beside `1,234.50`. The number and currency
patterns are Unicode CLDR's, through Babel, for the Canadian variant of the active
language (`fr` → `fr_CA`, `en` → `en_CA`): its grouping separator in French is a
no-break space, so an amount never breaks over two lines. Days are Django's own
`DATE_FORMAT` of the language, the same as a date written in a template.

Machine-read figures (CSV exports, JSON, SVG coordinates, `<input>` values) are not
for here: they keep plain digits and a dot.
"""

import datetime
import functools
from decimal import Decimal

from babel import Locale
from babel.numbers import NumberPattern, format_currency, parse_pattern
from django.utils import formats, translation

# Amounts are Canadian dollars unless a record names another currency.
CURRENCY = "CAD"
# The Canadian variant of each language the site is written in.
REGIONAL_LOCALES = {"en": "en_CA", "fr": "fr_CA"}

Number = int | float | Decimal


def locale_of(language: str | None = None) -> str:
    """The CLDR locale for `language` (the active one by default)."""
    code = (language or translation.get_language() or "en").lower()
    return REGIONAL_LOCALES.get(code.split("-")[0], REGIONAL_LOCALES["en"])


def _pattern(decimals: int, trim: bool) -> str:
    """A grouped decimal pattern: `decimals` fixed places, or at most that many with
    `trim` (2 → "#,##0.00"; 2 trimmed → "#,##0.##")."""
    if decimals <= 0:
        return "#,##0"
    return "#,##0." + ("#" if trim else "0") * decimals


@functools.lru_cache(maxsize=32)
def _parsed(locale: str, decimals: int, trim: bool) -> tuple[Locale, NumberPattern]:
    """The locale and the pattern, parsed once: `format_decimal` parses both on every
    call, most of its time (a page of figures writes hundreds of numbers)."""
    return Locale.parse(locale), parse_pattern(_pattern(decimals, trim))


def number(value: Number, decimals: int = 2, *, trim: bool = False) -> str:
    """`value` grouped by thousands with the language's separators: `decimals` places
    (trailing zeros dropped with `trim`). 1234.5 → "1,234.50" / "1 234,50". What
    `format_decimal(value, format=…, locale=…)` writes, with the parsing cached."""
    locale, pattern = _parsed(locale_of(), decimals, trim)
    return pattern.apply(value, locale)


def money(value: Number, currency: str = CURRENCY, *, decimals: int = 2) -> str:
    """An amount with its currency sign where the language puts it: 1234.5 →
    "$1,234.50" / "1 234,50 $" (`decimals=0`: "$1,235" / "1 235 $")."""
    locale = locale_of()
    if decimals == 2:
        return format_currency(value, currency, locale=locale)
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    whole = pattern.replace("#,##0.00", _pattern(decimals, trim=False))
    return format_currency(value, currency, format=whole, locale=locale, currency_digits=False)


def day(value: datetime.date) -> str:
    """A day as the language writes it ("Dec. 5, 2026" / "5 décembre 2026"), as a date
    shown in a template is."""
    return formats.date_format(value)
