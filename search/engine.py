"""The connection to Elasticsearch, made on first use rather than at import time."""

from functools import cache

from django.conf import settings
from elasticsearch import Elasticsearch


def is_configured() -> bool:
    """Whether an Elasticsearch cluster is configured (ELASTICSEARCH_URL is set)."""
    return bool(settings.ELASTICSEARCH_URL)


@cache
def _client_for(url: str, timeout: float) -> Elasticsearch:
    return Elasticsearch(url, request_timeout=timeout, max_retries=1, retry_on_timeout=False)


def get_client() -> Elasticsearch:
    """The client for the configured cluster. Call only when `is_configured()`."""
    return _client_for(settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_TIMEOUT)


def engine_status() -> dict[str, str]:
    """What /healthz reports about Elasticsearch: disabled, ok (with its version) or down."""
    if not is_configured():
        return {"status": "disabled"}
    try:
        info = get_client().info()
    except Exception as error:
        return {"status": "unavailable", "error": type(error).__name__}
    return {"status": "ok", "version": info["version"]["number"]}
