"""What a search returns, whichever engine answered it."""

from dataclasses import dataclass, field

from django.utils.safestring import SafeString


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: str
    url: str
    # HTML-escaped text with the matched words in <mark>.
    highlights: list[SafeString] = field(default_factory=list)
    language: str = ""
    object_id: str = ""
    # ISO 8601, as stored (a date or a date and time); empty when the record has none.
    date: str = ""
    # Not public: found because the visitor's roles let them read it (`search.readers`).
    restricted: bool = False

    @property
    def like(self) -> str:
        """The `like` parameter asking for records similar to this one."""
        return f"{self.kind}:{self.object_id}"


@dataclass(frozen=True)
class FacetBucket:
    value: str
    count: int


@dataclass(frozen=True)
class SearchResults:
    hits: list[SearchHit]
    total: int
    # "elasticsearch" or "database": the page tells visitors when the fallback answered.
    backend: str
    engine_unavailable: bool = False
    # Facet name → its values with their counts; None when the backend has no facets
    # (the database fallback).
    facets: dict[str, list[FacetBucket]] | None = None
