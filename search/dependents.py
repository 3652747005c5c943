"""Records of other kinds that show a synced record: found by the worker, not the save.

An organization's name, address and facets show in the documents of the fora it
convenes, the programmes it funds, the rounds it convenes, the briefs and positions it
signs (`SearchableModel.depends_on` / `pks_depending_on`). Finding them takes a query per
kind; a save used to run them all inside its request, whatever it changed. Now the save
records one change, for the organization itself, and the sync of that change (in the
worker) decides: when a field the dependents show differs from what the index holds for
the organization, it records a change for each of them in the outbox, *before* writing
the organization's new document. Recorded first, so that a worker that dies between the
two leaves both to do again (the organization's change is still pending, its old
document still in the index); written after, so that a sync that finds the index already
showing the new values has nothing more to record. See
docs/decisions/018-the-worker-finds-dependents-and-polls-the-outbox.md.
"""

from collections.abc import Iterable
from typing import Any

from . import outbox
from .registry import SearchableModel, registry

# What the documents of other kinds show of a record they depend on: its name (the
# `title` of its own document), its address key (`organization`) and its facets. A
# change anywhere else (a summary, a status) reaches no other document.
SHOWN_FIELDS = ("title", "organization", "sector", "region", "constituency")


def dependent_kinds(searchable: SearchableModel) -> list[SearchableModel]:
    """The kinds whose documents show records of `searchable` (its model in their
    `depends_on`)."""
    return [
        other
        for other in registry
        if any(issubclass(searchable.model, model) for model in other.depends_on)
    ]


def shown(document: dict[str, Any]) -> tuple:
    return tuple(document.get(field) for field in SHOWN_FIELDS)


def changed_for_dependents(
    client: Any, index: str, searchable: SearchableModel, documents: dict[str, dict]
) -> list[str]:
    """The keys of `documents` (key -> the new document of the record) whose shown
    fields differ from the indexed document's, or that have none indexed. One request."""
    if not documents:
        return []
    keys = list(documents)
    answer = client.mget(
        index=index,
        ids=[searchable.document_id(key) for key in keys],
        source_includes=list(SHOWN_FIELDS),
    )
    indexed = {
        searchable.record_key(hit["_id"]): hit["_source"]
        for hit in answer["docs"]
        if hit.get("found")
    }
    return [
        key for key in keys if key not in indexed or shown(indexed[key]) != shown(documents[key])
    ]


def record_dependents(searchable: SearchableModel, instances: Iterable[Any]) -> int:
    """Record a change for every record of another kind that shows one of `instances`;
    returns how many were recorded. A query per dependent kind and instance."""
    recorded = 0
    kinds = dependent_kinds(searchable)
    for instance in instances:
        for other in kinds:
            keys = list(other.pks_depending_on(instance))
            outbox.record(other.kind, keys)
            recorded += len(keys)
    return recorded
