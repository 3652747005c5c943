"""Public pages of the fora and the representation burden: the list of fora, a forum
with its seats and holders, an organization's own seats, the burden dashboard and its
CSV export.

Everything here is public record and needs no login. The query strings are read through
the forms of `forms`; a refused parameter is answered 400 by `refuses_parameters`, in
the page's own template (in plain text for the CSV export) with a message naming it.
Every page costs a fixed number of queries whatever the number of fora, seats or
organizations.
"""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from concertation import formats, sorting
from concertation.charts import Datum, bar_chart
from concertation.exports import csv_download
from concertation.parameter_fields import check_page
from concertation.parameters import read_parameters, refuses_parameters
from concertation.ratelimits import rate_limited
from organizations.models import Organization

from . import burden_report
from .burden import monthly_hours, window, with_burden
from .forms import BurdenDayParameters, BurdenParameters
from .listing import forum_listing
from .models import ForumKind, ForumLevel
from .seat_holders import OrganizationSeats, fora_for_page, recent_meetings, seats_of

TEMPLATES = "fora"
# The dashboard's table: a bounded page of organizations.
BURDEN_PAGE_SIZE = 25
# The organizations drawn in the dashboard's chart: the heaviest burdens.
BURDEN_CHART_SIZE = 10
TREND_MONTHS = 12
AS_OF, PAGE, SORT = "as_of", "page", sorting.SORT


@refuses_parameters(template=f"{TEMPLATES}/forum_list.html")
def forum_list(request: HttpRequest) -> HttpResponse:
    """Every forum, filtered by `level`, `kind` and `region`, 50 to a page."""
    today = timezone.localdate()
    result = forum_listing(request.GET, today)
    return render(
        request,
        f"{TEMPLATES}/forum_list.html",
        {
            "result": result,
            "query": result.query,
            "page_obj": result.page,
            "levels": ForumLevel.choices,
            "kinds": ForumKind.choices,
            "today": today,
        },
    )


def forum_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A forum: its facts, its seats with their holders today (or "vacant"), past
    holders and support, and its latest meetings."""
    forum = get_object_or_404(fora_for_page(), slug=slug)
    today = timezone.localdate()
    seats = seats_of(forum, today)
    return render(
        request,
        f"{TEMPLATES}/forum_detail.html",
        {
            "forum": forum,
            "seats": seats,
            "vacancies": sum(seat.vacant for seat in seats),
            "meetings": recent_meetings(forum),
            "today": today,
        },
    )


def _as_of_querystring(request: HttpRequest, as_of: datetime.date, **extra: object) -> str:
    """Keep the visitor's `as_of` in links (today's date is the default, left out), and
    the `extra` parameters given a value other than their default (None)."""
    pairs = [(AS_OF, as_of.isoformat())] if request.GET.get(AS_OF) else []
    pairs += [(name, str(value)) for name, value in extra.items() if value is not None]
    return f"?{urlencode(pairs)}" if pairs else ""


@refuses_parameters(template=f"{TEMPLATES}/organization_seats.html")
def organization_seats(request: HttpRequest, slug: str) -> HttpResponse:
    """The "our seats" page: an organization's seats now and before, with their support, the
    burden they add up to, and the hours month by month over the last year."""
    as_of = read_parameters(BurdenDayParameters, request.GET)[AS_OF]
    period = window(as_of)
    organization = with_burden(
        Organization.objects.select_related("region").filter(slug=slug), period
    ).first()
    if organization is None:
        raise Http404(_("No organization has this address."))
    trend = monthly_hours(organization, window(as_of, TREND_MONTHS))
    chart = bar_chart(
        _("Meeting and travel hours per month, the %(months)d months to %(as_of)s")
        % {"months": TREND_MONTHS, "as_of": formats.day(as_of)},
        [Datum(date_format(month, "F Y"), hours) for month, hours in trend],
        text=lambda hours: formats.number(hours, 1),
    )
    return render(
        request,
        f"{TEMPLATES}/organization_seats.html",
        {
            "organization": organization,
            "seats": OrganizationSeats.of(organization, period),
            "period": period,
            "trend": trend,
            "chart": chart,
            "thresholds": _thresholds(),
        },
    )


def _thresholds() -> dict:
    return {
        "index": settings.BURDEN_OVERLOAD_INDEX,
        "seats": settings.BURDEN_OVERLOAD_SEATS,
        "months": settings.BURDEN_WINDOW_MONTHS,
        "min_fte": settings.BURDEN_MIN_FTE,
    }


class _KnownPage(Sequence):
    """One page of a list whose other rows were never read: as long as the whole list
    for Django's `Paginator`, and the page's rows when sliced at the page's bounds."""

    def __init__(self, rows: list, total: int, offset: int) -> None:
        self.rows, self.total, self.offset = rows, total, offset

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice) or (index.start or 0) != self.offset:
            raise IndexError("only the page read can be sliced")
        return self.rows


@refuses_parameters(template=f"{TEMPLATES}/burden.html")
def burden_dashboard(request: HttpRequest) -> HttpResponse:
    """The burden of every organization, heaviest first (or sorted by the column given
    with `sort`) and 25 to a page, and the same rows summed by sector and by region, each
    as a chart and a table. Two queries whatever the size of the catalogue (see
    `burden_report.dashboard`; on PostgreSQL three statements more, the savepoint and
    `SET LOCAL jit` around them): the summarized months, then one statement in which
    the database works out, sorts, pages and sums the figures, returning the page's 25
    rows, the chart's 10 and the sums."""
    parameters = read_parameters(BurdenParameters, request.GET)
    as_of, number, sort = parameters[AS_OF], parameters[PAGE], parameters[SORT]
    period = window(as_of)
    shown = burden_report.dashboard(
        period, sort, number, size=BURDEN_PAGE_SIZE, chart_size=BURDEN_CHART_SIZE
    )
    offset = (number - 1) * BURDEN_PAGE_SIZE
    paginator = Paginator(_KnownPage(shown.rows, shown.total, offset), BURDEN_PAGE_SIZE)
    check_page(number, paginator.num_pages, PAGE)
    page = paginator.page(number)
    kept_sort = None if sort == burden_report.DEFAULT_SORT else sort

    def sorted_by(following: str) -> str:
        chosen = None if following == burden_report.DEFAULT_SORT else following
        return _as_of_querystring(request, as_of, sort=chosen) + "#burden-table"

    return render(
        request,
        f"{TEMPLATES}/burden.html",
        {
            "as_of": as_of,
            "period": period,
            "page_obj": page,
            "total": shown.total,
            "overloaded_count": shown.overloaded,
            "headers": sorting.headers(burden_report.SORT_COLUMNS, sort, sorted_by),
            "sectors": shown.sectors,
            "regions": shown.regions,
            "organization_chart": bar_chart(
                _("Highest burden index"),
                [Datum(row.name, row.burden_index, row.overloaded) for row in shown.chart],
                highlight_label=_("Overloaded"),
            ),
            "sector_chart": bar_chart(
                _("Meeting and travel hours per month, by sector"),
                [Datum(group.name, group.hours_per_month) for group in shown.sectors],
            ),
            "region_chart": bar_chart(
                _("Meeting and travel hours per month, by region"),
                [Datum(group.name, group.hours_per_month) for group in shown.regions],
            ),
            "previous_querystring": _as_of_querystring(
                request, as_of, sort=kept_sort, page=number - 1
            )
            if page.has_previous()
            else "",
            "next_querystring": _as_of_querystring(request, as_of, sort=kept_sort, page=number + 1)
            if page.has_next()
            else "",
            "export_querystring": _as_of_querystring(request, as_of),
            "thresholds": _thresholds(),
        },
    )


@rate_limited("exports")
@refuses_parameters(as_text=True)
def burden_export(request: HttpRequest) -> HttpResponse:
    """Every organization's burden as CSV, the dashboard table's columns and order. The
    rows are worked out together (their order needs every figure) and the CSV is
    streamed from them."""
    as_of = read_parameters(BurdenDayParameters, request.GET)[AS_OF]
    return csv_download(
        burden_report.csv_filename(as_of),
        [key for key, _label in burden_report.COLUMNS],
        (row.cells() for row in burden_report.ranked(window(as_of))),
        language=translation.get_language(),
    )
