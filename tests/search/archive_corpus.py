"""Documents written straight into the archive index, for facets whose fields the
apps' documents do not fill (yet) and for corpora too large to build through models."""

from collections.abc import Iterable

from elasticsearch.helpers import bulk

from search import engine
from search.index import alias_name, refresh


def document(
    kind: str,
    object_id: int | str,
    title: str,
    body: str = "",
    *,
    date: str | None = None,
    visibility: str = "public",
    **fields,
) -> dict:
    """A search document as the registry writes one, with `year` taken from `date`."""
    return {
        "kind": kind,
        "object_id": str(object_id),
        "uid": f"{kind}:{object_id}",
        "visibility": visibility,
        "title": title,
        "body": body,
        "url": f"/{kind}/{object_id}/",
        "language": fields.pop("language", ""),
        "date": date,
        "year": int(date[:4]) if date else None,
        **fields,
    }


def put(documents: Iterable[dict]) -> None:
    """Index `documents` (ids `<kind>:<object_id>`) and make them searchable."""
    bulk(
        engine.get_client(),
        ({"_index": alias_name(), "_id": source["uid"], "_source": source} for source in documents),
    )
    refresh()
