"""Tests against a real Elasticsearch cluster of several nodes, marked `cluster`: run only
when ELASTICSEARCH_CLUSTER_URL names one (several URLs, comma-separated), e.g.

    export ES_NODES=2 ES_STATE_DIR=var/cluster-elasticsearch
    export ELASTICSEARCH_CLUSTER_URL=$(scripts/elasticsearch start)
    .venv/bin/pytest tests/cluster

`make test` does not start a cluster (two more JVMs), so there they are skipped."""

import os

import pytest

CLUSTER_URL = os.environ.get("ELASTICSEARCH_CLUSTER_URL", "")


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "cluster: needs the Elasticsearch cluster named by ELASTICSEARCH_CLUSTER_URL"
    )


def pytest_collection_modifyitems(config, items) -> None:
    if CLUSTER_URL:
        return
    skip = pytest.mark.skip(reason="ELASTICSEARCH_CLUSTER_URL is unset (no cluster to test)")
    for item in items:
        if "cluster" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def cluster(settings):
    """The project pointed at the cluster, its archive index with two shards and one
    replica; this test's indices deleted afterwards."""
    from search.index import drop_all

    settings.ELASTICSEARCH_URL = CLUSTER_URL
    settings.ELASTICSEARCH_SHARDS = 2
    settings.ELASTICSEARCH_REPLICAS = 1
    drop_all()
    yield CLUSTER_URL
    drop_all()
