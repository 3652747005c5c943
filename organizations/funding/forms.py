"""The query-string parameters of the public funding pages, as forms read through
`concertation.parameters`: only these parameters are read, and a refused one is named in
the 400 the views' `refuses_parameters` answers.

A region, sector or programme must exist: checked against the codes the explorer loads
for its menus anyway (`regions`, `sectors`, `programmes`), or else in the database, one
query for each filter used (the export). A value no code or slug could equal is refused
before that query.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from concertation.parameter_fields import Choice, Code, OneValue, PageNumber
from concertation.sorting import SortField
from organizations.models import Region, Sector

from .models import FundingMode, Programme
from .report import ALLOCATION_SORT_COLUMNS, DEFAULT_ALLOCATION_SORT

# Fiscal years the archive can hold (named by the calendar year they start in).
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
# Programme slugs are at most 255 characters.
MAX_SLUG_LENGTH = 255


class FiscalYear(OneValue):
    """A fiscal year, written as the calendar year it starts in (2024 for 2024–2025);
    None when absent. A year with no allocation is a valid, empty selection."""

    def to_python(self, value: Any) -> int | None:
        raw = super().to_python(value)
        if not raw:
            return None
        if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
            raise ValidationError(
                _("must be a fiscal year written as the year it starts in, such as 2024.")
            )
        year = int(raw)
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise ValidationError(
                _("must be between %(earliest)d and %(latest)d.")
                % {"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR}
            )
        return year


class FiscalYearParameters(forms.Form):
    """New and moved money: the `year` whose flows are shown, every year when absent."""

    year = FiscalYear()


class FundingFilterParameters(FiscalYearParameters):
    """The allocations selected by the explorer and the export: `year`, `region`,
    `sector`, `programme` and `mode`."""

    region = Code()
    sector = Code()
    programme = Code(max_length=MAX_SLUG_LENGTH)
    mode = Choice(choices=FundingMode.values)

    def __init__(
        self,
        *args: Any,
        regions: Iterable[str] | None = None,
        sectors: Iterable[str] | None = None,
        programmes: Iterable[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.known = {"region": regions, "sector": sectors, "programme": programmes}

    def _existing(self, parameter: str, model: type[Model], field_name: str, message: str) -> str:
        value = self.cleaned_data[parameter]
        if not value:
            return value
        known = self.known[parameter]
        if known is not None:
            exists = value in set(known)
        else:
            exists = model._default_manager.filter(**{field_name: value}).exists()
        if not exists:
            raise ValidationError(message)
        return value

    def clean_region(self) -> str:
        return self._existing("region", Region, "code", _("unknown region code."))

    def clean_sector(self) -> str:
        return self._existing("sector", Sector, "code", _("unknown sector code."))

    def clean_programme(self) -> str:
        return self._existing("programme", Programme, "slug", _("unknown programme."))


class ExplorerParameters(FundingFilterParameters):
    """The funding explorer: the filters, and the column its list of allocations is
    sorted by (`sort`, the latest fiscal year first by default) and its `page`."""

    sort = SortField(ALLOCATION_SORT_COLUMNS, DEFAULT_ALLOCATION_SORT)
    page = PageNumber()
