"""Template filters writing figures the way the visitor's language does
(`concertation.formats`)::

    {% load formats %}
    {{ allocation.amount|money }}        $1,234.50 / 1 234,50 $
    {{ row.burden_index|number }}        1,234.50 / 1 234,50 (two places)
    {{ hours|number:1 }}                 12.5 / 12,5
    {{ per_diem|number:"-2" }}           at most two places: 100 / 12.5
    {{ people|number:0 }}                2,114,000 / 2 114 000

An empty value (None, "") is written as nothing, for the template to say what it means.
"""

from django import template

from concertation import formats

register = template.Library()


def _places(argument: int | str | None) -> tuple[int, bool]:
    """`2` → two fixed places; `"-2"` → at most two."""
    text = str(2 if argument is None else argument)
    trim = text.startswith("-")
    return int(text.lstrip("-")), trim


@register.filter
def number(value, places: int | str | None = None) -> str:
    if value is None or value == "":
        return ""
    decimals, trim = _places(places)
    return formats.number(value, decimals, trim=trim)


@register.filter
def money(value, currency: str = formats.CURRENCY) -> str:
    if value is None or value == "":
        return ""
    return formats.money(value, currency)
