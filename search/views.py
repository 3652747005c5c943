"""The public archive search page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .query import FACETS, MAX_RESULT_WINDOW, SORTS, ArchiveQuery, SearchParameterError
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


def search_page(request: HttpRequest) -> HttpResponse:
    context = {
        "kinds": registry.kinds(),
        "params": request.GET,
        "facet_labels": facet_labels(),
        "sort_labels": sort_labels(),
        "max_result_window": MAX_RESULT_WINDOW,
    }
    try:
        query = ArchiveQuery.from_request(request)
    except SearchParameterError as error:
        context["error"] = error
        return render(request, "search/search.html", context, status=400)
    context["query"] = query
    if not query.is_empty:
        context["results"] = search_archive(query)
    return render(request, "search/search.html", context)
