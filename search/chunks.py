"""Reading every indexable record of a kind, a chunk at a time (rebuild and reconcile)."""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation

from .registry import SearchableModel

CHUNK_SIZE = 500


def iter_chunks(searchable: SearchableModel, chunk_size: int = CHUNK_SIZE) -> Iterator[list]:
    """The indexable records in primary-key order, a chunk at a time (keyset pagination:
    each chunk is one query that starts after the last key seen, however deep, plus the
    registry queryset's prefetches — the same number for every chunk)."""
    for chunk in _keyset(searchable.get_queryset(), chunk_size, lambda instance: instance.pk):
        searchable.prepare(chunk)
        yield chunk


def iter_document_chunks(
    searchable: SearchableModel, chunk_size: int = CHUNK_SIZE
) -> Iterator[tuple[int, list[tuple[str, dict[str, Any]]]]]:
    """Every indexable record's documents (its own and its parts'), a chunk of records
    at a time: (records in the chunk, their (id, document) pairs). From `values()` rows
    for the kinds that declare them (`SearchableModel.document_rows`), otherwise from
    model instances; in the default language either way, as `to_document` builds."""
    rows = searchable.document_rows()
    if rows is None:
        for chunk in iter_chunks(searchable, chunk_size):
            with translation.override(settings.LANGUAGE_CODE):
                documents = [pair for instance in chunk for pair in searchable.documents(instance)]
            yield len(chunk), documents
        return
    for chunk in _keyset(rows, chunk_size, lambda row: row["pk"]):
        with translation.override(settings.LANGUAGE_CODE):
            documents = searchable.documents_from_rows(chunk)
        yield len(chunk), documents


def _keyset(queryset: QuerySet, chunk_size: int, key: Any) -> Iterator[list]:
    queryset = queryset.order_by("pk")
    last_pk = None
    while True:
        chunk_query = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
        chunk = list(chunk_query[:chunk_size])
        if not chunk:
            return
        yield chunk
        last_pk = key(chunk[-1])
