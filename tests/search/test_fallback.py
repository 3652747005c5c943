"""Without Elasticsearch, or with it down, search answers from the database and says so;
saving never depends on the engine."""

import socket

import pytest

from organizations.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on: a real refused connection, not a mock."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_without_elasticsearch_the_database_answers_with_a_note(client, settings):
    settings.ELASTICSEARCH_URL = ""
    OrganizationFactory(name="Maison des jeunes de Lévis", summary_en="A youth centre.")

    response = client.get("/search/", {"q": "youth"})

    results = response.context["results"]
    assert results.backend == "database"
    assert not results.engine_unavailable
    assert [hit.title for hit in results.hits] == ["Maison des jeunes de Lévis"]
    assert "<mark>youth</mark>" in response.content.decode()
    assert "database fallback" in response.content.decode()


def test_fallback_needs_every_word(client, settings):
    settings.ELASTICSEARCH_URL = ""
    OrganizationFactory(name="Youth housing", summary_en="")
    OrganizationFactory(name="Youth centre", summary_en="")

    results = client.get("/search/", {"q": "youth housing"}).context["results"]

    assert [hit.title for hit in results.hits] == ["Youth housing"]


def test_fallback_finds_policy_versions(client, settings, home_page):
    from tests.factories import publish_policy_version

    settings.ELASTICSEARCH_URL = ""
    publish_policy_version(
        home_page, "First version", "A text.", summary_of_changes="A utilitarian view."
    )
    publish_policy_version(
        home_page,
        "Hidden draft",
        "A text.",
        publish=False,
        summary_of_changes="A utilitarian draft.",
    )

    results = client.get("/search/", {"q": "utilitarian"}).context["results"]

    assert [hit.title for hit in results.hits] == ["First version"]


@pytest.mark.parametrize("word", ["anchor", "heading", "section", "value", "type"])
def test_fallback_does_not_match_the_structure_of_the_policy_text(
    client, settings, home_page, word
):
    """The text is stored as StreamField JSON: its block names and keys are no words of
    the policy, so they must match nothing."""
    from tests.factories import publish_policy_version

    settings.ELASTICSEARCH_URL = ""
    publish_policy_version(
        home_page,
        "First version",
        "A text on housing.",
        summary_of_changes="Adds a chapter on tenants.",
    )

    assert client.get("/search/", {"q": word}).context["results"].total == 0
    assert client.get("/search/", {"q": "tenants"}).context["results"].total == 1


def test_engine_down_degrades_to_the_database_with_a_visible_note(client, settings, closed_port):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port}"
    OrganizationFactory(name="Carrefour familial", summary_en="Families first.")

    response = client.get("/search/", {"q": "families"})

    assert response.status_code == 200
    assert response.context["results"].engine_unavailable
    assert response.context["results"].total == 1
    assert "search engine is unavailable" in response.content.decode()


def test_a_save_succeeds_while_the_engine_is_down(
    settings, closed_port, django_capture_on_commit_callbacks
):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port}"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        OrganizationFactory(name="Saved during an outage")

    assert len(callbacks) == 1  # the index update was attempted after commit, and failed
    assert Organization.objects.filter(name="Saved during an outage").exists()


def test_bad_page_parameter_is_a_clear_400(client):
    response = client.get("/search/", {"q": "x", "page": "abc"})

    assert response.status_code == 400
    assert "page" in response.content.decode()
