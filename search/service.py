"""Answer an archive query from Elasticsearch, or from the database when it cannot."""

import logging
from dataclasses import replace
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import get_urlconf, translate_url
from django.utils import translation
from django.utils.safestring import SafeString
from elasticsearch import ApiError, TransportError

from . import engine
from .breaker import EngineUnavailable, breaker
from .fallback import search_database
from .index import alias_name
from .query import ArchiveQuery
from .readers import may_read
from .results import FacetBucket, SearchHit, SearchResults

logger = logging.getLogger(__name__)


def search_archive(query: ArchiveQuery) -> SearchResults:
    """Run `query`; an unreachable or failing engine degrades to the database fallback,
    at once while the circuit breaker is open after a failure (`search.breaker`).

    Either way, the addresses of records without a language of their own are given in
    the visitor's language (the active one).
    """
    return localize_urls(_search(query), translation.get_language())


def _search(query: ArchiveQuery) -> SearchResults:
    if not engine.is_configured():
        return search_database(query)
    try:
        with breaker().guard():
            return search_elasticsearch(query)
    except EngineUnavailable:
        # The engine failed a moment ago (`search.breaker`): do not wait for it again.
        return replace(search_database(query), engine_unavailable=True)
    except (TransportError, ApiError) as error:
        logger.warning("Archive search fell back to the database: %s", error)
        return replace(search_database(query), engine_unavailable=True)


def localize_url(url: str, language: str) -> str:
    """`url` in `language`: `/organizations/x/` becomes `/fr/organizations/x/` in French.

    Documents store language-neutral addresses; one stored before they did may carry a
    language prefix (`/fr/...`), which is read as such. An address that does not resolve
    is returned unchanged.
    """
    return _localized(url, language, get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=10_000)
def _localized(url: str, language: str, urlconf: str) -> str:
    """Resolving and reversing cost about 1 ms an address, a page of results 20: the
    answer depends only on the address, the language and the URL patterns (the key), so
    it is kept. Nothing about the visitor is in it."""
    source = translation.get_language_from_path(urlsplit(url).path) or settings.LANGUAGE_CODE
    with translation.override(source):
        return translate_url(url, language)


def localize_urls(results: SearchResults, language: str | None) -> SearchResults:
    """The results with the address of every hit that has no language (a catalogue
    record rather than a page in one locale) put in `language`. Pages keep the address
    of their own locale, and so does a hit whose address reads the same in `language`
    (the default language's have no prefix)."""
    if not language:
        return results
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    hits = []
    for hit in results.hits:
        url = hit.url if hit.language else _localized(hit.url, language, urlconf)
        hits.append(hit if url == hit.url else replace(hit, url=url))
    return replace(results, hits=hits)


def readable_like(query: ArchiveQuery) -> bool:
    """Whether the visitor may read the record whose look-alikes `query` asks for (or it
    asks for none): "more like this" on a record one may not read would search with its
    words. A record absent from the index finds nothing either way."""
    if query.like is None:
        return True
    kind, object_id = query.like
    found = (
        engine.get_client()
        .options(ignore_status=404)
        .get(index=alias_name(), id=f"{kind}:{object_id}", source_includes=READER_FIELDS)
    )
    if not found.get("found"):
        return False
    source = found["_source"]
    readers = None if source.get("visibility") == "public" else source.get("readers", [])
    return may_read(readers, query.readers)


READER_FIELDS = ["visibility", "readers"]


def search_elasticsearch(query: ArchiveQuery) -> SearchResults:
    """One page of results from the engine.

    The request body is built as plain dictionaries (`ArchiveQuery.to_body`) and sent
    through the low-level client; the hits are read from the answer's JSON as it came,
    with no elasticsearch-dsl objects on either side: they cost a fifth of what the API
    added to the engine's own time."""
    if not readable_like(query):
        return SearchResults(
            hits=[], total=0, backend="elasticsearch", facets={name: [] for name in query.facets}
        )
    index = alias_name()
    # Before the first index exists, answer "nothing found" rather than an error.
    answer = (
        engine.get_client()
        .search(index=index, ignore_unavailable=True, **query.to_body(index))
        .body
    )
    found = answer["hits"]["hits"]
    passages = {hit["_id"]: _fragments(hit.get("highlight")) for hit in found}
    if query.text and (without := [doc_id for doc_id, shown in passages.items() if not shown]):
        passages.update(missing_passages(query, without))
    hits = [
        hit_from_source(
            hit["_source"],
            # Elasticsearch escaped the text (encoder "html") and added only <mark>.
            highlights=[SafeString(fragment) for fragment in passages[hit["_id"]]],
        )
        for hit in found
    ]
    aggregations = answer.get("aggregations", {})
    facets = {
        name: [
            FacetBucket(value=str(bucket["key"]), count=bucket["doc_count"])
            for bucket in aggregations.get(name, {}).get("buckets", [])
            # "No language" and the like: nothing a filter could ask for.
            if bucket["key"] != ""
        ]
        for name in query.facets
    }
    return SearchResults(
        hits=hits, total=answer["hits"]["total"]["value"], backend="elasticsearch", facets=facets
    )


def missing_passages(query: ArchiveQuery, ids: list[str]) -> dict[str, list[str]]:
    """The passages of hits the exact words left without one (found through stems or
    typos), by document id, from a second request highlighting the whole text query on
    these hits only (`ArchiveQuery.passages_body`). Not sent at all when every hit of
    the page has its passage from the first."""
    answer = (
        engine.get_client()
        .search(index=alias_name(), ignore_unavailable=True, **query.passages_body(ids))
        .body
    )
    return {hit["_id"]: _fragments(hit.get("highlight")) for hit in answer["hits"]["hits"]}


def hit_from_source(source: dict, highlights: list | None = None) -> SearchHit:
    """A result from a stored document (also used by the export)."""
    return SearchHit(
        kind=source["kind"],
        title=source.get("title", ""),
        url=source.get("url", ""),
        highlights=highlights or [],
        language=source.get("language") or "",
        object_id=str(source.get("object_id", "")),
        date=source.get("date") or "",
        restricted=source.get("visibility") == "restricted",
    )


def _fragments(highlight: dict[str, list[str]] | None) -> list[str]:
    """Up to two distinct fragments, body before title: the same passage highlighted by
    the folded, French and English analysers counts once."""
    if not highlight:
        return []
    fragments: list[str] = []
    seen: set[str] = set()
    for field in sorted(highlight, key=lambda name: not name.startswith("body")):
        for fragment in highlight[field]:
            # The engine escaped the text and added only <mark>: no HTML parser
            # (`strip_tags` took a millisecond a hit).
            plain = fragment.replace("<mark>", "").replace("</mark>", "")
            if plain not in seen:
                seen.add(plain)
                fragments.append(fragment)
    return fragments[:2]
