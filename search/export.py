"""The whole result set of a query as CSV or JSON, streamed.

Pages through Elasticsearch with `search_after` on the query's sort keys, which end with
the unique `uid`, in a point in time, so the cost of a chunk does not grow with its depth
(from/size paging would, and is refused past 1,000 results) and edits made during the
export do not shift it. The records the visitor may read only, like every search.
Without the engine, or when its first request fails, the database fallback's results
(`search.fallback.database_hits`), in the same order.
"""

import logging
from collections.abc import Iterable, Iterator
from dataclasses import replace

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from elasticsearch import ApiError, NotFoundError, TransportError
from rest_framework.request import Request

from concertation.exports import csv_download, json_download
from concertation.parameters import refuses_parameters
from concertation.ratelimits import rate_limited

from . import engine
from .api import TO_BEFORE_FROM, ArchiveAPIView, hit_json
from .breaker import EngineUnavailable, breaker
from .fallback import database_hits
from .forms import EXPORT_IGNORES
from .index import alias_name
from .openapi import RETRY_AFTER, rate_limited_answer, refused
from .query import ArchiveQuery
from .results import SearchHit
from .serializers import ExportRecordSerializer
from .service import hit_from_source, localize_url, readable_like

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
SOURCE_FIELDS = ["kind", "object_id", "title", "url", "language", "date"]
CSV_COLUMNS = ["kind", "object_id", "title", "url", "language", "date"]


# How long the engine keeps the export's point in time between two chunks.
KEEP_ALIVE = "2m"


def chunks(query: ArchiveQuery) -> Iterator[list[SearchHit]]:
    """The hits of `query`, CHUNK_SIZE at a time, in the query's order.

    Paged with `search_after` in a point in time: every chunk reads the index as it was
    when the export began, so records saved or deleted meanwhile are neither skipped nor
    repeated. The point in time is closed when the export ends, however it ends.
    """
    if not readable_like(query):
        return
    client = engine.get_client()
    try:
        pit = client.open_point_in_time(index=alias_name(), keep_alive=KEEP_ALIVE)["id"]
    except NotFoundError:
        return  # no index yet: nothing to export
    try:
        search = (
            query.base_search(alias_name())
            .index()
            .using(client)
            .source(SOURCE_FIELDS)
            .extra(size=CHUNK_SIZE, track_total_hits=False)
        )
        after = None
        while True:
            page = search.extra(pit={"id": pit, "keep_alive": KEEP_ALIVE})
            if after is not None:
                page = page.extra(search_after=after)
            response = page.execute()
            raw_hits = response.hits.hits
            if not raw_hits:
                return
            yield [hit_from_source(raw["_source"].to_dict()) for raw in raw_hits]
            if len(raw_hits) < CHUNK_SIZE:
                return
            pit = response.to_dict().get("pit_id", pit)
            after = list(raw_hits[-1]["sort"])
    finally:
        client.options(ignore_status=404).close_point_in_time(id=pit)


def localized(hit: SearchHit, language: str) -> SearchHit:
    if hit.language or not language:
        return hit
    return replace(hit, url=localize_url(hit.url, language))


def record(hit: SearchHit) -> dict:
    """The exported columns of one hit."""
    described = hit_json(hit)
    return {column: described[column] for column in CSV_COLUMNS}


def export(request: HttpRequest, fmt: str) -> HttpResponse:
    query = ArchiveQuery.from_request(request, ignores=EXPORT_IGNORES)
    language = translation.get_language() or ""
    if not engine.is_configured():
        return download(fmt, (localized(hit, language) for hit in database_hits(query)))
    pages = chunks(query)
    try:
        # The first chunk before answering: an engine failure then exports from the
        # database (as the page answers) rather than a truncated file; while the
        # breaker is open, at once.
        with breaker().guard():
            first = next(pages, [])
    except EngineUnavailable:
        return download(fmt, (localized(hit, language) for hit in database_hits(query)))
    except (TransportError, ApiError) as error:
        logger.warning("Archive export fell back to the database: %s", error)
        return download(fmt, (localized(hit, language) for hit in database_hits(query)))

    def hits() -> Iterator[SearchHit]:
        yield from (localized(hit, language) for hit in first)
        try:
            for chunk in pages:
                yield from (localized(hit, language) for hit in chunk)
        except (TransportError, ApiError) as error:
            # Too late for an error status: the file ends early and the log says why.
            logger.warning("Archive export stopped early: %s", error)

    return download(fmt, hits())


def download(fmt: str, hits: Iterable[SearchHit]) -> HttpResponse:
    """`hits` as the streamed CSV or JSON file."""
    filename = f"archive-search.{fmt}"
    if fmt == "csv":
        rows = (list(record(hit).values()) for hit in hits)
        return csv_download(filename, CSV_COLUMNS, rows)
    return json_download(filename, (record(hit) for hit in hits))


def export_operation(
    operation_id: str, summary: str, media_type: str, answer: OpenApiResponse
) -> extend_schema:
    """An export's description: `answer` is its 200, in `media_type`; its refusals are
    the search's, less the paging it does not read."""
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        parameters=[RETRY_AFTER],
        responses={
            (200, media_type): answer,
            400: refused(TO_BEFORE_FROM),
            429: rate_limited_answer("exports"),
        },
    )


class ArchiveExport(ArchiveAPIView):
    """Every result of a search, streamed; `page`, `size` and `facet` are not read."""

    ignored_parameters = EXPORT_IGNORES
    fmt = ""

    @method_decorator(rate_limited("exports"))
    @method_decorator(refuses_parameters())
    def get(self, request: Request) -> HttpResponse:
        """Every record matching the parameters that the caller may read, in the
        search's order; from the database when the search engine cannot answer."""
        return export(request, self.fmt)


@extend_schema_view(
    get=export_operation(
        "exportArchiveCsv",
        "Every result of a search, as CSV (streamed)",
        "text/csv",
        OpenApiResponse(
            OpenApiTypes.STR,
            description="Columns: kind, object_id, title, url, language, date.",
        ),
    )
)
class CsvExport(ArchiveExport):
    fmt = "csv"


@extend_schema_view(
    get=export_operation(
        "exportArchiveJson",
        "Every result of a search, as a JSON array (streamed)",
        "application/json",
        OpenApiResponse(ExportRecordSerializer(many=True), description="An array of records."),
    )
)
class JsonExport(ArchiveExport):
    fmt = "json"
