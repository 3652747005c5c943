"""The rebuild's fast path: documents built from `values()` rows are those `to_document`
gives, and the catch-up after the swap re-syncs only what was synced during the fill
(saves, deletions, unpublished pages, reconcile repairs), nothing when nothing was —
without losing a change. Real engines throughout."""

import pytest
from django.core.management import call_command
from django.utils import translation

import search.rebuild
from consultations.fora.models import Forum
from organizations.models import Organization
from search import engine, rebuild_journal
from search.chunks import iter_document_chunks
from search.index import alias_name, indices_behind_alias
from search.rebuild import rebuild
from search.reconcile import fingerprint, reconcile
from search.registry import registry
from tests.factories import (
    ConstituencyFactory,
    ForumFactory,
    OrganizationFactory,
    ProgrammeFactory,
    RegionFactory,
    SectorFactory,
    publish_policy_version,
)
from tests.search.test_reconcile import assert_index_matches_database, indexed_documents

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]


def journals(client) -> list[str]:
    return list(client.indices.get(index=f"{rebuild_journal.journal_alias()}*"))


@pytest.fixture
def catch_ups(monkeypatch) -> list:
    """What each rebuild's catch-up did (`search.rebuild.CatchUp`), in order."""
    seen: list = []
    original = search.rebuild.catch_up

    def recording(*args, **kwargs):
        result = original(*args, **kwargs)
        seen.append(result)
        return result

    monkeypatch.setattr(search.rebuild, "catch_up", recording)
    return seen


def catalogue_with_edge_cases(home_page) -> None:
    """Records of every kind with rows, in the shapes their documents must survive: no
    region, several regions and sectors, a legal name equal to the name, summaries in
    both languages, an accented name, an empty description."""
    call_command("generate_demo", organizations=12, seed=3)
    north, south = RegionFactory(code="north"), RegionFactory(code="south")
    health, housing = SectorFactory(code="health"), SectorFactory(code="housing")
    OrganizationFactory(
        name="Same name",
        legal_name="Same name",
        summary_en="English summary",
        summary_fr="Résumé français",
        region=None,
        sectors=[housing, health],
        regions_served=[south, north],
        constituencies=[ConstituencyFactory(code="youth"), ConstituencyFactory(code="elders")],
    )
    OrganizationFactory(name="Accentué", slug="Accentue_1", sectors=[])
    ForumFactory(region=north, description="").sectors.set([housing, health])
    ForumFactory(region=None, kind="working_group", level="national", name="Forêt")
    ForumFactory.create_batch(3, description="Des tables régionales")
    ProgrammeFactory(description="", mode="project")
    ProgrammeFactory(description="Mission globale")
    publish_policy_version(home_page, "A version", "Its text.")


@pytest.mark.parametrize("active", ["en", "fr"])
def test_documents_from_rows_are_what_to_document_gives(home_page, active):
    """Every kind, whatever language is active: the rebuild's documents (rows for the
    kinds that declare them, instances for the others) equal `documents(instance)`."""
    catalogue_with_edge_cases(home_page)
    with_rows = [searchable.kind for searchable in registry if searchable.row_fields]
    assert {"organization", "forum", "programme"} <= set(with_rows)
    with translation.override(active):
        for searchable in registry:
            expected = {
                document_id: document
                for instance in searchable.get_queryset()
                for document_id, document in searchable.documents(instance)
            }
            built = {
                document_id: document
                for _records, documents in iter_document_chunks(searchable, chunk_size=4)
                for document_id, document in documents
            }
            assert built == expected, searchable.kind
            for document_id, document in built.items():
                assert fingerprint(document) == fingerprint(expected[document_id])
    assert Organization.objects.count() > 4 and Forum.objects.count() == 5


def test_rows_cost_the_same_queries_for_every_chunk(home_page, django_assert_num_queries):
    """One query for the rows plus one per related table, whatever the chunk holds."""
    OrganizationFactory.create_batch(6, regions_served=[RegionFactory()])
    organizations = registry.get("organization")
    chunks = iter_document_chunks(organizations, chunk_size=3)
    for _chunk in range(2):
        with django_assert_num_queries(4):
            records, documents = next(chunks)
        assert records == 3 and len(documents) == 3


def test_a_rebuild_with_no_save_during_the_fill_catches_up_nothing(
    home_page, archive_index, index_on_commit, catch_ups
):
    with index_on_commit():
        OrganizationFactory.create_batch(5)
    rebuild(chunk_size=2)

    [catch_up] = catch_ups
    assert catch_up.records == 0 and not catch_up.full
    assert_index_matches_database()
    assert not engine.get_client().indices.exists_alias(name=rebuild_journal.journal_alias())


def test_saves_deletions_and_unpublishing_during_the_fill_reach_the_new_index(
    home_page, archive_index, index_on_commit, run_on_commit, catch_ups
):
    """After the first chunk is read into the new index (the syncs write to the old
    one): a rename, a deletion, a new record, a forum's sectors changed, a version
    unpublished (its section goes with it)."""
    with index_on_commit():
        organizations = [OrganizationFactory(name=f"Organization {n}") for n in range(6)]
        forum = ForumFactory(convenor=organizations[5])
        version = publish_policy_version(home_page, "Unpublished during the fill", "Text.")
    first, second = organizations[:2]
    calls = []

    def edit_during_the_fill() -> None:
        calls.append(True)
        if len(calls) > 1:
            return
        with run_on_commit():
            first.name = "Renamed during the rebuild"
            first.save()
            second.delete()
            OrganizationFactory(name="Created during the rebuild")
            forum.sectors.set([SectorFactory(code="added-during-the-fill")])
            version.unpublish()

    [old_index] = indices_behind_alias()
    name, _written = rebuild(chunk_size=2, after_chunk=edit_during_the_fill)

    assert indices_behind_alias() == [name] != [old_index]
    assert_index_matches_database()
    stored = indexed_documents()
    assert stored[f"organization:{first.pk}"]["title"] == "Renamed during the rebuild"
    assert f"organization:{second.pk}" not in stored
    assert stored[f"forum:{forum.pk}"]["sector"] == ["added-during-the-fill"]
    assert not [key for key in stored if key.startswith(("policy_version:", "policy_section:"))]
    [catch_up] = catch_ups
    assert not catch_up.full
    # Only what was synced during the fill, not the catalogue.
    assert catch_up.noted["organization"] <= 4 and catch_up.drained.failed == 0
    assert catch_up.records < len(stored)


def test_a_repair_through_the_alias_during_the_fill_reaches_the_new_index(
    archive_index, index_on_commit, catch_ups
):
    """A change that reached no sync (an `update()`), repaired by a reconcile while the
    rebuild fills: the repair writes the old index, and notes the record."""
    with index_on_commit():
        organizations = OrganizationFactory.create_batch(4)
    calls = []

    def repair_during_the_fill() -> None:
        calls.append(True)
        if len(calls) == 1:
            Organization.objects.filter(pk=organizations[0].pk).update(name="Repaired")
            reconcile(repair=True, kinds=["organization"])

    rebuild(chunk_size=2, after_chunk=repair_during_the_fill)

    assert indexed_documents()[f"organization:{organizations[0].pk}"]["title"] == "Repaired"
    assert catch_ups[0].noted == {"organization": 1}


def test_a_lost_journal_falls_back_to_a_full_catch_up(
    archive_index, index_on_commit, run_on_commit, catch_ups
):
    """Another rebuild starting meanwhile drops this one's journal: the catch-up cannot
    know what was synced, so it reconciles everything, and still loses nothing."""
    with index_on_commit():
        organizations = OrganizationFactory.create_batch(4)
    calls = []

    def lose_the_journal() -> None:
        calls.append(True)
        if len(calls) == 1:
            client = engine.get_client()
            for journal in client.indices.get(index=f"{rebuild_journal.journal_alias()}-*"):
                client.indices.delete(index=journal)
            with run_on_commit():
                organizations[0].name = "Renamed while the journal was lost"
                organizations[0].save()

    rebuild(chunk_size=2, after_chunk=lose_the_journal)

    assert catch_ups[0].full
    assert_index_matches_database()
    stored = indexed_documents()
    assert stored[f"organization:{organizations[0].pk}"]["title"].endswith("journal was lost")


def test_a_note_after_the_journal_closed_creates_nothing(archive_index):
    """A sync that notes after the swap closed the journal: its write reaches the new
    index itself, so the note is dropped (not raised), and no index is created."""
    client = engine.get_client()
    journal = rebuild_journal.open_journal(client)
    rebuild_journal.note_synced(client, "organization", ["1", "2"])
    rebuild_journal.note_synced(client, "organization", ["2"])
    rebuild_journal.note_synced(client, "forum", [3])

    client.indices.update_aliases(actions=[rebuild_journal.closing(journal)])
    rebuild_journal.note_synced(client, "organization", ["4"])
    # Past the check, the journal closing meanwhile: the note is refused, not raised.
    rebuild_journal.write_notes(client, "organization", ["5"])

    assert rebuild_journal.read(client, journal) == {"organization": {"1", "2"}, "forum": {"3"}}
    assert journals(client) == [journal]
    rebuild_journal.discard(client, journal)
    assert not journals(client)
    assert not client.indices.exists_alias(name=rebuild_journal.journal_alias())
    assert client.indices.exists_alias(name=alias_name())


def test_a_failed_rebuild_drops_its_journal(archive_index, index_on_commit):
    with index_on_commit():
        OrganizationFactory.create_batch(3)

    def fail() -> None:
        raise RuntimeError("the rebuild dies half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        rebuild(chunk_size=2, after_chunk=fail)

    client = engine.get_client()
    assert not journals(client)
