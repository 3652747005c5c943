"""Accents and case ignored by the database fallback, by the database's own means.

PostgreSQL compares through its `unaccent` extension (created by the migration
`search.0003_unaccent_extension`); SQLite has no such function, so every SQLite
connection gets one named `unaccent`, written in Python (`fold`). The one lookup,
`<field>__unaccent__icontains`, then reads the same on both (decision 010).
"""

import unicodedata

from django.contrib.postgres.lookups import Unaccent
from django.db.backends.signals import connection_created
from django.db.models import CharField, Q, TextField

# Letters NFKD does not decompose, folded as PostgreSQL's `unaccent` rules fold them.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o"})


def fold(text: str | None) -> str | None:
    """`text` without its accents and in lower case: "Communauté" → "communaute"."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def folded_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where in `text` each occurrence of a term is, accents and case ignored: (start,
    end) pairs in `text`'s own positions, in order, not overlapping."""
    folded: list[str] = []
    origin: list[int] = []
    for position, ch in enumerate(text):
        for folded_ch in fold(ch):
            folded.append(folded_ch)
            origin.append(position)
    haystack = "".join(folded)
    spans: list[tuple[int, int]] = []
    for term in filter(None, (fold(term) for term in terms)):
        start = haystack.find(term)
        while start != -1:
            spans.append((origin[start], origin[start + len(term) - 1] + 1))
            start = haystack.find(term, start + len(term))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def contains_every_term(text: str, terms: list[str]) -> bool:
    """Whether each term is in `text`, accents and case ignored (a part of a record,
    matched in Python: see `search.fallback`)."""
    folded = fold(text)
    return all(fold(term) in folded for term in terms)


def folded_contains(field: str, term: str) -> Q:
    """`field` contains `term`, accents and case ignored, on PostgreSQL and SQLite."""
    return Q(**{f"{field}__unaccent__icontains": term})


def _sqlite_unaccent(connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("unaccent", 1, fold, deterministic=True)


def install() -> None:
    """Make `__unaccent` a lookup of text fields (as `django.contrib.postgres` does when
    installed), and give every new SQLite connection its `unaccent` function."""
    CharField.register_lookup(Unaccent)
    TextField.register_lookup(Unaccent)
    connection_created.connect(_sqlite_unaccent, dispatch_uid="search.folding.sqlite_unaccent")
