"""`/healthz`: whether the database and the search engine answer."""

from django.db import connections
from django.db.utils import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from search.engine import engine_status


def database_status() -> dict[str, str]:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return {"status": "unavailable", "error": type(error).__name__}
    return {"status": "ok", "vendor": connections["default"].vendor}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers; Elasticsearch being down degrades search only, so
    it is reported but does not fail the check."""
    database = database_status()
    elasticsearch = engine_status()
    search_backend = "elasticsearch" if elasticsearch["status"] == "ok" else "database"
    body = {
        "status": "ok" if database["status"] == "ok" else "unavailable",
        "database": database,
        "elasticsearch": elasticsearch,
        "search_backend": search_backend,
    }
    return JsonResponse(body, status=200 if database["status"] == "ok" else 503)
