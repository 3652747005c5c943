"""Fill a fresh archive index from the database and swap the alias to it.

Saves made while the new index fills keep writing to the alias, that is to the old
index, and a record already read into the new index would miss them. So the rebuild
keeps a journal while it fills (`search.rebuild_journal`): every sync that runs meanwhile
notes the keys it writes. After the swap, the catch-up re-syncs those keys through the
outbox, now into the new index: nothing at all when nothing was saved during the fill.
From the swap on, saves write to the new index themselves. Should the journal be lost
(another rebuild started meanwhile), the catch-up falls back to a full reconcile.

The fill reads and builds documents in this thread (from `values()` rows for the kinds
that declare them: `search.chunks.iter_document_chunks`) while two others send the
previous chunks to Elasticsearch, so building and indexing overlap.
"""

import logging
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import NotFoundError
from elasticsearch.helpers import streaming_bulk

from . import engine, outbox, rebuild_journal
from .chunks import CHUNK_SIZE, iter_chunks, iter_document_chunks
from .drain import DrainReport, drain
from .index import alias_name, index_body, indices_behind_alias, new_index_name
from .reconcile import reconcile
from .registry import registry

__all__ = ["CHUNK_SIZE", "CatchUp", "catch_up", "count_documents", "iter_chunks", "rebuild"]

logger = logging.getLogger(__name__)

# Bulk requests in flight while the fill builds the next chunks: with two, the engine
# indexes one while it receives the other.
SENDERS = 2
# Chunks built ahead of those being sent: enough to keep the senders busy, few enough
# to bound the memory a rebuild holds.
CHUNKS_AHEAD = 8


def count_documents() -> int:
    return sum(searchable.get_queryset().count() for searchable in registry)


def rebuild(
    progress: Callable[[int], Any] = lambda done: None,
    *,
    chunk_size: int = CHUNK_SIZE,
    after_chunk: Callable[[], Any] = lambda: None,
) -> tuple[str, int]:
    """Build a new index, fill it, point the alias at it, catch up with the changes made
    meanwhile (see the module's docstring), drop the old index.

    If anything fails before the swap, the new index is deleted and the old one keeps
    serving. `after_chunk` runs after each chunk of records is read (tests use it to
    change records during the fill). Returns the new index's name and the number of
    documents written by the fill.
    """
    client = engine.get_client()
    name = new_index_name()
    # As `search.index.create_index`, but not waiting for its shards to start: the
    # journal is opened and the first chunk read meanwhile (its bulk request waits for
    # them if need be).
    client.indices.create(index=name, body=index_body(), wait_for_active_shards="0")
    try:
        journal = rebuild_journal.open_journal(client)
    except BaseException:
        client.indices.delete(index=name, ignore_unavailable=True)
        raise
    try:
        written = _fill(client, name, progress, chunk_size, after_chunk)
        old = _swap(client, name, journal)
    except BaseException:
        rebuild_journal.discard(client, journal)
        raise
    try:
        catch_up(name, journal, chunk_size)
    finally:
        # One request for both (each deletion is a change of the cluster's state).
        client.indices.delete(index=",".join([*old, journal]), ignore_unavailable=True)
    return name, written


def _fill(
    client: Any,
    name: str,
    progress: Callable[[int], Any],
    chunk_size: int,
    after_chunk: Callable[[], Any],
) -> int:
    """Write every record's documents to the new index `name`, refreshed; how many
    documents it holds. The index is deleted if anything fails."""
    senders = _Senders(client, name)
    try:
        for searchable in registry:
            for records, documents in iter_document_chunks(searchable, chunk_size):
                senders.send(documents)
                progress(records)
                after_chunk()
        written = senders.finish()
        client.indices.refresh(index=name)
    except BaseException:
        senders.abort()
        client.indices.delete(index=name, ignore_unavailable=True)
        raise
    return written


def _swap(client: Any, name: str, journal: str) -> list[str]:
    """Point the alias at `name` and close the journal, in one atomic step (as
    `search.index.swap_alias`, plus the journal's alias); the indices the alias left."""
    old = indices_behind_alias()
    actions = [{"remove": {"index": index, "alias": alias_name()}} for index in old]
    actions.append({"add": {"index": name, "alias": alias_name()}})
    try:
        client.indices.update_aliases(actions=[*actions, rebuild_journal.closing(journal)])
    except NotFoundError:
        # The journal is gone (another rebuild dropped it): the catch-up will know.
        client.indices.update_aliases(actions=actions)
    return old


class _Senders:
    """Threads that send the chunks handed to them to `index` (`streaming_bulk`, two
    requests in flight) while the caller reads and builds the next ones. They never touch
    the database (a test's records live in its thread's transaction). The first error is
    kept and raised to the caller at its next `send` or at `finish`."""

    _END = None

    def __init__(self, client: Any, index: str, threads: int = SENDERS) -> None:
        self.client = client
        self.index = index
        self.chunks: queue.Queue = queue.Queue(maxsize=CHUNKS_AHEAD)
        self.stopping = threading.Event()
        self.errors: list[BaseException] = []
        self.written = 0
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self._run, name=f"rebuild-sender-{n}", daemon=True)
            for n in range(threads)
        ]
        for thread in self.threads:
            thread.start()

    def _run(self) -> None:
        try:
            for documents in self._chunks():
                # A chunk at a time, so that it is sent as soon as it is handed over
                # (`streaming_bulk` still splits one too large for a request).
                actions = (
                    {"_index": self.index, "_id": document_id, "_source": document}
                    for document_id, document in documents
                )
                written = sum(
                    ok
                    for ok, _item in streaming_bulk(
                        self.client, actions, chunk_size=CHUNK_SIZE, raise_on_error=True
                    )
                )
                with self.lock:
                    self.written += written
        except BaseException as error:
            self.errors.append(error)
            self.stopping.set()

    def _chunks(self) -> Iterator[list]:
        while not self.stopping.is_set():
            try:
                documents = self.chunks.get(timeout=0.1)
            except queue.Empty:
                continue
            if documents is self._END:
                return
            yield documents

    def send(self, documents: list | None) -> None:
        while True:
            if self.errors:
                raise self.errors[0]
            if self.stopping.is_set():
                raise RuntimeError("the rebuild's senders stopped")
            try:
                self.chunks.put(documents, timeout=0.1)
                return
            except queue.Full:
                continue

    def finish(self) -> int:
        """Wait for every chunk to be written; the number of documents written."""
        for _thread in self.threads:
            self.send(self._END)
        for thread in self.threads:
            thread.join()
        if self.errors:
            raise self.errors[0]
        return self.written

    def abort(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()


@dataclass
class CatchUp:
    """What the catch-up after the swap did: the records noted during the fill, by kind
    (`full` when it had to reconcile everything instead), and the drain that synced
    them."""

    noted: dict[str, int] = field(default_factory=dict)
    drained: DrainReport | None = None
    full: bool = False

    @property
    def records(self) -> int:
        return sum(self.noted.values())


def catch_up(index: str, journal: str, chunk_size: int = CHUNK_SIZE) -> CatchUp:
    """Apply to `index`, now behind the alias, the changes synced to the old index while
    it was being filled: the records the journal noted become pending changes of the
    outbox, drained here and now (deleted or unpublished ones are deleted), so they are
    written in order with any other sync of theirs (a drain claims a record no other
    drain holds). Nothing at all when nothing was noted."""
    noted = rebuild_journal.read(engine.get_client(), journal)
    if noted is None:
        logger.warning("The rebuild journal %s is gone: reconciling %s in full", journal, index)
        report = reconcile(repair=True, index=index, chunk_size=chunk_size)
        return CatchUp(noted={kind.kind: kind.checked for kind in report.kinds}, full=True)
    result = CatchUp(noted={kind: len(keys) for kind, keys in noted.items()})
    if not result.records:
        return result
    for kind, keys in noted.items():
        outbox.record(kind, sorted(keys))
    result.drained = drain()
    engine.get_client().indices.refresh(index=index)
    return result
