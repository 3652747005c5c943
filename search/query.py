"""The archive query: public parameters in, an Elasticsearch request out.

The parameters are read through `search.forms.SearchParameters` (only its fields are read;
a bad value is refused with an error that names the parameter). Visitors' text only
ever reaches `multi_match` and `more_like_this`, never a Lucene `query_string`, so
whatever they type cannot become a field query, a wildcard or a regular expression.
"""

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from django.http import HttpRequest, QueryDict
from elasticsearch_dsl import Search

from concertation.parameters import read_parameters

from .folding import fold
from .forms import FACETS, PAGE_SIZE, SearchParameters
from .readers import principals

TEXT_FIELDS = ["title^3", "title.fr^2", "title.en^2", "body", "body.fr", "body.en"]
# Typo tolerance on the folded fields only: fuzzy matching against stems finds nonsense.
FUZZY_FIELDS = ["title^3", "body"]
# Passages of every hit come from the folded fields (the words as typed, accents aside);
# a hit found through stems or typos alone is highlighted again on every field.
FIRST_HIGHLIGHT_FIELDS = ["title", "body"]
HIGHLIGHT_FIELDS = ["title", "title.fr", "title.en", "body", "body.fr", "body.en"]
MORE_LIKE_THIS_FIELDS = ["title", "body"]
# The stored fields a result is made of (`search.service.hit_from_source`).
RESULT_FIELDS = ["kind", "object_id", "title", "url", "language", "date", "visibility"]
# Typo tolerance for this many distinct words of a query at most: each fuzzy word is
# expanded to the terms within two edits of it, per field and shard, and a thousand
# characters of words took seconds. Words past them are matched as typed or by stem.
MAX_FUZZY_WORDS = 10


@dataclass(frozen=True)
class ArchiveQuery:
    text: str = ""
    # Facet name → the values asked for (any of them matches; facets combine with AND).
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    size: int = PAGE_SIZE
    # (kind, object id) of the record whose look-alikes are wanted.
    like: tuple[str, str] | None = None
    # The facets whose counts are wanted (all by default).
    facets: tuple[str, ...] = tuple(FACETS)
    # The visitor's reader tokens (`search.readers.principals`): besides public records,
    # the restricted ones naming one of them are found. None for anonymous visitors.
    readers: tuple[str, ...] = ()

    @classmethod
    def from_request(cls, request: HttpRequest, ignores: tuple[str, ...] = ()) -> "ArchiveQuery":
        """The query of the request's parameters, for the request's user; the parameters
        named in `ignores` are not read at all, so their values cannot be refused."""
        params = request.GET
        if ignores:
            params = params.copy()
            for name in ignores:
                params.pop(name, None)
        return replace(cls.from_params(params), readers=principals(request.user))

    @classmethod
    def from_params(cls, params: QueryDict) -> "ArchiveQuery":
        """The query of `params`, read through `SearchParameters`; raises
        `InvalidParameters` naming a refused parameter.

        What the parameters mean depends on them alone (not on the visitor, whose
        readers `from_request` adds, nor on the language or the time), so the queries of
        the last `PARSED_QUERIES` sets of parameters are kept: the form (a deep copy of
        its fields, then every field's cleaning) runs once for each. A refusal is never
        kept."""
        return _parsed(tuple((name, tuple(values)) for name, values in params.lists()))

    @property
    def kinds(self) -> tuple[str, ...]:
        return self.filters.get("kind", ())

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def is_empty(self) -> bool:
        """Nothing asked yet: the page shows the form alone."""
        return not (self.text or self.filters or self.date_from or self.date_to or self.like)

    @property
    def uses_engine_only_features(self) -> bool:
        """Whether it asks for what only the engine does: "more like this" (the
        database fallback finds nothing for it and says so)."""
        return self.like is not None

    def terms(self) -> list[str]:
        """The words to find, for the database fallback: symbols (emoji) are no words,
        as for the engine (`searchable_words`)."""
        return searchable_words(self.text).split()

    def base_body(self, index: str) -> dict[str, Any]:
        """Every record the visitor may read matching the words and filters, in the
        requested order, without paging, highlights or facets: the query and sort of a
        request body, as plain dictionaries (the export pages through it)."""
        filters: list[dict[str, Any]] = [self.readable()]
        for name, values in self.filters.items():
            if name == "year":
                filters.append({"terms": {"year": [int(value) for value in values]}})
            else:
                filters.append({"terms": {name: list(values)}})
        if self.date_from or self.date_to:
            bounds: dict[str, Any] = {"format": "yyyy-MM-dd"}
            if self.date_from:
                bounds["gte"] = self.date_from.isoformat()
            if self.date_to:
                bounds["lt"] = (self.date_to + timedelta(days=1)).isoformat()
            filters.append({"range": {"date": bounds}})
        required: list[dict[str, Any]] = []
        if self.text:
            required.append(self._text_query())
        if self.like:
            kind, object_id = self.like
            required.append(
                {
                    "more_like_this": {
                        "fields": MORE_LIKE_THIS_FIELDS,
                        # Document ids are `<kind>:<object_id>` for records and parts alike.
                        "like": [{"_index": index, "_id": f"{kind}:{object_id}"}],
                        "min_term_freq": 1,
                        "min_doc_freq": 1,
                        "max_query_terms": 25,
                    }
                }
            )
        query: dict[str, Any] = {"filter": filters}
        if required:
            query["must"] = required
        return {"query": {"bool": query}, "sort": self.sort_keys()}

    def base_search(self, index: str) -> Search:
        """`base_body` as an elasticsearch-dsl search (the export adds its paging)."""
        return Search(index=index).update_from_dict(self.base_body(index))

    def readable(self) -> dict[str, Any]:
        """What the visitor may find: public records, and restricted ones that name one
        of the visitor's reader tokens (see `search.readers`)."""
        public = {"term": {"visibility": "public"}}
        if not self.readers:
            return public
        return {
            "bool": {
                "should": [public, {"terms": {"readers": list(self.readers)}}],
                "minimum_should_match": 1,
            }
        }

    def sort_keys(self) -> list[Any]:
        """The order of results; `uid` last makes it total (the export's `search_after`
        needs a unique tiebreaker)."""
        by_date = {"date": {"order": "desc", "missing": "_last"}}
        if self.sort == "date":
            by_date = {"date": {"order": "asc", "missing": "_last"}}
        if self.sort == "relevance" and (self.text or self.like):
            return ["_score", by_date, "uid"]
        return [by_date, "uid"]

    def to_body(self, index: str) -> dict[str, Any]:
        """The Elasticsearch request body for one page of results, with facet counts,
        as plain dictionaries: what the search sends through the low-level client (no
        elasticsearch-dsl objects built and serialized again on every request).

        The facets aggregate the same filtered query as the hits (`readable`), so a
        count never includes a record the visitor could not see.
        """
        body = self.base_body(index)
        if self.text:
            # Passages from the exact words on the folded fields only: highlighting the
            # fuzzy clause builds a Levenshtein automaton per word, field and hit (290 of
            # the engine's 300 ms), and each stemmed field analyses the text again (half
            # of what is left). Hits this leaves without a passage, found through stems
            # or typos alone, get theirs from `passages_body`.
            body["highlight"] = highlight(FIRST_HIGHLIGHT_FIELDS, self._exact_query())
        if self.facets:
            body["aggs"] = {
                name: {"terms": {"field": name, "size": FACETS[name]}} for name in self.facets
            }
        body["track_total_hits"] = True
        # What a result shows, not the body nor the readers of a restricted record.
        body["_source"] = RESULT_FIELDS
        body["from"] = self.offset
        body["size"] = self.size
        return body

    def to_search(self, index: str) -> Search:
        """`to_body` as an elasticsearch-dsl search (the same request)."""
        return Search(index=index).update_from_dict(self.to_body(index))

    def passages_body(self, ids: list[str]) -> dict[str, Any]:
        """The passages of the hits `ids` (document ids, found by `to_body`) that the
        exact words on the folded fields left without one: they matched through stems or
        typos alone, so the whole text query highlights them, on every field (what the
        page request did for every hit before). A couple of milliseconds of the engine's
        a hit, paid only by such hits of the page shown. The visitor's readers filter
        applies again: an id that is not theirs finds nothing."""
        return {
            "query": {"bool": {"filter": [self.readable(), {"ids": {"values": list(ids)}}]}},
            "highlight": highlight(HIGHLIGHT_FIELDS, self._text_query()),
            "_source": False,
            "size": len(ids),
        }

    def passages_search(self, index: str, ids: list[str]) -> Search:
        """`passages_body` as an elasticsearch-dsl search (the same request)."""
        return Search(index=index).update_from_dict(self.passages_body(ids))

    def words(self) -> list[str]:
        """The distinct words of the text (`query_words`)."""
        return query_words(self.text)

    def _text_query(self) -> dict[str, Any]:
        """Every word required; exact and stemmed matches in both languages, or words
        within an edit or two of a folded word (typo tolerance) for the first
        `MAX_FUZZY_WORDS` distinct words, the others then matched exactly or by stem."""
        return {
            "bool": {
                "should": [self._exact_query(), self._fuzzy_query()],
                "minimum_should_match": 1,
            }
        }

    def _exact_query(self) -> dict[str, Any]:
        return exact_match(" ".join(self.words()) or searchable_words(self.text))

    def _fuzzy_query(self) -> dict[str, Any]:
        words = self.words()
        fuzzy = {
            "multi_match": {
                "query": " ".join(words[:MAX_FUZZY_WORDS]) or searchable_words(self.text),
                "fields": FUZZY_FIELDS,
                "type": "most_fields",
                "operator": "and",
                "fuzziness": "AUTO",
                "prefix_length": 1,
                "max_expansions": 20,
            }
        }
        if len(words) <= MAX_FUZZY_WORDS:
            return fuzzy
        return {"bool": {"must": [fuzzy, exact_match(" ".join(words[MAX_FUZZY_WORDS:]))]}}


PARSED_QUERIES = 1024


@lru_cache(maxsize=PARSED_QUERIES)
def _parsed(parameters: tuple[tuple[str, tuple[str, ...]], ...]) -> ArchiveQuery:
    params = QueryDict(mutable=True)
    for name, values in parameters:
        params.setlist(name, list(values))
    cleaned = read_parameters(SearchParameters, params)
    return ArchiveQuery(
        text=cleaned["q"],
        # Read-only: the query is shared by every request with these parameters.
        filters=MappingProxyType({name: values for name in FACETS if (values := cleaned[name])}),
        date_from=cleaned["from"],
        date_to=cleaned["to"],
        sort=cleaned["sort"],
        page=cleaned["page"],
        size=cleaned["size"],
        like=cleaned["like"],
        facets=cleaned["facet"],
    )


def exact_match(words: str) -> dict[str, Any]:
    """Every one of `words`, as typed (accents and case aside) or by its stem, in the
    title or the body."""
    return {
        "multi_match": {
            "query": words,
            "fields": TEXT_FIELDS,
            "type": "most_fields",
            "operator": "and",
        }
    }


def highlight(fields: list[str], query: dict[str, Any]) -> dict[str, Any]:
    """The highlight part of a request body: up to two passages a hit in `fields`, the
    words `query` matches in <mark>, the text HTML-escaped by the engine."""
    return {
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "fragment_size": 160,
        "number_of_fragments": 2,
        "encoder": "html",
        "highlight_query": query,
        "fields": {name: {} for name in fields},
    }


def query_words(text: str) -> list[str]:
    """The words of `text` (`searchable_words`, split on spaces), each once: the first
    of the words that differ only by accents or case. Every word is required, so a
    repeated one asks nothing more of a record; it only made the engine match it again
    (a thousand characters of one word repeated took seconds under load)."""
    seen: set[str] = set()
    words: list[str] = []
    for word in searchable_words(text).split():
        key = fold(word)
        if key not in seen:
            seen.add(key)
            words.append(word)
    return words


# Symbols (emoji among them), control and unassigned characters: the analysers keep an
# emoji as a word, which "every word required" would then demand.
NOT_WORDS = {"So", "Sk", "Cc", "Cf", "Cs", "Co", "Cn"}


def searchable_words(text: str) -> str:
    """`text` with symbols and control characters made spaces."""
    return "".join(" " if unicodedata.category(ch) in NOT_WORDS else ch for ch in text)
