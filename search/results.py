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


@dataclass(frozen=True)
class SearchResults:
    hits: list[SearchHit]
    total: int
    # "elasticsearch" or "database": the page tells visitors when the fallback answered.
    backend: str
    engine_unavailable: bool = False
