"""The public archive search page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .query import ArchiveQuery, SearchParameterError
from .registry import registry
from .service import search_archive


def search_page(request: HttpRequest) -> HttpResponse:
    context = {"kinds": registry.kinds(), "params": request.GET}
    try:
        query = ArchiveQuery.from_params(request.GET)
    except SearchParameterError as error:
        context["error"] = error
        return render(request, "search/search.html", context, status=400)
    context["query"] = query
    if query.text or query.kinds:
        context["results"] = search_archive(query)
    return render(request, "search/search.html", context)
