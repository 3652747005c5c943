"""Reading every indexable record of a kind, a chunk at a time (rebuild and reconcile)."""

from collections.abc import Iterator

from .registry import SearchableModel

CHUNK_SIZE = 500


def iter_chunks(searchable: SearchableModel, chunk_size: int = CHUNK_SIZE) -> Iterator[list]:
    """The indexable records in primary-key order, a chunk at a time (keyset pagination:
    each chunk is one query that starts after the last key seen, however deep, plus the
    registry queryset's prefetches — the same number for every chunk)."""
    queryset = searchable.get_queryset().order_by("pk")
    last_pk = None
    while True:
        chunk_query = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
        chunk = list(chunk_query[:chunk_size])
        if not chunk:
            return
        searchable.prepare(chunk)
        yield chunk
        last_pk = chunk[-1].pk
