"""Public funding pages: an organization's funding beside its service load, the funding
explorer, new and moved money, and the explorer's CSV export.

Every figure is computed from `visibility.visible_allocations(request.user)`: the public
sees published allocations only, an organization's editors also its approved ones, a
programme's finance staff all of its allocations — and no figure ever counts a draft
(see `visibility`). The query strings are read through the forms of `forms`; a refused
parameter is answered 400 by `refuses_parameters`, in the page's own template (in plain
text for the CSV export) with a message naming it. Every page costs a fixed number of
queries whatever the number of allocations.
"""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext as _

from concertation import formats, sorting
from concertation.charts import Datum, bar_chart
from concertation.exports import csv_download
from concertation.parameter_fields import check_page
from concertation.parameters import read_parameters, refuses_parameters
from concertation.ratelimits import rate_limited
from organizations.models import Organization

from . import flows as funding_flows
from . import report as funding_report
from .forms import ExplorerParameters, FiscalYearParameters, FundingFilterParameters
from .history import FundingHistory
from .models import FundingMode
from .report import PAGE, SORT, FundingFilters, Menus
from .visibility import DetailedRecords, counted_allocations, visible_allocations

TEMPLATES = "funding"
# The explorer's list of allocations: a bounded page.
PAGE_SIZE = 50


def organization_funding(request: HttpRequest, slug: str) -> HttpResponse:
    """An organization's allocations year by year, its service load, and the funding per
    person served, as a chart and a table."""
    organization = get_object_or_404(Organization.objects.select_related("region"), slug=slug)
    history = FundingHistory.of(organization, request.user)
    chart = bar_chart(
        _("Funding per person served, by fiscal year (CAD)"),
        [
            Datum(year.label, year.per_person)
            for year in history.years
            if year.per_person is not None
        ],
        text=formats.money,
    )
    return render(
        request,
        f"{TEMPLATES}/organization_funding.html",
        {"organization": organization, "history": history, "chart": chart},
    )


def _charts(figures: funding_report.Figures) -> dict:
    def bars(title: str, totals: list[funding_report.Total]) -> object:
        return bar_chart(
            title, [Datum(total.label, total.amount) for total in totals], text=formats.money
        )

    return {
        "year_chart": bars(_("Money allocated by fiscal year (CAD)"), figures.by_year),
        "programme_chart": bars(_("Money allocated by programme (CAD)"), figures.by_programme),
        "mode_chart": bars(_("Money allocated by mode (CAD)"), figures.by_mode),
        "region_chart": bars(_("Money allocated by head-office region (CAD)"), figures.by_region),
        "sector_chart": bars(_("Money allocated by sector (CAD)"), figures.by_sector),
    }


@refuses_parameters(template=f"{TEMPLATES}/explorer.html")
def funding_explorer(request: HttpRequest) -> HttpResponse:
    """Allocations filtered by `year`, `region`, `sector`, `programme` and `mode`:
    totals by year, programme, mode, region and sector (charts and tables), and the
    allocations themselves, 50 to a page. Seven queries: the filters' menus (three, which
    also validate the filters), the totals (two), the count and the page."""
    menus = Menus.load()
    parameters = read_parameters(ExplorerParameters, request.GET, **menus.codes())
    filters, number, sort = FundingFilters.of(parameters), parameters[PAGE], parameters[SORT]
    allocations = filters.apply(counted_allocations(request.user))
    paginator = Paginator(funding_report.listed(allocations, sort), PAGE_SIZE)
    check_page(number, paginator.num_pages, PAGE)
    figures = funding_report.figures(allocations, filters)
    page = paginator.page(number)
    return render(
        request,
        f"{TEMPLATES}/explorer.html",
        {
            "filters": filters,
            "menus": menus,
            "modes": FundingMode.choices,
            "figures": figures,
            "page_obj": page,
            "headers": sorting.headers(
                funding_report.ALLOCATION_SORT_COLUMNS,
                sort,
                lambda following: filters.querystring(sort=following) + "#allocation-table",
            ),
            "previous_querystring": filters.querystring(number - 1, sort)
            if page.has_previous()
            else "",
            "next_querystring": filters.querystring(number + 1, sort) if page.has_next() else "",
            "export_querystring": filters.querystring(),
            **_charts(figures),
        },
    )


@refuses_parameters(template=f"{TEMPLATES}/new_and_moved.html")
def new_and_moved(request: HttpRequest) -> HttpResponse:
    """Per fiscal year, new money against money moved from elsewhere; the flows of moved
    money from sub-sector (or programme) to sub-sector, and each sub-sector's net, over
    every year or the one chosen with `year`. Three queries."""
    chosen = read_parameters(FiscalYearParameters, request.GET)[funding_report.YEAR]
    allocations = counted_allocations(request.user)
    years = funding_flows.money_by_year(allocations)
    moved = allocations if chosen is None else allocations.filter(fiscal_year=chosen)
    flows = funding_flows.flows(moved)
    balances = funding_flows.balances(flows)
    year_data = []
    for year in years:
        year_data.append(Datum(_("%(year)s new") % {"year": year.label}, year.new))
        year_data.append(
            Datum(_("%(year)s reallocated") % {"year": year.label}, year.reallocated, True)
        )
    return render(
        request,
        f"{TEMPLATES}/new_and_moved.html",
        {
            "chosen_year": chosen,
            "years": years,
            "flows": flows,
            "balances": balances,
            "year_chart": bar_chart(
                _("New and reallocated money by fiscal year (CAD)"), year_data, text=formats.money
            ),
            "lost_chart": bar_chart(
                _("Money moved away, by sub-sector (CAD)"),
                [Datum(b.name, b.lost) for b in balances if b.lost],
                text=formats.money,
            ),
            "gained_chart": bar_chart(
                _("Money moved in, by sub-sector (CAD)"),
                [Datum(b.name, b.gained) for b in balances if b.gained],
                text=formats.money,
            ),
        },
    )


@rate_limited("exports")
@refuses_parameters(as_text=True)
def funding_export(request: HttpRequest) -> HttpResponse:
    """The allocations the visitor may see, with the explorer's filters, as CSV,
    streamed. Unlike the explorer's figures, the finance staff of a programme also get
    its drafts here, each line saying its status; the public never does."""
    filters = FundingFilters.of(read_parameters(FundingFilterParameters, request.GET))
    allocations = filters.apply(visible_allocations(request.user))
    details = DetailedRecords.for_user(request.user)
    return csv_download(
        funding_report.csv_filename(filters),
        funding_report.CSV_COLUMNS,
        funding_report.csv_rows(allocations, details),
        language=translation.get_language(),
    )
