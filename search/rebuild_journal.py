"""Which records were synced while a rebuild filled its new index: the catch-up's list.

While a rebuild fills a new index, saves keep writing to the alias, that is to the old
index, and a record already read into the new index would miss them. Rather than compare
the whole catalogue with the new index after the swap (a second pass as long as the
fill), the rebuild keeps a journal: every sync that runs meanwhile (`search.sync`, the
reconcile's repairs) notes the keys it is about to write, and after the swap the
rebuild re-syncs those keys only — none at all when nothing was saved.

The journal is a small Elasticsearch index behind its own alias,
`<prefix>-rebuild-journal`, so every web process and worker sees it without a new
table: while the alias exists a rebuild is filling, and a note is one document per
record (`<kind>:<key>`, written again rather than duplicated).

Why nothing is missed (decision 016):

- A sync notes its keys *after* reading the records from the database and *before*
  writing them. If it found no journal, it read them before the journal was opened, so
  before the fill read them: the fill's copy is at least as recent as what it writes.
- If it noted them, the note was acknowledged before its write; the rebuild closes the
  journal (removes its alias) in the same atomic step as the swap and reads it after
  that, so it sees every note of a write that may have reached the old index. A note
  refused because the journal was closed belongs to a write that comes after the swap:
  it reaches the new index itself.
- A note that fails otherwise (the engine down) fails the sync, which is retried.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from elasticsearch import NotFoundError
from elasticsearch.helpers import BulkIndexError, bulk, scan

logger = logging.getLogger(__name__)


def journal_alias() -> str:
    """Not under the archive alias's `<alias>-*` names: those are archive indices."""
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-rebuild-journal"


def _journal_body() -> dict:
    return {
        "settings": {"number_of_shards": 1, "number_of_replicas": 0},
        "mappings": {
            "dynamic": "strict",
            "properties": {"kind": {"type": "keyword"}, "key": {"type": "keyword"}},
        },
    }


def open_journal(client: Any) -> str:
    """Start noting synced keys; returns the journal's concrete index.

    A journal left by a rebuild that was killed (or by one still running: one rebuild at
    a time) is dropped first; a rebuild whose journal disappears that way falls back to
    a full catch-up (`read_and_close`)."""
    for stale in _journal_indices(client):
        logger.warning("Dropping the rebuild journal %s left by another rebuild", stale)
        client.indices.delete(index=stale, ignore_unavailable=True)
    name = f"{journal_alias()}-{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"
    # Not waiting for its shard to start (a note waits for it if need be): the alias,
    # which syncs check, exists once the request returns.
    client.indices.create(
        index=name,
        body={**_journal_body(), "aliases": {journal_alias(): {}}},
        wait_for_active_shards="0",
    )
    return name


def _journal_indices(client: Any) -> list[str]:
    try:
        return list(client.indices.get(index=f"{journal_alias()}-*"))
    except NotFoundError:
        return []


def note_synced(client: Any, kind: str, keys: Iterable[Any]) -> None:
    """Note that the records `keys` of `kind` are about to be written to the alias, if a
    rebuild is filling a new index (else nothing but one `HEAD` request).

    Call it after reading the records from the database and before writing them (see
    the module's docstring). Raises the engine's errors: a sync that cannot note must
    fail, to be retried, rather than write where the rebuild would miss it."""
    keys = [str(key) for key in keys]
    if keys and client.indices.exists_alias(name=journal_alias()):
        write_notes(client, kind, keys)


def write_notes(client: Any, kind: str, keys: list[str]) -> None:
    """Write the notes to the journal, or nothing once it is closed."""
    actions = (
        {"_index": journal_alias(), "_id": f"{kind}:{key}", "_source": {"kind": kind, "key": key}}
        for key in keys
    )
    try:
        # `require_alias`: once the journal is closed, a note is refused rather than
        # creating an index of that name.
        bulk(client, actions, require_alias=True, refresh=False)
    except BulkIndexError as error:
        if not all(_journal_closed(item) for item in error.errors):
            raise
        # Closed since the check: this sync's write comes after the swap.


def _journal_closed(item: dict) -> bool:
    [(_operation, details)] = item.items()
    return details.get("status") == 404


def closing(name: str) -> dict:
    """The alias action that stops the noting: the rebuild sends it with the swap, in the
    same atomic step, so a note refused from then on belongs to a write that reaches the
    new index."""
    return {"remove": {"index": name, "alias": journal_alias()}}


def read(client: Any, name: str) -> dict[str, set[str]] | None:
    """The keys noted in the (closed) journal `name`, by kind; None when it is gone
    (another rebuild dropped it): the caller must then catch up in full."""
    noted: dict[str, set[str]] = defaultdict(set)
    try:
        client.indices.refresh(index=name)
        for hit in scan(client, index=name, query={"query": {"match_all": {}}}, size=1000):
            noted[hit["_source"]["kind"]].add(hit["_source"]["key"])
    except NotFoundError:
        return None
    return dict(noted)


def discard(client: Any, name: str) -> None:
    """Drop the journal of a rebuild that failed (its new index is dropped too)."""
    client.indices.delete(index=name, ignore_unavailable=True)
