"""The archive search as JSON: `/api/search/`, its OpenAPI description and its errors.

The same parameters as the search page (`ArchiveQuery.from_params`), so the page, the
API and the export can never disagree on what a query means. The endpoints are DRF views
so that drf-spectacular can describe them (`search.openapi`); they answer as plain
Django views did: their own JSON bodies, Django's 405, the site's session, the rate
limits of `concertation.ratelimits` rather than DRF's throttling.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from concertation.parameters import refuses_parameters
from concertation.ratelimits import rate_limited

from .forms import MAX_RESULT_WINDOW, SearchParameters
from .openapi import (
    RETRY_AFTER,
    FormParametersSchema,
    openapi_description,
    rate_limited_answer,
    refused,
)
from .query import ArchiveQuery
from .results import SearchHit, SearchResults
from .serializers import SearchResponseSerializer
from .service import search_archive

TO_BEFORE_FROM = "`to` before `from`"


class AnswersJson(BaseContentNegotiation):
    """The API answers JSON whatever the client's `Accept` says, as it always did (DRF
    would answer 406)."""

    def select_parser(self, request: Request, parsers: list) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: list, format_suffix: Any = None):
        return renderers[0], renderers[0].media_type


class ArchiveAPIView(APIView):
    """A GET-only endpoint of the search API: the visitor's session (so its reader
    tokens apply), no DRF throttling, Django's 405 for any other method, no headers of
    DRF's own; its query parameters are the fields of `parameters_form`."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [AllowAny]
    throttle_classes: list = []
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AnswersJson
    http_method_names = ["get"]
    schema = FormParametersSchema()
    parameters_form = SearchParameters
    ignored_parameters: tuple[str, ...] = ()

    @classmethod
    def as_view(cls, **initkwargs: Any):
        """Refuse other methods before DRF reads the session: the same empty 405 with
        `Allow: GET` as before, and never a CSRF 403 instead."""
        return require_GET(super().as_view(**initkwargs))

    @property
    def default_response_headers(self) -> dict[str, str]:
        return {}


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
        body["notice"] = " ".join(
            [
                _("The search engine is unavailable: the simple search answered.")
                if results.engine_unavailable
                else _("No search engine is configured: the simple search answered."),
                _(
                    "It finds words as written (accents and case aside), without stemming "
                    "or typo tolerance; “like” finds nothing."
                ),
            ]
        )
    return body


class SearchAPI(ArchiveAPIView):
    @extend_schema(
        operation_id="searchArchive",
        summary="Search the archive",
        parameters=[RETRY_AFTER],
        responses={
            200: OpenApiResponse(
                SearchResponseSerializer, description="One page of results with facet counts."
            ),
            400: refused(TO_BEFORE_FROM, f"page × size past {MAX_RESULT_WINDOW}"),
            429: rate_limited_answer("search-api"),
        },
    )
    @method_decorator(rate_limited("search-api"))
    @method_decorator(refuses_parameters())
    def get(self, request: Request) -> HttpResponse:
        """One page of the records matching the parameters that the caller may read,
        with the facet counts of the whole match."""
        query = ArchiveQuery.from_request(request)
        return JsonResponse(results_json(query, search_archive(query)))


@require_GET
def openapi_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_description())
