"""The connection to Elasticsearch, made on first use rather than at import time."""

from functools import cache

from django.conf import settings
from elasticsearch import Elasticsearch

from .breaker import EngineUnavailable, breaker


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
    """What /healthz reports about Elasticsearch: disabled, ok (with its version and
    cluster health) or unavailable (at once while the circuit breaker is open).

    The version comes from the local node's info rather than `GET /`, which the
    integration-test distribution does not serve.
    """
    if not is_configured():
        return {"status": "disabled"}
    client = get_client()
    try:
        with breaker().guard():
            health = client.cluster.health()
            nodes = client.nodes.info(node_id="_local", filter_path="nodes.*.version")
    except EngineUnavailable:
        # It failed a moment ago; a health check polled often must not wait on it either.
        return {"status": "unavailable", "error": "EngineUnavailable", "breaker": "open"}
    except Exception as error:  # any failure means "down" to a health check
        return {"status": "unavailable", "error": type(error).__name__}
    versions = sorted({node["version"] for node in nodes["nodes"].values()})
    return {"status": "ok", "version": ", ".join(versions), "cluster": health["status"]}
