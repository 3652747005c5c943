"""The archive on a cluster of two nodes or more: a rebuild spreads the index over them,
every shard with a replica on another node than its primary, and the search API answers
from it, restricted records kept from anonymous visitors as on one node."""

import pytest
from django.core.management import call_command

from search import engine
from search.index import alias_name
from tests.factories import OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch, pytest.mark.cluster]


def test_a_rebuild_spreads_the_index_over_the_nodes_with_its_replicas(cluster, client):
    for number in range(12):
        OrganizationFactory(name=f"Housing network {number}")

    call_command("search_index", "rebuild", "--no-progress")

    es = engine.get_client()
    health = es.cluster.health(index=alias_name(), wait_for_status="green", timeout="60s")
    assert health["status"] == "green"
    assert health["number_of_nodes"] >= 2
    assert health["active_primary_shards"] == 2
    assert health["active_shards"] == 4
    copies: dict[str, set[str]] = {}
    for shard in es.cat.shards(index=alias_name(), format="json", h="shard,state,node"):
        assert shard["state"] == "STARTED"
        copies.setdefault(shard["shard"], set()).add(shard["node"])
    assert all(len(nodes) == 2 for nodes in copies.values())  # primary and replica apart

    body = client.get("/api/search/", {"q": "housing network", "size": 50}).json()
    assert body["backend"] == "elasticsearch"
    assert body["total"] == 12


def test_the_cluster_keeps_restricted_records_from_anonymous_visitors(cluster, client, settings):
    """The readers filter rides on the query, whatever shard a document lands on."""
    from search.index import ensure_index
    from tests.search.archive_corpus import document, put

    ensure_index()
    put(
        [document("organization", number, f"Public housing table {number}") for number in range(6)]
        + [
            document(
                "organization",
                100 + number,
                f"Restricted housing file {number}",
                visibility="restricted",
                readers=["user:1"],
            )
            for number in range(6)
        ]
    )

    body = client.get("/api/search/", {"q": "housing", "size": 50}).json()

    assert body["backend"] == "elasticsearch"
    assert body["total"] == 6
    assert all(hit["title"].startswith("Public") for hit in body["results"])
