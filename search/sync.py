"""Align the archive index with the database for a set of records, in one bulk request.

Used by the outbox drain (`search.drain`), the direct sync tasks and the retry command.
It re-reads the rows rather than trusting what was recorded when they changed, so the
index holds the records' state at the time of the sync, whatever happened before. When
a record shown in other kinds' documents changed what they show, it records their
changes in the outbox before writing it (`search.dependents`).
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation
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
    documents = read_documents(searchable, keys)
    outcome = SyncOutcome(found=set(documents))
    try:
        client = engine.get_client()
        # A rebuild filling a new index re-syncs these keys after its swap (after the
        # read above, before the write below: see search.rebuild_journal).
        rebuild_journal.note_synced(client, searchable.kind, keys)
        alias = ensure_index()
        actions = sync_actions(client, alias, searchable, keys, documents)
        record_changed_dependents(client, alias, searchable, documents)
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


Documents = dict[str, list[tuple[str, dict[str, Any]]]]


def read_documents(searchable: SearchableModel, keys: list[str]) -> Documents:
    """The documents of the records `keys` the database has (key -> the record's (id,
    document) pairs, its own and its parts'), read together: from `values()` rows for
    the kinds that declare them (`SearchableModel.document_rows`, several times faster
    than instances), otherwise from their instances."""
    documents: Documents = {}
    rows = searchable.document_rows()
    if rows is not None:
        with translation.override(settings.LANGUAGE_CODE):
            pairs = searchable.documents_from_rows(list(rows.filter(pk__in=keys)))
        for document_id, document in pairs:
            documents.setdefault(searchable.record_key(document_id), []).append(
                (document_id, document)
            )
        return documents
    instances = list(searchable.get_queryset().filter(pk__in=keys))
    searchable.prepare(instances)
    for instance in instances:
        documents[str(instance.pk)] = searchable.documents(instance)
    return documents


def sync_actions(
    client: Any, index: str, searchable: SearchableModel, keys: list[str], documents: Documents
) -> list[dict]:
    """The bulk actions that align `index` with the database for the records `keys`:
    each one found (in `documents`, by key) written with its parts, each other one
    deleted, and every part no longer written deleted (see `search.parts`)."""
    actions: list[dict] = []
    written: set[str] = set()
    for pk in keys:
        if pk not in documents:
            actions.append(
                {"_op_type": "delete", "_index": index, "_id": searchable.document_id(pk)}
            )
            continue
        for document_id, document in documents[pk]:
            written.add(document_id)
            actions.append({"_index": index, "_id": document_id, "_source": document})
    for part_id in sorted(indexed_part_ids(client, index, searchable, keys) - written):
        actions.append({"_op_type": "delete", "_index": index, "_id": part_id})
    return actions


def record_changed_dependents(
    client: Any, index: str, searchable: SearchableModel, documents: Documents
) -> None:
    """Before the write: record a change for the records of other kinds that show one of
    the records about to be written, when the write changes what they show
    (`search.dependents`)."""
    if not documents or not dependent_kinds(searchable):
        return
    own = {}
    for key, pairs in documents.items():
        document = dict(pairs).get(searchable.document_id(key))
        if document is not None:
            own[key] = document
    changed = changed_for_dependents(client, index, searchable, own)
    if changed:
        record_dependents(searchable, searchable.model._default_manager.filter(pk__in=changed))


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
