"""Compare the archive index with the database, and optionally repair the differences.

For each kind, the index's documents are scanned (key and a fingerprint of the stored
`_source`), then the database's indexable records are read in keyset chunks and each
one's documents (its own and its parts', `SearchableModel.documents`) fingerprinted the
same way. A document is:

- missing: indexable in the database, absent from the index;
- stale: in both, but the stored document differs from what `to_document` gives now;
- orphaned: in the index, but deleted from the database, unpublished, or a part the
  record no longer has (a removed section).

With `repair`, missing and stale documents are written and orphaned ones deleted, in
bulk, a chunk at a time; the kind's recorded failures (older than the pass) are then
cleared, since every document of it is in line.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from elasticsearch.helpers import bulk, scan
from elasticsearch.serializer import JsonSerializer

from . import engine, rebuild_journal
from .chunks import CHUNK_SIZE, iter_chunks
from .index import alias_name, ensure_index
from .models import IndexFailure
from .registry import SearchableModel, registry

_serializer = JsonSerializer()


def fingerprint(document: dict[str, Any]) -> str:
    """A hash of a document as Elasticsearch stores it: serialised as the client sends it
    (dates as ISO strings), so a stored `_source` and a fresh `to_document` compare equal
    exactly when they hold the same values. Nothing is left out."""
    as_stored = json.loads(_serializer.dumps(document))
    canonical = json.dumps(as_stored, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class KindReport:
    kind: str
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)


@dataclass
class ReconcileReport:
    kinds: list[KindReport] = field(default_factory=list)
    repaired: bool = False

    def total(self, attribute: str) -> int:
        return sum(len(getattr(kind, attribute)) for kind in self.kinds)

    @property
    def checked(self) -> int:
        return sum(kind.checked for kind in self.kinds)

    @property
    def in_line(self) -> bool:
        return not (self.total("missing") or self.total("stale") or self.total("orphaned"))


def _indexed_fingerprints(index: str, searchable: SearchableModel) -> dict[str, str]:
    """Every document of this kind (and of its parts' kind) in `index`: document id ->
    fingerprint."""
    kinds = [kind for kind in (searchable.kind, searchable.part_kind) if kind]
    hits = scan(
        engine.get_client(),
        index=index,
        query={"query": {"terms": {"kind": kinds}}},
        size=1000,
    )
    return {hit["_id"]: fingerprint(hit["_source"]) for hit in hits}


def reconcile_kind(
    searchable: SearchableModel,
    *,
    index: str,
    repair: bool,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int], Any] = lambda done: None,
) -> KindReport:
    """Reports list missing and stale records by key and parts (a policy version's
    sections) by document id, `policy_section:<pk>:<anchor>`; orphans by document id."""
    started = timezone.now()
    report = KindReport(searchable.kind)
    indexed = _indexed_fingerprints(index, searchable)
    client = engine.get_client()
    record_prefix = searchable.document_id("")
    for chunk in iter_chunks(searchable, chunk_size):
        writes: list[dict] = []
        for instance in chunk:
            for document_id, document in searchable.documents(instance):
                stored = indexed.pop(document_id, None)
                key = str(instance.pk) if document_id.startswith(record_prefix) else document_id
                if stored is None:
                    report.missing.append(key)
                elif stored != fingerprint(document):
                    report.stale.append(key)
                else:
                    continue
                writes.append({"_index": index, "_id": document_id, "_source": document})
        report.checked += len(chunk)
        if repair and writes:
            _note(client, searchable, index, [write["_id"] for write in writes])
            bulk(client, writes, refresh=False)
        progress(len(chunk))
    report.orphaned = sorted(indexed)
    if repair:
        _note(client, searchable, index, report.orphaned)
        _delete(client, index, report.orphaned)
        IndexFailure.objects.filter(kind=searchable.kind, last_failed_at__lt=started).delete()
    return report


def _note(client: Any, searchable: SearchableModel, index: str, document_ids: list[str]) -> None:
    """A repair through the alias, while a rebuild fills a new index, reaches the old
    one: note its records for the rebuild's catch-up (`search.rebuild_journal`)."""
    if index == alias_name():
        keys = {searchable.record_key(document_id) for document_id in document_ids}
        rebuild_journal.note_synced(client, searchable.kind, sorted(keys))


def _delete(client: Any, index: str, document_ids: Iterable[str]) -> None:
    actions = ({"_op_type": "delete", "_index": index, "_id": i} for i in document_ids)
    bulk(client, actions, ignore_status=404)


def reconcile(
    *,
    repair: bool = False,
    kinds: Iterable[str] | None = None,
    index: str | None = None,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int], Any] = lambda done: None,
) -> ReconcileReport:
    """Compare (and with `repair`, align) `index` (the alias by default) with the
    database, kind by kind. Reads each chunk of records with the same queries whatever
    its position (keyset pagination and the registry's prefetching queryset)."""
    target = index or ensure_index()
    engine.get_client().indices.refresh(index=target)
    report = ReconcileReport(repaired=repair)
    for kind in kinds or registry.kinds():
        report.kinds.append(
            reconcile_kind(
                registry.get(kind),
                index=target,
                repair=repair,
                chunk_size=chunk_size,
                progress=progress,
            )
        )
    if repair:
        engine.get_client().indices.refresh(index=target)
    return report
