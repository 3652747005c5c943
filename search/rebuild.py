"""Fill a fresh archive index from the database and swap the alias to it.

Saves made while the new index fills keep writing to the alias, that is to the old
index, and a record already read into the new index would miss them. So the rebuild
keeps a journal while it fills (`search.rebuild_journal`): every sync that runs meanwhile
notes the keys it writes. After the swap, the catch-up re-syncs those keys, now into the
new index — nothing at all when nothing was saved during the fill. From the swap on,
saves write to the new index themselves. Should the journal be lost (another rebuild
started meanwhile), the catch-up falls back to a full reconcile with repair.

The fill reads and builds documents in this thread (from `values()` rows for the kinds
that declare them: `search.chunks.iter_document_chunks`) while another thread sends the
previous chunks to Elasticsearch, so building and indexing overlap.
"""

import logging
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from elasticsearch.helpers import streaming_bulk

from . import engine, outbox, rebuild_journal
from .chunks import CHUNK_SIZE, iter_chunks, iter_document_chunks
from .index import create_index, new_index_name, swap_alias
from .reconcile import reconcile
from .registry import registry
from .sync import sync_records

__all__ = ["CHUNK_SIZE", "CatchUp", "catch_up", "count_documents", "iter_chunks", "rebuild"]

logger = logging.getLogger(__name__)

# Chunks built ahead of the one being sent: enough to keep the sender busy, few enough
# to bound the memory a rebuild holds.
CHUNKS_AHEAD = 2


def count_documents() -> int:
    return sum(searchable.get_queryset().count() for searchable in registry)


def rebuild(
    progress: Callable[[int], Any] = lambda done: None,
    *,
    chunk_size: int = CHUNK_SIZE,
    after_chunk: Callable[[], Any] = lambda: None,
) -> tuple[str, int]:
    """Build a new index, fill it, point the alias at it, drop the old one, then catch up
    with the changes made meanwhile (see the module's docstring).

    If anything fails before the swap, the new index is deleted and the old one keeps
    serving. `after_chunk` runs after each chunk of records is read (tests use it to
    change records during the fill). Returns the new index's name and the number of
    documents written by the fill.
    """
    client = engine.get_client()
    journal = rebuild_journal.open_journal(client)
    try:
        name, written = _fill_and_swap(progress, chunk_size, after_chunk)
    except BaseException:
        rebuild_journal.discard(client, journal)
        raise
    catch_up(name, journal, chunk_size)
    return name, written


def _fill_and_swap(
    progress: Callable[[int], Any], chunk_size: int, after_chunk: Callable[[], Any]
) -> tuple[str, int]:
    client = engine.get_client()
    name = new_index_name()
    create_index(name)
    sender = _Sender(client, name)
    sender.start()
    try:
        for searchable in registry:
            for records, documents in iter_document_chunks(searchable, chunk_size):
                sender.send(documents)
                progress(records)
                after_chunk()
        written = sender.finish()
        client.indices.refresh(index=name)
    except BaseException:
        sender.abort()
        client.indices.delete(index=name, ignore_unavailable=True)
        raise
    for old in swap_alias(name):
        client.indices.delete(index=old, ignore_unavailable=True)
    return name, written


class _Sender(threading.Thread):
    """Sends the chunks handed to it to `index` with `streaming_bulk`, in its own thread,
    while the caller reads and builds the next ones. It never touches the database (a
    test's records live in its thread's transaction). The first error is kept and
    raised to the caller at its next `send` or at `finish`."""

    _END = None

    def __init__(self, client: Any, index: str) -> None:
        super().__init__(name=f"rebuild-sender-{index}", daemon=True)
        self.client = client
        self.index = index
        self.chunks: queue.Queue = queue.Queue(maxsize=CHUNKS_AHEAD)
        self.stopping = threading.Event()
        self.error: BaseException | None = None
        self.written = 0

    def run(self) -> None:
        try:
            for ok, _item in streaming_bulk(
                self.client, self._actions(), chunk_size=CHUNK_SIZE, raise_on_error=True
            ):
                self.written += ok
        except BaseException as error:
            self.error = error
            self.stopping.set()

    def _actions(self) -> Iterator[dict]:
        while not self.stopping.is_set():
            try:
                documents = self.chunks.get(timeout=0.1)
            except queue.Empty:
                continue
            if documents is self._END:
                return
            for document_id, document in documents:
                yield {"_index": self.index, "_id": document_id, "_source": document}

    def send(self, documents: list | None) -> None:
        while True:
            if self.error is not None:
                raise self.error
            if self.stopping.is_set():
                raise RuntimeError("the rebuild's sender stopped")
            try:
                self.chunks.put(documents, timeout=0.1)
                return
            except queue.Full:
                continue

    def finish(self) -> int:
        """Wait for every chunk to be written; the number of documents written."""
        self.send(self._END)
        self.join()
        if self.error is not None:
            raise self.error
        return self.written

    def abort(self) -> None:
        self.stopping.set()
        self.join()


@dataclass
class CatchUp:
    """What the catch-up after the swap re-synced: the keys noted during the fill, by
    kind (`full` when it had to reconcile everything instead)."""

    synced: dict[str, int] = field(default_factory=dict)
    failed: int = 0
    full: bool = False

    @property
    def records(self) -> int:
        return sum(self.synced.values())


def catch_up(index: str, journal: str, chunk_size: int = CHUNK_SIZE) -> CatchUp:
    """Apply to `index`, now behind the alias, the changes synced to the old index while
    it was being filled: re-sync the records the journal noted (deleted or unpublished
    ones are deleted), in bulk. A record that fails is left to the outbox, due again."""
    client = engine.get_client()
    noted = rebuild_journal.read_and_close(client, journal)
    if noted is None:
        logger.warning("The rebuild journal %s is gone: reconciling %s in full", journal, index)
        report = reconcile(repair=True, index=index, chunk_size=chunk_size)
        return CatchUp(synced={kind.kind: kind.checked for kind in report.kinds}, full=True)
    result = CatchUp()
    for kind, keys in noted.items():
        searchable = registry.get(kind)
        ordered = sorted(keys)
        for start in range(0, len(ordered), chunk_size):
            outcome = sync_records(searchable, ordered[start : start + chunk_size])
            if outcome.failed:
                outbox.record_failed(kind, outcome.failed)
                result.failed += len(outcome.failed)
        result.synced[kind] = len(ordered)
    if result.records:
        client.indices.refresh(index=index)
    return result
