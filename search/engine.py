"""The connection to Elasticsearch, made on first use rather than at import time.

`ELASTICSEARCH_URL` names one node or several, comma-separated. The client spreads its
requests over the nodes named (round robin), sets a node that fails to connect aside for
a while and retries the request on another, so one node down out of several costs a
retry, not a failed search. With `ELASTICSEARCH_SNIFF` it also learns the cluster's other
nodes from the ones named (see docs/deploy.md).
"""

from functools import cache

from django.conf import settings
from elasticsearch import Elasticsearch

from .breaker import EngineUnavailable, breaker

# With sniffing, how often at most the client asks the cluster for its nodes again.
SNIFF_INTERVAL_SECONDS = 60.0


def is_configured() -> bool:
    """Whether an Elasticsearch cluster is configured (ELASTICSEARCH_URL is set)."""
    return bool(settings.ELASTICSEARCH_URL)


def hosts(url: str) -> list[str]:
    """The node URLs in `url`: one, or several separated by commas (blanks ignored)."""
    return [part.strip() for part in url.split(",") if part.strip()]


@cache
def _client_for(url: str, timeout: float, sniff: bool) -> Elasticsearch:
    nodes = hosts(url)
    options: dict = {}
    if sniff:
        options = {
            "sniff_on_start": True,
            "sniff_on_node_failure": True,
            "min_delay_between_sniffing": SNIFF_INTERVAL_SECONDS,
        }
    # One retry per other node named (one at least), so a request reaches a live node
    # when some are down; a timeout is not retried (a slow cluster would only get slower,
    # and the circuit breaker decides what happens next).
    return Elasticsearch(
        nodes,
        request_timeout=timeout,
        max_retries=max(1, len(nodes) - 1),
        retry_on_timeout=False,
        **options,
    )


def get_client() -> Elasticsearch:
    """The client for the configured cluster. Call only when `is_configured()`."""
    return _client_for(
        settings.ELASTICSEARCH_URL,
        settings.ELASTICSEARCH_TIMEOUT,
        getattr(settings, "ELASTICSEARCH_SNIFF", False),
    )


def engine_status() -> dict[str, str]:
    """What /healthz reports about Elasticsearch: disabled, ok (with its version, the
    cluster's health and its number of nodes) or unavailable (at once while the circuit
    breaker is open).

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
    return {
        "status": "ok",
        "version": ", ".join(versions),
        "cluster": health["status"],
        "nodes": str(health["number_of_nodes"]),
    }
