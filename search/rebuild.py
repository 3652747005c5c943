"""Fill a fresh archive index from the database and swap the alias to it."""

from collections.abc import Callable, Iterator
from typing import Any

from elasticsearch.helpers import streaming_bulk

from . import engine
from .index import create_index, new_index_name, swap_alias
from .registry import SearchableModel, registry

CHUNK_SIZE = 500


def iter_chunks(searchable: SearchableModel, chunk_size: int = CHUNK_SIZE) -> Iterator[list]:
    """The indexable records in primary-key order, a chunk at a time (keyset pagination:
    each chunk is one query that starts after the last key seen, however deep)."""
    queryset = searchable.get_queryset().order_by("pk")
    last_pk = None
    while True:
        chunk_query = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
        chunk = list(chunk_query[:chunk_size])
        if not chunk:
            return
        yield chunk
        last_pk = chunk[-1].pk


def count_documents() -> int:
    return sum(searchable.get_queryset().count() for searchable in registry)


def _actions(index: str, progress: Callable[[int], Any]) -> Iterator[dict]:
    for searchable in registry:
        for chunk in iter_chunks(searchable):
            for instance in chunk:
                yield {
                    "_index": index,
                    "_id": searchable.document_id(instance.pk),
                    "_source": searchable.to_document(instance),
                }
            progress(len(chunk))


def rebuild(progress: Callable[[int], Any] = lambda done: None) -> tuple[str, int]:
    """Build a new index, fill it, then point the alias at it and drop the old one.

    If anything fails before the swap, the new index is deleted and the old one keeps
    serving. Returns the new index's name and the number of documents written.
    """
    client = engine.get_client()
    name = new_index_name()
    create_index(name)
    written = 0
    try:
        for ok, _item in streaming_bulk(
            client, _actions(name, progress), chunk_size=CHUNK_SIZE, raise_on_error=True
        ):
            written += ok
        client.indices.refresh(index=name)
    except BaseException:
        client.indices.delete(index=name, ignore_unavailable=True)
        raise
    for old in swap_alias(name):
        client.indices.delete(index=old, ignore_unavailable=True)
    return name, written
