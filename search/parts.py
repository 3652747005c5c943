"""The part documents (a policy version's sections) a record already has in the index.

A sync writes a record's parts afresh from the database; parts that are gone (a section
removed, a version unpublished) must be deleted. The engine this project tests against
has no `_delete_by_query`, and it would not say which ids it removed, so the sync
searches for the record's part ids and deletes those it no longer writes.
"""

from collections.abc import Iterable
from typing import Any

from elasticsearch.helpers import scan

from .registry import SearchableModel


def indexed_part_ids(
    client: Any, index: str, searchable: SearchableModel, pks: Iterable[Any]
) -> set[str]:
    """The ids of every part document of the records `pks` in `index`.

    The index is refreshed first: a search sees only refreshed documents, and parts
    written by a sync a moment ago must be found too.
    """
    keys = [str(pk) for pk in pks]
    if not searchable.part_kind or not keys:
        return set()
    client.indices.refresh(index=index)
    hits = scan(
        client,
        index=index,
        query={"query": searchable.parts_query(keys), "_source": False},
        size=1000,
    )
    return {hit["_id"] for hit in hits}
