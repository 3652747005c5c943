"""/healthz reports the database and Elasticsearch, and fails only on the database."""

import socket

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.elasticsearch
def test_healthy_site_reports_both_engines(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["database"]["status"] == "ok"
    assert body["elasticsearch"]["status"] == "ok"
    assert body["elasticsearch"]["version"].startswith(("8.", "9."))
    assert body["search_backend"] == "elasticsearch"


def test_elasticsearch_down_is_reported_but_not_fatal(client, settings):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{_closed_port()}"

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["elasticsearch"]["status"] == "unavailable"
    assert response.json()["search_backend"] == "database"


def test_without_elasticsearch_search_answers_from_the_database(client, settings):
    settings.ELASTICSEARCH_URL = ""

    body = client.get("/healthz").json()

    assert body["elasticsearch"] == {"status": "disabled"}
    assert body["search_backend"] == "database"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_database_down_is_a_503(client):
    """Point the connection at a port where no database listens: a real failure."""
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = _closed_port()
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)

    assert response.status_code == 503
    assert response.json()["database"]["status"] == "unavailable"
