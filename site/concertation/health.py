"""`/healthz`: whether the database and the search engine answer."""

from django.db import connections
from django.db.utils import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from search.engine import engine_status
from search.outbox import summary as pending_changes


def database_status() -> dict[str, str]:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return {"status": "unavailable", "error": type(error).__name__}
    return {"status": "ok", "vendor": connections["default"].vendor}


def search_sync_status() -> dict[str, int | None]:
    """The index changes not yet in Elasticsearch (the outbox): how many, and how old the
    oldest is. A growing age means the worker is not running or the engine is down."""
    try:
        return pending_changes()
    except DatabaseError:
        return {"pending": None, "oldest_pending_seconds": None}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers; Elasticsearch being down degrades search only, so
    it is reported but does not fail the check, as are the index changes still pending
    (`search_sync`: their count and the oldest one's age in seconds)."""
    database = database_status()
    elasticsearch = engine_status()
    search_backend = "elasticsearch" if elasticsearch["status"] == "ok" else "database"
    body = {
        "status": "ok" if database["status"] == "ok" else "unavailable",
        "database": database,
        "elasticsearch": elasticsearch,
        "search_backend": search_backend,
        "search_sync": search_sync_status() if database["status"] == "ok" else None,
    }
    return JsonResponse(body, status=200 if database["status"] == "ok" else 503)
