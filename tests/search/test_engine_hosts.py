"""Several Elasticsearch nodes in ELASTICSEARCH_URL, and the shard and replica counts of
the archive index from the settings: the pieces that let the project run on a cluster
(docs/deploy.md). The two-node cluster itself is exercised by tests/cluster/ and
benches/cluster.py."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from search import engine
from search.index import index_body, indices_behind_alias
from tests.search.archive_corpus import document, put

ROOT = Path(__file__).resolve().parents[2]


def test_the_url_names_one_node_or_several_separated_by_commas():
    assert engine.hosts("http://es1:9200") == ["http://es1:9200"]
    assert engine.hosts(" http://es1:9200 , http://es2:9200,,") == [
        "http://es1:9200",
        "http://es2:9200",
    ]
    assert engine.hosts("") == []


def test_the_client_knows_every_node_named(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9201,http://127.0.0.1:9202"

    nodes = engine.get_client().transport.node_pool.all()

    assert sorted(node.base_url for node in nodes) == [
        "http://127.0.0.1:9201",
        "http://127.0.0.1:9202",
    ]


def counts(body: dict) -> tuple[int, int]:
    return body["settings"]["number_of_shards"], body["settings"]["number_of_replicas"]


def test_the_index_takes_its_shards_and_replicas_from_the_settings(settings):
    assert counts(index_body()) == (1, 0)  # one node: one shard, no replica

    settings.ELASTICSEARCH_SHARDS = 2
    settings.ELASTICSEARCH_REPLICAS = 1

    assert counts(index_body()) == (2, 1)


@pytest.mark.parametrize(
    ("variable", "value"), [("ELASTICSEARCH_SHARDS", "0"), ("ELASTICSEARCH_REPLICAS", "-1")]
)
def test_an_impossible_shard_or_replica_count_stops_the_start_naming_the_variable(variable, value):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "concertation.settings.test", variable: value}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable} must be" in result.stderr


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
@pytest.mark.elasticsearch
def test_a_node_down_among_those_named_costs_a_retry_not_a_search(client, settings, archive_index):
    """The first node named refuses connections: every search still answers from the
    engine (the client retries on the live node and sets the dead one aside), never
    from the database fallback."""
    put([document("organization", 1, "Maison des jeunes", "Youth centre and housing.")])
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port()},{settings.ELASTICSEARCH_URL}"

    for _attempt in range(4):
        body = client.get("/api/search/", {"q": "housing"}).json()
        assert body["backend"] == "elasticsearch"
        assert [hit["title"] for hit in body["results"]] == ["Maison des jeunes"]
    assert indices_behind_alias()  # index management goes through the same client


@pytest.mark.django_db
@pytest.mark.elasticsearch
def test_health_reports_the_number_of_nodes(client):
    body = client.get("/healthz").json()

    assert body["elasticsearch"]["status"] == "ok"
    assert int(body["elasticsearch"]["nodes"]) >= 1
