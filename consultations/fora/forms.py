"""The query-string parameters of the public fora and burden pages, as forms read
through `concertation.parameters`: only these parameters are read, and a refused one is
named in the 400 the views' `refuses_parameters` answers.

Nothing here touches the database: the list of fora hands its form the region codes it
loads for its menu anyway, so an unknown region costs no query of its own.
"""

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from concertation.parameter_fields import Choice, Code, OneValue, PageNumber
from concertation.sorting import SortField

from .burden_report import DEFAULT_SORT, SORT_COLUMNS
from .models import ForumKind, ForumLevel

# Dates the burden can be measured at: a window of months before the first of them is
# still a real date, and nothing is recorded after the last.
EARLIEST_AS_OF = datetime.date(1900, 1, 1)
LATEST_AS_OF = datetime.date(2100, 12, 31)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Day(OneValue):
    """A day written YYYY-MM-DD, between `EARLIEST_AS_OF` and `LATEST_AS_OF`; None when
    absent."""

    def to_python(self, value: Any) -> datetime.date | None:
        raw = super().to_python(value)
        if not raw:
            return None
        try:
            if not _ISO_DATE.fullmatch(raw):
                raise ValueError(raw)
            day = datetime.date.fromisoformat(raw)
        except ValueError:
            raise ValidationError(
                _("must be a date written YYYY-MM-DD, such as 2024-03-31.")
            ) from None
        if not EARLIEST_AS_OF <= day <= LATEST_AS_OF:
            raise ValidationError(
                _("must be between %(earliest)s and %(latest)s.")
                % {"earliest": EARLIEST_AS_OF.isoformat(), "latest": LATEST_AS_OF.isoformat()}
            )
        return day


class ForumListParameters(forms.Form):
    """The list of fora: `level`, `kind`, `region` (a code among `regions`) and `page`."""

    level = Choice(choices=ForumLevel.values)
    kind = Choice(choices=ForumKind.values)
    region = Code()
    page = PageNumber()

    def __init__(self, *args: Any, regions: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regions = frozenset(regions)

    def clean_region(self) -> str:
        region = self.cleaned_data["region"]
        if region and region not in self.regions:
            raise ValidationError(_("unknown region code."))
        return region


class BurdenDayParameters(forms.Form):
    """`as_of`, the day the burden is measured at: today when absent."""

    as_of = Day()

    def clean_as_of(self) -> datetime.date:
        return self.cleaned_data["as_of"] or timezone.localdate()


class BurdenParameters(BurdenDayParameters):
    """The burden dashboard: `as_of`, the column the table is sorted by (`sort`, the
    heaviest burden first by default) and the table's `page`."""

    sort = SortField(SORT_COLUMNS, DEFAULT_SORT)
    page = PageNumber()
