"""The archive query: public parameters in, an Elasticsearch request out.

Only the parameters named here are read; anything else in the query string is ignored,
and a bad value is refused with an error that names the parameter.
"""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _
from elasticsearch_dsl import Search
from elasticsearch_dsl.query import MultiMatch, Term, Terms

from concertation.parameters import ParameterError

from .registry import registry

MAX_QUERY_LENGTH = 1000
MAX_PAGE = 100
PAGE_SIZE = 20
TEXT_FIELDS = ["title^3", "title.fr^2", "title.en^2", "body", "body.fr", "body.en"]
HIGHLIGHT_FIELDS = ["title", "title.fr", "title.en", "body", "body.fr", "body.en"]


class SearchParameterError(ParameterError):
    """A query-string parameter the search cannot accept."""


@dataclass(frozen=True)
class ArchiveQuery:
    text: str = ""
    kinds: tuple[str, ...] = field(default_factory=tuple)
    page: int = 1
    size: int = PAGE_SIZE

    @classmethod
    def from_params(cls, params: QueryDict) -> "ArchiveQuery":
        text = params.get("q", "").replace("\x00", "").strip()
        if len(text) > MAX_QUERY_LENGTH:
            raise SearchParameterError(
                "q", _("at most %(limit)d characters.") % {"limit": MAX_QUERY_LENGTH}
            )
        kinds = tuple(params.getlist("kind"))
        unknown = sorted(set(kinds) - set(registry.kinds()))
        if unknown:
            raise SearchParameterError(
                "kind",
                _("unknown kind %(kind)s; expected one of %(allowed)s.")
                % {"kind": ", ".join(unknown), "allowed": ", ".join(registry.kinds())},
            )
        raw_page = params.get("page", "1")
        try:
            page = int(raw_page)
        except ValueError:
            raise SearchParameterError("page", _("must be a whole number.")) from None
        if not 1 <= page <= MAX_PAGE:
            raise SearchParameterError(
                "page", _("must be between 1 and %(max)d.") % {"max": MAX_PAGE}
            )
        return cls(text=text, kinds=kinds, page=page)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def terms(self) -> list[str]:
        return self.text.split()

    def to_search(self, index: str) -> Search:
        """The Elasticsearch request for this query.

        `multi_match` never interprets Lucene syntax, so whatever a visitor types cannot
        become a field query, a wildcard or a regular expression.
        """
        search = Search(index=index).filter(Term(visibility="public"))
        if self.kinds:
            search = search.filter(Terms(kind=list(self.kinds)))
        if self.text:
            search = search.query(
                MultiMatch(
                    query=self.text,
                    fields=TEXT_FIELDS,
                    type="most_fields",
                    operator="and",
                    fuzziness="AUTO",
                    prefix_length=1,
                )
            )
            search = search.highlight(
                *HIGHLIGHT_FIELDS,
                pre_tags=["<mark>"],
                post_tags=["</mark>"],
                fragment_size=160,
                number_of_fragments=2,
            ).highlight_options(encoder="html")
        else:
            search = search.sort("-date")
        return search[self.offset : self.offset + self.size]
