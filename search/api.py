"""The archive search as JSON: `/api/search/`, its OpenAPI description and its errors.

The same parameters as the search page (`ArchiveQuery.from_params`), so the page, the
API and the export can never disagree on what a query means.
"""

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from concertation.parameters import refuses_parameters
from concertation.ratelimits import rate_limited

from .openapi import openapi_description
from .query import ArchiveQuery
from .results import SearchHit, SearchResults
from .service import search_archive


def error_response(parameter: str | None, message: str, status: int = 400) -> JsonResponse:
    """The error shape every search endpoint answers with; `parameter` is None when no
    parameter is at fault (the engine is down)."""
    return JsonResponse({"error": {"parameter": parameter, "message": str(message)}}, status=status)


def hit_json(hit: SearchHit) -> dict:
    return {
        "kind": hit.kind,
        "object_id": hit.object_id,
        "title": hit.title,
        "url": hit.url,
        "language": hit.language,
        "date": hit.date or None,
        "highlights": [str(fragment) for fragment in hit.highlights],
        "like": hit.like,
        "restricted": hit.restricted,
    }


def results_json(query: ArchiveQuery, results: SearchResults) -> dict:
    body = {
        "total": results.total,
        "page": query.page,
        "size": query.size,
        "results": [hit_json(hit) for hit in results.hits],
        "facets": {
            name: [{"value": bucket.value, "count": bucket.count} for bucket in buckets]
            for name, buckets in (results.facets or {}).items()
        },
        "backend": results.backend,
    }
    if results.backend == "database":
        body["notice"] = (
            (
                _("The search engine is unavailable: results come from the database fallback.")
                if results.engine_unavailable
                else _("No search engine is configured: results come from the database fallback.")
            )
            + " "
            + _("Facets, filters other than kind, dates and “like” are not applied.")
        )
    return body


@require_GET
@rate_limited("search-api")
@refuses_parameters()
def search_api(request: HttpRequest) -> JsonResponse:
    query = ArchiveQuery.from_request(request)
    return JsonResponse(results_json(query, search_archive(query)))


@require_GET
def openapi_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_description())
