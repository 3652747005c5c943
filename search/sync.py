"""Align the archive index with the database for a set of records, in one bulk request.

Used by the outbox drain (`search.drain`), the direct sync tasks and the retry command.
It re-reads the rows rather than trusting what was recorded when they changed, so the
index holds the records' state at the time of the sync, whatever happened before. When
a record shown in other kinds' documents changed what they show, it records their
changes in the outbox before writing it (`search.dependents`).
"""

from dataclasses import dataclass, field
from typing import Any

from elasticsearch import ApiError, TransportError
from elasticsearch.helpers import bulk

from . import engine, rebuild_journal
from .dependents import changed_for_dependents, dependent_kinds, record_dependents
from .failures import clear_failures, record_failures
from .index import ensure_index
from .parts import indexed_part_ids
from .registry import SearchableModel

# What "the engine is down or refused" looks like: no connection or a timeout
# (TransportError), or an error answer (ApiError).
ENGINE_ERRORS = (TransportError, ApiError)


@dataclass
class SyncOutcome:
    """What one sync did: the keys found in the database, the failed ones with their
    errors, and whether the engine itself failed (rather than refusing some items)."""

    found: set[str] = field(default_factory=set)
    failed: dict[str, str] = field(default_factory=dict)
    engine_failed: bool = False


def sync_records(searchable: SearchableModel, keys: list[str]) -> SyncOutcome:
    """Re-read the records `keys` and align the index with them in one bulk request;
    record the failures and clear the successes (`search.failures`, the staff screen)."""
    found = {
        str(instance.pk): instance for instance in searchable.get_queryset().filter(pk__in=keys)
    }
    searchable.prepare(list(found.values()))
    outcome = SyncOutcome(found=set(found))
    try:
        client = engine.get_client()
        # A rebuild filling a new index re-syncs these keys after its swap (after the
        # read above, before the write below: see search.rebuild_journal).
        rebuild_journal.note_synced(client, searchable.kind, keys)
        alias = ensure_index()
        actions = sync_actions(client, alias, searchable, keys, found)
        record_changed_dependents(client, alias, searchable, found, actions)
        # A document already absent is what a delete wants: a 404 is not an error here.
        # Items refused one by one are collected rather than raised, so the others count.
        _ok, item_errors = bulk(client, actions, ignore_status=404, raise_on_error=False)
        outcome.failed = _item_errors(searchable, item_errors)
    except ENGINE_ERRORS as error:
        outcome.failed = dict.fromkeys(keys, describe(error))
        outcome.engine_failed = True
    clear_failures(searchable.kind, [pk for pk in keys if pk not in outcome.failed])
    if outcome.failed:
        record_failures(searchable.kind, outcome.failed)
    return outcome


def sync_actions(
    client: Any, index: str, searchable: SearchableModel, keys: list[str], found: dict[str, Any]
) -> list[dict]:
    """The bulk actions that align `index` with the database for the records `keys`:
    each one found (`found`, by key) written with its parts, each other one deleted, and
    every part no longer written deleted (see `search.parts`)."""
    actions: list[dict] = []
    written: set[str] = set()
    for pk in keys:
        instance = found.get(pk)
        if instance is None:
            actions.append(
                {"_op_type": "delete", "_index": index, "_id": searchable.document_id(pk)}
            )
            continue
        for document_id, document in searchable.documents(instance):
            written.add(document_id)
            actions.append({"_index": index, "_id": document_id, "_source": document})
    for part_id in sorted(indexed_part_ids(client, index, searchable, keys) - written):
        actions.append({"_op_type": "delete", "_index": index, "_id": part_id})
    return actions


def record_changed_dependents(
    client: Any, index: str, searchable: SearchableModel, found: dict[str, Any], actions: list
) -> None:
    """Before the write: record a change for the records of other kinds that show one of
    `found` whose shown fields the write is about to change (`search.dependents`)."""
    if not found or not dependent_kinds(searchable):
        return
    written = {action["_id"]: action["_source"] for action in actions if "_source" in action}
    documents = {
        key: written[searchable.document_id(key)]
        for key in found
        if searchable.document_id(key) in written
    }
    changed = changed_for_dependents(client, index, searchable, documents)
    record_dependents(searchable, [found[key] for key in changed])


def describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


def _item_errors(searchable: SearchableModel, item_errors: list[dict]) -> dict[str, str]:
    """The bulk items Elasticsearch refused, by the key of their record (a part's
    failure is its record's: the next sync rewrites them all). Deleting a document
    already absent is what a delete wants, not a failure."""
    failed: dict[str, str] = {}
    for item in item_errors:
        [(operation, details)] = item.items()
        # `bulk` lists every item that was not a 2xx, even with `ignore_status`.
        if operation == "delete" and details.get("status") == 404:
            continue
        pk = searchable.record_key(str(details.get("_id", "")))
        failed[pk] = f"{operation} refused ({details.get('status')}): {details.get('error')}"
    return failed
