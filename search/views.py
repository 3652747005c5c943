"""The public archive search page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from concertation.parameters import refuses_parameters

from .forms import FACETS, MAX_RESULT_WINDOW, SORTS
from .query import ArchiveQuery
from .registry import registry
from .service import search_archive


def facet_labels() -> dict[str, str]:
    """The visitor-facing name of each facet (translated on each request)."""
    labels = {
        "kind": _("Kind of record"),
        "sector": _("Sector"),
        "region": _("Region"),
        "constituency": _("Constituency"),
        "year": _("Year"),
        "policy": _("Policy"),
        "organization": _("Organization"),
        "language": _("Language"),
    }
    return {name: labels[name] for name in FACETS}


def sort_labels() -> dict[str, str]:
    labels = {"relevance": _("Relevance"), "date": _("Oldest first"), "-date": _("Newest first")}
    return {name: labels[name] for name in SORTS}


def page_context(request: HttpRequest) -> dict:
    """What the page shows whatever the parameters (the form, and a refusal's message)."""
    return {
        "kinds": registry.kinds(),
        "params": request.GET,
        "facet_labels": facet_labels(),
        "sort_labels": sort_labels(),
        "max_result_window": MAX_RESULT_WINDOW,
    }


@refuses_parameters(template="search/search.html", context=page_context)
def search_page(request: HttpRequest) -> HttpResponse:
    query = ArchiveQuery.from_request(request)
    context = {**page_context(request), "query": query}
    if not query.is_empty:
        context["results"] = search_archive(query)
    return render(request, "search/search.html", context)
