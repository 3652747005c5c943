"""Saves reach the real Elasticsearch after commit, and /search/ finds them."""

import pytest
from django.db import transaction

from search import engine
from search.index import alias_name, refresh
from search.registry import registry
from tests.factories import OrganizationFactory, publish_policy_version

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]


def indexed_ids() -> set[str]:
    refresh()
    response = engine.get_client().search(index=alias_name(), size=100, query={"match_all": {}})
    return {hit["_id"] for hit in response["hits"]["hits"]}


def test_saved_organization_is_found_with_its_highlight(client, archive_index, index_on_commit):
    with index_on_commit():
        OrganizationFactory(
            name="Coopérative de solidarité du Bas-Saguenay",
            summary_en="A solidarity co-operative of worker and user members.",
        )

    response = client.get("/search/", {"q": "solidarity"})

    assert response.status_code == 200
    assert response.context["results"].backend == "elasticsearch"
    [hit] = response.context["results"].hits
    assert hit.title == "Coopérative de solidarité du Bas-Saguenay"
    assert "<mark>solidarity</mark>" in response.content.decode()


def test_deleted_organization_disappears_from_search(client, archive_index, index_on_commit):
    with index_on_commit():
        organization = OrganizationFactory(name="Comité logement Rimouski")
    assert client.get("/search/", {"q": "Rimouski"}).context["results"].total == 1

    with index_on_commit():
        organization.delete()

    assert client.get("/search/", {"q": "Rimouski"}).context["results"].total == 0


def test_a_rolled_back_save_leaves_no_document(archive_index, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        OrganizationFactory(name="Never committed")
        raise RuntimeError("the save fails after the row was written")

    assert callbacks == []
    assert indexed_ids() == set()


def test_the_index_holds_the_last_of_two_quick_saves(archive_index, index_on_commit):
    with index_on_commit():
        organization = OrganizationFactory(name="First name")
    with index_on_commit():
        organization.name = "Second name"
        organization.save()
        organization.name = "Third name"
        organization.save()

    document = engine.get_client().get(
        index=alias_name(), id=registry.get("organization").document_id(organization.pk)
    )
    assert document["_source"]["title"] == "Third name"


def test_published_policy_version_is_found_and_a_draft_is_not(
    client, home_page, archive_index, index_on_commit
):
    with index_on_commit():
        publish_policy_version(home_page, "First version", "The utilitarian approach to services.")
        publish_policy_version(
            home_page, "Unreleased draft", "A utilitarian secret.", publish=False
        )

    results = client.get("/search/", {"q": "utilitarian"}).context["results"]

    # The passage is in the version's section (a document of its own, see
    # test_policy_sections.py), and in nothing of the unreleased draft.
    assert [(hit.kind, hit.title) for hit in results.hits] == [
        ("policy_section", "First version — Scope")
    ]


def test_unpublished_policy_version_leaves_the_index(
    client, home_page, archive_index, index_on_commit
):
    with index_on_commit():
        version = publish_policy_version(home_page, "Withdrawn version", "A withdrawn text.")
    # The version (by its title) and its section.
    assert client.get("/search/", {"q": "withdrawn"}).context["results"].total == 2

    with index_on_commit():
        version.unpublish()

    assert client.get("/search/", {"q": "withdrawn"}).context["results"].total == 0


def test_search_returns_both_kinds(client, home_page, archive_index, index_on_commit):
    with index_on_commit():
        OrganizationFactory(name="Table de concertation jeunesse")
        publish_policy_version(home_page, "Version on concertation", "Regional concertation.")

    results = client.get("/search/", {"q": "concertation"}).context["results"]

    assert {hit.kind for hit in results.hits} == {
        "organization",
        "policy_version",
        "policy_section",
    }


@pytest.mark.parametrize("query", ["l'économie", "economie", "ÉCONOMIE", "économies"])
def test_french_queries_match_regardless_of_accents_and_elision(
    client, archive_index, index_on_commit, query
):
    with index_on_commit():
        OrganizationFactory(name="Chantier", summary_fr="Un acteur de l'économie sociale.")

    assert client.get("/search/", {"q": query}).context["results"].total == 1


def test_english_stemming_matches_other_forms(client, archive_index, index_on_commit):
    with index_on_commit():
        OrganizationFactory(name="Tenants", summary_en="Defending tenants in housing policies.")

    assert client.get("/search/", {"q": "policy"}).context["results"].total == 1


def test_taxonomy_changes_reach_the_document(archive_index, index_on_commit):
    from organizations.models import Region

    with index_on_commit():
        organization = OrganizationFactory(name="Carrefour jeunesse")
    with index_on_commit() as callbacks:
        organization.regions_served.set(Region.objects.filter(code__in=["qc-01", "qc-09"]))

    assert len(callbacks) == 1
    document = engine.get_client().get(
        index=alias_name(), id=registry.get("organization").document_id(organization.pk)
    )
    assert {"qc-01", "qc-09"} <= set(document["_source"]["region"])
