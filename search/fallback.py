"""Search answered from the database, when Elasticsearch is not configured or is down.

It looks for every word of the query in a few fields of each searchable model and
marks the first match; no stemming, no ranking beyond recency. Enough to keep the
archive usable in `make run` and during an outage, never a substitute for the engine.
"""

import re

from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .query import ArchiveQuery
from .readers import may_read
from .registry import SearchableModel, registry
from .results import SearchHit, SearchResults

FRAGMENT_RADIUS = 80


def highlight(text: str, terms: list[str]) -> SafeString | None:
    """An escaped fragment of `text` around the first term found, terms in <mark>."""
    if not terms:
        return None
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    match = pattern.search(text)
    if match is None:
        return None
    start = max(match.start() - FRAGMENT_RADIUS, 0)
    fragment = text[start : match.end() + FRAGMENT_RADIUS]
    marked = pattern.sub(lambda found: f"\x00{found.group(0)}\x01", fragment)
    html = escape(marked).replace("\x00", "<mark>").replace("\x01", "</mark>")
    return mark_safe(("…" if start else "") + html)


def _iso(value) -> str:
    return value.isoformat() if value else ""


def search_database(query: ArchiveQuery) -> SearchResults:
    """Words and kinds only: the other filters, the date range, "more like this" and
    facet counts need the engine (the page says so). The records the visitor may read
    only: the same reader rule as the engine's (`search.readers`)."""
    if query.like:
        return SearchResults(hits=[], total=0, backend="database")
    terms = query.terms()
    searchables = [s for s in registry if not query.kinds or s.kind in query.kinds]
    hits: list[SearchHit] = []
    total = 0
    wanted = query.offset + query.size
    for searchable in searchables:
        matches = searchable.get_queryset().filter(searchable.fallback_filter(terms))
        found, count = _readable(searchable, matches, query, max(wanted - len(hits), 0))
        total += count
        for instance in found:
            document = searchable.to_document(instance)
            fragments = [
                fragment
                for fragment in (
                    highlight(document["title"], terms),
                    highlight(document["body"], terms),
                )
                if fragment
            ]
            hits.append(
                SearchHit(
                    kind=searchable.kind,
                    title=document["title"],
                    url=document["url"],
                    highlights=fragments,
                    language=document["language"],
                    object_id=document["object_id"],
                    date=_iso(document["date"]),
                    restricted=document["visibility"] == "restricted",
                )
            )
    return SearchResults(hits=hits[query.offset : wanted], total=total, backend="database")


def _readable(
    searchable: SearchableModel, matches: QuerySet, query: ArchiveQuery, limit: int
) -> tuple[list, int]:
    """The first `limit` matches the visitor may read, and how many there are. Kinds
    whose records are all public are counted by the database; the others' readers are
    worked out record by record (pages and briefs: few, next to the catalogue)."""
    if not searchable.may_be_restricted:
        return list(matches[:limit]), matches.count()
    candidates = list(matches)
    searchable.prepare(candidates)
    readable = [
        instance for instance in candidates if may_read(searchable.readers(instance), query.readers)
    ]
    return readable[:limit], len(readable)
