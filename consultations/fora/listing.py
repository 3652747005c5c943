"""The list of fora, filtered by level, kind and region from an allow-list.

A region also selects the regions under it (Quebec selects its administrative regions),
as in the organization directory. The page costs the same number of queries whatever
the number of fora and seats: the regions (which validate the `region` code and fill
its menu), the count, the page with its seat and vacancy counts, and the page's sectors.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from organizations.models import Region

from . import forms as parameters
from .forms import ForaParameterError
from .models import Forum, ForumKind, ForumLevel, Seat, SeatTerm

PAGE_SIZE = 50
LEVEL, KIND, REGION, PAGE = "level", "kind", "region", "page"


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT of `queryset`'s rows for the outer forum, 0 when none."""
    return Coalesce(Subquery(queryset.values("n")), 0)


def with_seat_counts(fora: QuerySet[Forum], day: datetime.date) -> QuerySet[Forum]:
    """Each forum with `seat_count`, `held_count` (seats with a holder on `day`) and
    `vacant_count`."""
    seats = Seat.objects.filter(forum=OuterRef("pk")).values("forum").annotate(n=Count("pk"))
    held = (
        SeatTerm.objects.active_on(day)
        .filter(seat__forum=OuterRef("pk"))
        .values("seat__forum")
        .annotate(n=Count("pk"))
    )
    counted = fora.annotate(seat_count=_count(seats), held_count=_count(held))
    return counted.annotate(vacant_count=F("seat_count") - F("held_count"))


@dataclass(frozen=True)
class ForaQuery:
    level: str = ""
    kind: str = ""
    region: str = ""
    page: int = 1

    @classmethod
    def from_params(cls, params: QueryDict) -> "ForaQuery":
        """Read the allow-listed parameters; anything else in the query string is
        ignored. Raises `ForaParameterError` naming a bad one."""
        return cls(
            level=parameters.choice(params, LEVEL, ForumLevel.values),
            kind=parameters.choice(params, KIND, ForumKind.values),
            region=parameters.code(params, REGION),
            page=parameters.page(params, PAGE),
        )

    @property
    def has_filters(self) -> bool:
        return bool(self.level or self.kind or self.region)

    def querystring(self, page: int | None = None) -> str:
        """This selection as a query string ("" for everything on the first page)."""
        page = self.page if page is None else page
        pairs = [(LEVEL, self.level), (KIND, self.kind), (REGION, self.region)]
        pairs = [(name, value) for name, value in pairs if value]
        if page > 1:
            pairs.append((PAGE, str(page)))
        return f"?{urlencode(pairs)}" if pairs else ""

    def execute(self, day: datetime.date) -> "ForaResult":
        regions = list(
            Region.objects.annotate(
                has_fora=Exists(
                    Forum.objects.filter(
                        Q(region=OuterRef("pk")) | Q(region__parent=OuterRef("pk"))
                    )
                )
            ).order_by("code")
        )
        fora = Forum.objects.all()
        if self.region:
            chosen = next((region for region in regions if region.code == self.region), None)
            if chosen is None:
                raise ForaParameterError(REGION, _("unknown region code."))
            fora = fora.filter(Q(region=chosen) | Q(region__parent=chosen))
        if self.level:
            fora = fora.filter(level=self.level)
        if self.kind:
            fora = fora.filter(kind=self.kind)
        fora = with_seat_counts(fora.select_related("convenor", "region"), day)
        paginator = Paginator(fora.prefetch_related("sectors").order_by("name", "pk"), PAGE_SIZE)
        parameters.check_page(self.page, paginator.num_pages, PAGE)
        page = paginator.page(self.page)
        page.object_list = list(page.object_list)
        shown = [region for region in regions if region.has_fora or region.code == self.region]
        return ForaResult(query=self, page=page, regions=shown)


@dataclass(frozen=True)
class ForaResult:
    query: ForaQuery
    page: Page
    regions: list[Region]

    @property
    def previous_querystring(self) -> str:
        return self.query.querystring(self.page.number - 1) if self.page.has_previous() else ""

    @property
    def next_querystring(self) -> str:
        return self.query.querystring(self.page.number + 1) if self.page.has_next() else ""
