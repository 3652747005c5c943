"""A policy version is indexed section by section: each section is a document of its own
(`policy_section`) that leads to the section's anchor. The sync tasks, the rebuild and the
reconcile write, replace and delete sections with their version. Real engines."""

import io

import pytest
from django.core.management import call_command
from elasticsearch.helpers import scan

from search import engine
from search.index import alias_name, refresh
from search.rebuild import rebuild
from search.reconcile import reconcile
from search.registry import registry
from search.tasks import sync_document, sync_documents
from tests.factories import publish_policy_version

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]


def indexed_ids() -> set[str]:
    refresh()
    return {hit["_id"] for hit in scan(engine.get_client(), index=alias_name(), _source=False)}


def section_ids(version) -> set[str]:
    return {f"policy_section:{version.pk}:1", f"policy_section:{version.pk}:21"}


@pytest.fixture
def version(home_page, archive_index, index_on_commit):
    with index_on_commit():
        return publish_policy_version(
            home_page,
            "Version two",
            "",
            sections=[
                ("1", "Scope", "Applies to every autonomous organization."),
                ("2.1", "Funding", "Core funding grows with the cost of living."),
                ("2.1", "Duplicate", "A repeated anchor is written once."),
            ],
            summary_of_changes="Funding follows the cost of living.",
        )


def test_the_documents_of_the_sections(version):
    searchable = registry.get("policy_version")
    record = searchable.get_queryset().get(pk=version.pk)
    documents = dict(searchable.to_part_documents(record))

    # "2.1" and its repetition slugify alike: the first one is kept.
    assert list(documents) == [f"policy_section:{version.pk}:1", f"policy_section:{version.pk}:21"]
    funding = documents[f"policy_section:{version.pk}:21"]
    assert funding["kind"] == "policy_section"
    assert funding["object_id"] == f"{version.pk}:21"
    assert funding["title"] == "Version two — Funding"
    assert funding["body"] == "Funding\nCore funding grows with the cost of living."
    assert funding["url"] == f"{version.get_url()}#section-21"
    assert funding["language"] == "en"
    assert funding["policy"] == version.get_parent().slug
    assert funding["year"] == 2000


def test_publishing_a_version_indexes_each_section_leading_to_its_anchor(client, version):
    assert indexed_ids() == {f"policy_version:{version.pk}", *section_ids(version)}

    response = client.get("/search/", {"q": "autonomous organization"})

    [hit] = response.context["results"].hits
    assert (hit.kind, hit.title) == ("policy_section", "Version two — Scope")
    assert hit.url == f"{version.get_url()}#section-1"
    assert "Policy section" in response.content.decode()
    # The anchor is on the version's page.
    assert 'id="section-1"' in client.get(hit.url.partition("#")[0]).content.decode()


def test_a_passage_is_found_once_in_its_section_not_again_in_the_version(client, version):
    results = client.get("/search/", {"q": "grows"}).context["results"]

    assert [(hit.kind, hit.object_id) for hit in results.hits] == [
        ("policy_section", f"{version.pk}:21")
    ]


def test_the_version_itself_is_found_by_its_summary_and_headings(client, version):
    results = client.get("/search/", {"q": "follows", "kind": "policy_version"}).context["results"]

    assert [hit.url for hit in results.hits] == [version.get_url()]


def test_a_sync_deletes_sections_the_version_no_longer_has(version):
    stale = f"policy_section:{version.pk}:9"
    engine.get_client().index(
        index=alias_name(),
        id=stale,
        document={"kind": "policy_section", "object_id": f"{version.pk}:9", "title": "Gone"},
    )

    assert sync_document.call("policy_version", str(version.pk)) == "indexed"

    assert indexed_ids() == {f"policy_version:{version.pk}", *section_ids(version)}


def test_unpublishing_a_version_takes_its_sections_out(version, index_on_commit):
    with index_on_commit():
        version.unpublish()

    assert indexed_ids() == set()


def test_deleting_a_version_takes_its_sections_out(version, index_on_commit):
    with index_on_commit():
        version.delete()

    assert indexed_ids() == set()


def test_the_bulk_sync_writes_and_clears_sections_too(version, home_page, index_on_commit):
    other = publish_policy_version(home_page, "Version three", "Nothing else.")
    for document_id in indexed_ids():
        engine.get_client().delete(index=alias_name(), id=document_id)
    version.unpublish()

    summary = sync_documents.call("policy_version", [str(version.pk), str(other.pk)])

    assert summary == "indexed 1, deleted 1"
    assert indexed_ids() == {f"policy_version:{other.pk}", f"policy_section:{other.pk}:1"}


def test_a_rebuild_writes_every_section(version):
    rebuild()

    assert indexed_ids() == {f"policy_version:{version.pk}", *section_ids(version)}


def test_reconcile_reports_and_repairs_missing_stale_and_orphaned_sections(version):
    client = engine.get_client()
    client.delete(index=alias_name(), id=f"policy_section:{version.pk}:1")
    client.update(
        index=alias_name(), id=f"policy_section:{version.pk}:21", doc={"body": "Altered."}
    )
    orphan = f"policy_section:{version.pk}:9"
    client.index(index=alias_name(), id=orphan, document={"kind": "policy_section"})
    refresh()

    [report] = reconcile(kinds=["policy_version"]).kinds

    assert report.missing == [f"policy_section:{version.pk}:1"]
    assert report.stale == [f"policy_section:{version.pk}:21"]
    assert report.orphaned == [orphan]

    output = io.StringIO()
    call_command("search_index", "reconcile", "--repair", "--no-progress", stdout=output)

    assert reconcile(kinds=["policy_version"]).in_line
    assert indexed_ids() == {f"policy_version:{version.pk}", *section_ids(version)}
    searchable = registry.get("policy_version")
    record = searchable.get_queryset().get(pk=version.pk)
    stored = client.get(index=alias_name(), id=f"policy_section:{version.pk}:21")["_source"]
    assert (
        stored["body"]
        == dict(searchable.to_part_documents(record))[f"policy_section:{version.pk}:21"]["body"]
    )
