"""The list of fora, filtered by level, kind and region, read through
`forms.ForumListParameters`.

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

from concertation.parameter_fields import check_page
from concertation.parameters import read_parameters
from organizations.models import Region

from .forms import ForumListParameters
from .models import Forum, Seat, SeatTerm

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


def regions_of_fora() -> list[Region]:
    """Every region, each knowing whether a forum sits in it or under it (`has_fora`):
    the menu of the list, and the codes its `region` may take. One query."""
    return list(
        Region.objects.annotate(
            has_fora=Exists(
                Forum.objects.filter(Q(region=OuterRef("pk")) | Q(region__parent=OuterRef("pk")))
            )
        ).order_by("code")
    )


def forum_listing(params: QueryDict, day: datetime.date) -> "ForaResult":
    """The list of fora for a query string, as of `day`; raises `InvalidParameters`
    naming a refused parameter."""
    regions = regions_of_fora()
    return ForaQuery.from_params(params, regions).execute(day, regions)


@dataclass(frozen=True)
class ForaQuery:
    level: str = ""
    kind: str = ""
    region: str = ""
    page: int = 1

    @classmethod
    def from_params(cls, params: QueryDict, regions: list[Region]) -> "ForaQuery":
        """Read the form's parameters (anything else in the query string is ignored),
        `region` among `regions`; raises `InvalidParameters` naming a bad one."""
        codes = [region.code for region in regions]
        return cls(**read_parameters(ForumListParameters, params, regions=codes))

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

    def execute(self, day: datetime.date, regions: list[Region]) -> "ForaResult":
        """The page of fora, `regions` being those `regions_of_fora` loaded."""
        fora = Forum.objects.all()
        if self.region:
            chosen = next(region for region in regions if region.code == self.region)
            fora = fora.filter(Q(region=chosen) | Q(region__parent=chosen))
        if self.level:
            fora = fora.filter(level=self.level)
        if self.kind:
            fora = fora.filter(kind=self.kind)
        fora = with_seat_counts(fora.select_related("convenor", "region"), day)
        paginator = Paginator(fora.prefetch_related("sectors").order_by("name", "pk"), PAGE_SIZE)
        check_page(self.page, paginator.num_pages, PAGE)
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
