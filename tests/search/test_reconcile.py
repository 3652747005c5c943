"""`search_index reconcile` compares the index with the database, and repairs it; a
rebuild keeps the edits made while it fills the new index. Real engines throughout."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from elasticsearch.helpers import scan

from organizations.models import Organization
from search import engine
from search.index import alias_name, indices_behind_alias, refresh
from search.rebuild import rebuild
from search.reconcile import fingerprint, reconcile
from search.registry import registry
from tests.factories import OrganizationFactory, publish_policy_version

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]


def indexed_documents(index: str | None = None) -> dict[str, dict]:
    """Every document of the index: id -> stored source."""
    target = index or alias_name()
    engine.get_client().indices.refresh(index=target)
    return {hit["_id"]: hit["_source"] for hit in scan(engine.get_client(), index=target)}


def database_documents() -> dict[str, dict]:
    """What the index should hold: every indexable record's documents (its own and
    its parts')."""
    return {
        document_id: document
        for searchable in registry
        for instance in searchable.get_queryset()
        for document_id, document in searchable.documents(instance)
    }


def assert_index_matches_database() -> None:
    stored = indexed_documents()
    expected = database_documents()
    assert sorted(stored) == sorted(expected)
    for document_id, document in expected.items():
        assert fingerprint(stored[document_id]) == fingerprint(document), document_id


@pytest.fixture
def out_of_line(home_page, archive_index, index_on_commit):
    """An index one record behind in each way. Changes made outside `index_on_commit`
    never reach the index (tests never commit), as when a worker lost them."""
    with index_on_commit():
        kept = OrganizationFactory(name="In line")
        changed = OrganizationFactory(name="Before the change")
        deleted = OrganizationFactory(name="Deleted since")
        unpublished = publish_policy_version(home_page, "Unpublished since", "text")
    missing = OrganizationFactory(name="Never indexed")
    Organization.objects.filter(pk=changed.pk).update(name="After the change")
    deleted_pk = deleted.pk
    deleted.delete()
    unpublished.unpublish()
    return {
        "kept": kept.pk,
        "missing": missing.pk,
        "stale": changed.pk,
        "orphaned_organization": deleted_pk,
        "orphaned_policy_version": unpublished.pk,
    }


def test_reconcile_reports_missing_stale_and_orphaned_and_changes_nothing(out_of_line):
    before = indexed_documents()

    report = reconcile()

    by_kind = {part.kind: part for part in report.kinds}
    organizations = by_kind["organization"]
    assert organizations.checked == 3
    assert organizations.missing == [str(out_of_line["missing"])]
    assert organizations.stale == [str(out_of_line["stale"])]
    assert organizations.orphaned == [f"organization:{out_of_line['orphaned_organization']}"]
    # The unpublished version and its section.
    assert by_kind["policy_version"].orphaned == [
        f"policy_section:{out_of_line['orphaned_policy_version']}:1",
        f"policy_version:{out_of_line['orphaned_policy_version']}",
    ]
    assert (report.total("missing"), report.total("stale"), report.total("orphaned")) == (1, 1, 3)
    assert indexed_documents() == before


def test_the_command_prints_a_summary_and_repairs_everything(out_of_line):
    report = io.StringIO()
    call_command("search_index", "reconcile", "--no-progress", stdout=report)
    assert "organization: 1 missing, 1 stale, 1 orphaned" in report.getvalue()
    assert "policy_version: 0 missing, 0 stale, 2 orphaned" in report.getvalue()
    assert "Checked 3 records: 1 missing, 1 stale, 3 orphaned." in report.getvalue()

    repair = io.StringIO()
    call_command("search_index", "reconcile", "--repair", "--no-progress", stdout=repair)

    assert "Checked 3 records: 1 missing, 1 stale, 3 orphaned (repaired)." in repair.getvalue()
    assert_index_matches_database()
    assert indexed_documents()[f"organization:{out_of_line['stale']}"]["title"] == (
        "After the change"
    )
    assert reconcile().in_line


def test_reconcile_of_one_kind_leaves_the_others_alone(out_of_line):
    output = io.StringIO()
    call_command(
        "search_index",
        "reconcile",
        "--repair",
        "--kind",
        "policy_version",
        "--no-progress",
        stdout=output,
    )

    assert "Checked 0 records: 0 missing, 0 stale, 2 orphaned (repaired)." in output.getvalue()
    report = reconcile()
    assert (report.total("missing"), report.total("stale"), report.total("orphaned")) == (1, 1, 1)


def test_each_chunk_is_read_with_the_same_number_of_queries(archive_index):
    def queries(records: int) -> tuple[int, list[int]]:
        """Total queries of a reconcile by chunks of 2, and each chunk's own."""
        marks: list[int] = []
        with CaptureQueriesContext(connection) as captured:
            reconcile(
                kinds=["organization"],
                chunk_size=2,
                progress=lambda done: marks.append(len(captured.captured_queries)),
            )
        per_chunk = [after - before for before, after in zip([0, *marks], marks, strict=False)]
        return len(captured.captured_queries), per_chunk

    OrganizationFactory.create_batch(2)
    one_chunk, [first] = queries(2)
    OrganizationFactory.create_batch(4)
    three_chunks, per_chunk = queries(6)

    assert first > 0
    assert per_chunk == [first] * 3
    assert three_chunks - one_chunk == 2 * first


# --------------------------------------------------------- rebuild under edits ---


def test_edits_made_while_a_rebuild_fills_the_new_index_are_kept(
    archive_index, index_on_commit, run_on_commit
):
    with index_on_commit():
        organizations = [OrganizationFactory(name=f"Organization {n}") for n in range(6)]
    first, second = organizations[:2]
    calls = []

    def edit_during_the_fill() -> None:
        """After the first chunk (the first two records) is read into the new index:
        change one of them, delete the other, add a record, as saves in the admin do."""
        calls.append(True)
        if len(calls) > 1:
            return
        with run_on_commit():
            first.name = "Renamed during the rebuild"
            first.save()
            second.delete()
            OrganizationFactory(name="Created during the rebuild")

    [old_index] = indices_behind_alias()
    name, _written = rebuild(chunk_size=2, after_chunk=edit_during_the_fill)

    assert len(calls) >= 3
    assert indices_behind_alias() == [name] != [old_index]
    assert_index_matches_database()
    stored = indexed_documents()
    assert stored[f"organization:{first.pk}"]["title"] == "Renamed during the rebuild"
    assert f"organization:{second.pk}" not in stored
    assert engine.get_client().count(index=alias_name())["count"] == 6


def test_a_failed_rebuild_leaves_the_old_index_serving_and_deletes_the_new_one(
    archive_index, index_on_commit
):
    with index_on_commit():
        OrganizationFactory.create_batch(4)
    [old_index] = indices_behind_alias()
    before = indexed_documents()

    def fail() -> None:
        raise RuntimeError("the rebuild dies half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        rebuild(chunk_size=2, after_chunk=fail)

    assert indices_behind_alias() == [old_index]
    assert list(engine.get_client().indices.get(index=f"{alias_name()}-*")) == [old_index]
    refresh()
    assert indexed_documents() == before
