"""The archive query: public parameters in, an Elasticsearch request out.

Only the parameters named here are read; anything else in the query string is ignored,
and a bad value is refused with an error that names the parameter. Visitors' text only
ever reaches `multi_match` and `more_like_this`, never a Lucene `query_string`, so
whatever they type cannot become a field query, a wildcard or a regular expression.
"""

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from elasticsearch_dsl import A, Search
from elasticsearch_dsl.query import Bool, MoreLikeThis, MultiMatch, Query, Range, Term, Terms

from concertation.parameters import ParameterError

from .readers import principals
from .registry import registry

MAX_QUERY_LENGTH = 1000
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# No page reaches past this many results (page × size): deep from/size paging is costly
# for the engine and nobody reads result 1,001; the export streams whole result sets.
MAX_RESULT_WINDOW = 1000
MAX_PAGE = MAX_RESULT_WINDOW // PAGE_SIZE
TEXT_FIELDS = ["title^3", "title.fr^2", "title.en^2", "body", "body.fr", "body.en"]
# Typo tolerance on the folded fields only: fuzzy matching against stems finds nonsense.
FUZZY_FIELDS = ["title^3", "body"]
HIGHLIGHT_FIELDS = ["title", "title.fr", "title.en", "body", "body.fr", "body.en"]
MORE_LIKE_THIS_FIELDS = ["title", "body"]

# Facet name → how many buckets it returns at most. Each is a keyword (or integer)
# field of the index and a repeatable filter parameter of the same name.
FACETS: dict[str, int] = {
    "kind": 10,
    "sector": 30,
    "region": 30,
    "constituency": 30,
    "year": 50,
    "policy": 30,
    "organization": 30,
    "language": 5,
}
MAX_FILTER_VALUES = 20
FILTER_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
YEAR_VALUE = re.compile(r"[0-9]{4}")
DATE_VALUE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A record's primary key, or `<pk>:<suffix>` for a part of a record (a policy section).
OBJECT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_.-]{1,100})?")
SORTS = ("relevance", "date", "-date")
# Every parameter the search reads, for the API description and the export.
PARAMETERS = ("q", *FACETS, "from", "to", "sort", "page", "size", "like", "facet")
# What the export does not read at all: it streams every result, without facet counts.
EXPORT_IGNORES = ("page", "size", "facet")


class SearchParameterError(ParameterError):
    """A query-string parameter the search cannot accept."""


def search_kinds() -> list[str]:
    """Every `kind` the index holds: the registered kinds and the kinds of their parts
    (a policy version's sections are documents of their own)."""
    kinds = registry.kinds()
    parts = [getattr(searchable, "part_kind", "") for searchable in registry]
    return kinds + [kind for kind in parts if kind and kind not in kinds]


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
        text = params.get("q", "").replace("\x00", "").strip()
        if len(text) > MAX_QUERY_LENGTH:
            raise SearchParameterError(
                "q", _("at most %(limit)d characters.") % {"limit": MAX_QUERY_LENGTH}
            )
        filters = {name: values for name in FACETS if (values := _filter_values(params, name))}
        date_from = _date(params, "from")
        date_to = _date(params, "to")
        if date_from and date_to and date_from > date_to:
            raise SearchParameterError("to", _("must not be before “from”."))
        sort = params.get("sort", "relevance")
        if sort not in SORTS:
            raise SearchParameterError(
                "sort",
                _("unknown sort %(sort)s; expected one of %(allowed)s.")
                % {"sort": sort[:50], "allowed": ", ".join(SORTS)},
            )
        size = _whole_number(params, "size", PAGE_SIZE)
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise SearchParameterError(
                "size", _("must be between 1 and %(max)d.") % {"max": MAX_PAGE_SIZE}
            )
        page = _whole_number(params, "page", 1)
        if page < 1 or page * size > MAX_RESULT_WINDOW:
            raise SearchParameterError(
                "page",
                _("must be between 1 and %(max)d at %(size)d results a page.")
                % {"max": MAX_RESULT_WINDOW // size, "size": size},
            )
        facets = tuple(params.getlist("facet")) or tuple(FACETS)
        unknown = sorted(set(facets) - set(FACETS))
        if unknown:
            raise SearchParameterError(
                "facet",
                _("unknown facet %(facet)s; expected one of %(allowed)s.")
                % {"facet": ", ".join(name[:50] for name in unknown), "allowed": ", ".join(FACETS)},
            )
        return cls(
            text=text,
            filters=filters,
            date_from=date_from,
            date_to=date_to,
            sort=sort,
            page=page,
            size=size,
            like=_like(params),
            facets=facets,
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
        """Whether it asks for more than words and kinds, which the fallback ignores."""
        other_filters = set(self.filters) - {"kind"}
        return bool(other_filters or self.date_from or self.date_to or self.like)

    def terms(self) -> list[str]:
        return self.text.split()

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
            search = search.highlight(
                *HIGHLIGHT_FIELDS,
                pre_tags=["<mark>"],
                post_tags=["</mark>"],
                fragment_size=160,
                number_of_fragments=2,
            ).highlight_options(encoder="html")
        for name in self.facets:
            search.aggs.bucket(name, A("terms", field=name, size=FACETS[name]))
        search = search.extra(track_total_hits=True)
        return search[self.offset : self.offset + self.size]

    def _text_query(self) -> Bool:
        """Every word required; exact and stemmed matches in both languages, or words
        within an edit or two of a folded word (typo tolerance)."""
        words = searchable_words(self.text)
        exact = MultiMatch(query=words, fields=TEXT_FIELDS, type="most_fields", operator="and")
        fuzzy = MultiMatch(
            query=words,
            fields=FUZZY_FIELDS,
            type="most_fields",
            operator="and",
            fuzziness="AUTO",
            prefix_length=1,
            max_expansions=20,
        )
        return Bool(should=[exact, fuzzy], minimum_should_match=1)


# Symbols (emoji among them), control and unassigned characters: the analysers keep an
# emoji as a word, which "every word required" would then demand.
NOT_WORDS = {"So", "Sk", "Cc", "Cf", "Cs", "Co", "Cn"}


def searchable_words(text: str) -> str:
    """`text` with symbols and control characters made spaces."""
    return "".join(" " if unicodedata.category(ch) in NOT_WORDS else ch for ch in text)


def _filter_values(params: QueryDict, name: str) -> tuple[str, ...]:
    values = tuple(dict.fromkeys(value for value in params.getlist(name) if value != ""))
    if len(values) > MAX_FILTER_VALUES:
        raise SearchParameterError(name, _("at most %(max)d values.") % {"max": MAX_FILTER_VALUES})
    if name == "kind":
        unknown = sorted(set(values) - set(search_kinds()))
        if unknown:
            raise SearchParameterError(
                "kind",
                _("unknown kind %(kind)s; expected one of %(allowed)s.")
                % {
                    "kind": ", ".join(kind[:50] for kind in unknown),
                    "allowed": ", ".join(search_kinds()),
                },
            )
        return values
    pattern = YEAR_VALUE if name == "year" else FILTER_VALUE
    for value in values:
        if not pattern.fullmatch(value):
            if name == "year":
                raise SearchParameterError(name, _("must be a four-digit year."))
            raise SearchParameterError(
                name,
                _("must be a code of at most 100 letters, digits, dots, dashes or underscores."),
            )
    return values


def _whole_number(params: QueryDict, name: str, default: int) -> int:
    raw = params.get(name, "")
    if raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        raise SearchParameterError(name, _("must be a whole number."))
    return int(raw)


def _date(params: QueryDict, name: str) -> date | None:
    raw = params.get(name, "")
    if raw == "":
        return None
    try:
        if not DATE_VALUE.fullmatch(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise SearchParameterError(name, _("must be a date written YYYY-MM-DD.")) from None


def _like(params: QueryDict) -> tuple[str, str] | None:
    raw = params.get("like", "")
    if raw == "":
        return None
    kind, _separator, object_id = raw.partition(":")
    if kind not in search_kinds() or not OBJECT_ID.fullmatch(object_id):
        raise SearchParameterError(
            "like",
            _("must be a kind and a record number, such as organization:12."),
        )
    return kind, object_id
