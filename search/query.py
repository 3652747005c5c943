"""The archive query: public parameters in, an Elasticsearch request out.

The parameters are read through `search.forms.SearchParameters` (only its fields are read;
a bad value is refused with an error that names the parameter). Visitors' text only
ever reaches `multi_match` and `more_like_this`, never a Lucene `query_string`, so
whatever they type cannot become a field query, a wildcard or a regular expression.
"""

import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest, QueryDict
from elasticsearch_dsl import A, Search
from elasticsearch_dsl.query import Bool, Ids, MoreLikeThis, MultiMatch, Query, Range, Term, Terms

from concertation.parameters import read_parameters

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


@dataclass(frozen=True)
class ArchiveQuery:
    text: str = ""
    # Facet name → the values asked for (any of them matches; facets combine with AND).
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
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
        `InvalidParameters` naming a refused parameter."""
        cleaned = read_parameters(SearchParameters, params)
        return cls(
            text=cleaned["q"],
            filters={name: values for name in FACETS if (values := cleaned[name])},
            date_from=cleaned["from"],
            date_to=cleaned["to"],
            sort=cleaned["sort"],
            page=cleaned["page"],
            size=cleaned["size"],
            like=cleaned["like"],
            facets=cleaned["facet"],
        )

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

    def base_search(self, index: str) -> Search:
        """Every record the visitor may read matching the words and filters, in the
        requested order, without paging, highlights or facets (the export pages through
        it)."""
        search = Search(index=index).filter(self.readable())
        for name, values in self.filters.items():
            if name == "year":
                search = search.filter(Terms(year=[int(value) for value in values]))
            else:
                search = search.filter(Terms(**{name: list(values)}))
        if self.date_from or self.date_to:
            bounds: dict[str, Any] = {"format": "yyyy-MM-dd"}
            if self.date_from:
                bounds["gte"] = self.date_from.isoformat()
            if self.date_to:
                bounds["lt"] = (self.date_to + timedelta(days=1)).isoformat()
            search = search.filter(Range(date=bounds))
        if self.text:
            search = search.query(self._text_query())
        if self.like:
            kind, object_id = self.like
            search = search.query(
                MoreLikeThis(
                    fields=MORE_LIKE_THIS_FIELDS,
                    # Document ids are `<kind>:<object_id>` for records and parts alike.
                    like=[{"_index": index, "_id": f"{kind}:{object_id}"}],
                    min_term_freq=1,
                    min_doc_freq=1,
                    max_query_terms=25,
                )
            )
        return search.sort(*self.sort_keys())

    def readable(self) -> Query:
        """What the visitor may find: public records, and restricted ones that name one
        of the visitor's reader tokens (see `search.readers`)."""
        public = Term(visibility="public")
        if not self.readers:
            return public
        return Bool(should=[public, Terms(readers=list(self.readers))], minimum_should_match=1)

    def sort_keys(self) -> list[Any]:
        """The order of results; `uid` last makes it total (the export's `search_after`
        needs a unique tiebreaker)."""
        by_date = {"date": {"order": "desc", "missing": "_last"}}
        if self.sort == "date":
            by_date = {"date": {"order": "asc", "missing": "_last"}}
        if self.sort == "relevance" and (self.text or self.like):
            return ["_score", by_date, "uid"]
        return [by_date, "uid"]

    def to_search(self, index: str) -> Search:
        """The Elasticsearch request for one page of results, with facet counts.

        The facets aggregate the same filtered query as the hits (`readable`), so a
        count never includes a record the visitor could not see.
        """
        search = self.base_search(index)
        if self.text:
            # Passages from the exact words on the folded fields only: highlighting the
            # fuzzy clause builds a Levenshtein automaton per word, field and hit (290 of
            # the engine's 300 ms), and each stemmed field analyses the text again (half
            # of what is left). Hits this leaves without a passage, found through stems
            # or typos alone, get theirs from `passages_search`.
            search = highlighted(search, FIRST_HIGHLIGHT_FIELDS, self._exact_query())
        for name in self.facets:
            search.aggs.bucket(name, A("terms", field=name, size=FACETS[name]))
        search = search.extra(track_total_hits=True)
        return search[self.offset : self.offset + self.size]

    def passages_search(self, index: str, ids: list[str]) -> Search:
        """The passages of the hits `ids` (document ids, found by `to_search`) that the
        exact words on the folded fields left without one: they matched through stems or
        typos alone, so the whole text query highlights them, on every field (what the
        page request did for every hit before). A couple of milliseconds of the engine's
        a hit, paid only by such hits of the page shown."""
        search = Search(index=index).filter(self.readable()).filter(Ids(values=ids))
        search = highlighted(search, HIGHLIGHT_FIELDS, self._text_query())
        return search.source(False)[: len(ids)]

    def _text_query(self) -> Bool:
        """Every word required; exact and stemmed matches in both languages, or words
        within an edit or two of a folded word (typo tolerance)."""
        return Bool(should=[self._exact_query(), self._fuzzy_query()], minimum_should_match=1)

    def _exact_query(self) -> MultiMatch:
        return MultiMatch(
            query=searchable_words(self.text),
            fields=TEXT_FIELDS,
            type="most_fields",
            operator="and",
        )

    def _fuzzy_query(self) -> MultiMatch:
        return MultiMatch(
            query=searchable_words(self.text),
            fields=FUZZY_FIELDS,
            type="most_fields",
            operator="and",
            fuzziness="AUTO",
            prefix_length=1,
            max_expansions=20,
        )


def highlighted(search: Search, fields: list[str], query: Query) -> Search:
    """`search` asking for up to two passages a hit in `fields`, the words `query`
    matches in <mark>, the text HTML-escaped by the engine."""
    return search.highlight(
        *fields,
        pre_tags=["<mark>"],
        post_tags=["</mark>"],
        fragment_size=160,
        number_of_fragments=2,
    ).highlight_options(encoder="html", highlight_query=query.to_dict())


# Symbols (emoji among them), control and unassigned characters: the analysers keep an
# emoji as a word, which "every word required" would then demand.
NOT_WORDS = {"So", "Sk", "Cc", "Cf", "Cs", "Co", "Cn"}


def searchable_words(text: str) -> str:
    """`text` with symbols and control characters made spaces."""
    return "".join(" " if unicodedata.category(ch) in NOT_WORDS else ch for ch in text)
