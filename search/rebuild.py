"""Fill a fresh archive index from the database and swap the alias to it.

Saves made while the new index fills keep writing to the alias, that is to the old
index, and a record already read into the new index would miss them. So after the swap,
a reconcile pass with repair brings the new index in line with the database: whatever
changed during the fill (written, changed, deleted, unpublished) is written or deleted.
From the swap on, saves write to the new index themselves.
"""

from collections.abc import Callable, Iterator
from typing import Any

from elasticsearch.helpers import streaming_bulk

from . import engine
from .chunks import CHUNK_SIZE, iter_chunks
from .index import create_index, new_index_name, swap_alias
from .reconcile import ReconcileReport, reconcile
from .registry import registry

__all__ = ["CHUNK_SIZE", "count_documents", "iter_chunks", "rebuild"]


def count_documents() -> int:
    return sum(searchable.get_queryset().count() for searchable in registry)


def _actions(
    index: str,
    chunk_size: int,
    progress: Callable[[int], Any],
    after_chunk: Callable[[], Any],
) -> Iterator[dict]:
    for searchable in registry:
        for chunk in iter_chunks(searchable, chunk_size):
            for instance in chunk:
                for document_id, document in searchable.documents(instance):
                    yield {"_index": index, "_id": document_id, "_source": document}
            progress(len(chunk))
            after_chunk()


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
    name, written = _fill_and_swap(progress, chunk_size, after_chunk)
    catch_up(name, chunk_size)
    return name, written


def _fill_and_swap(
    progress: Callable[[int], Any], chunk_size: int, after_chunk: Callable[[], Any]
) -> tuple[str, int]:
    client = engine.get_client()
    name = new_index_name()
    create_index(name)
    written = 0
    try:
        for ok, _item in streaming_bulk(
            client,
            _actions(name, chunk_size, progress, after_chunk),
            chunk_size=CHUNK_SIZE,
            raise_on_error=True,
        ):
            written += ok
        client.indices.refresh(index=name)
    except BaseException:
        client.indices.delete(index=name, ignore_unavailable=True)
        raise
    for old in swap_alias(name):
        client.indices.delete(index=old, ignore_unavailable=True)
    return name, written


def catch_up(index: str, chunk_size: int = CHUNK_SIZE) -> ReconcileReport:
    """Apply to `index` the changes made while it was being filled."""
    return reconcile(repair=True, index=index, chunk_size=chunk_size)
