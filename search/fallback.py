"""Search answered from the database, when Elasticsearch is not configured or is down:
"the simple search".

It honours what the search page shows — words, every filter, the date range, the sort,
paging, facet counts and the export — with the engine's reader rule, but matches words
as written: every word must appear, accents and case ignored (`search.folding`), in a
few fields of each kind (`fallback_fields`) or in the text of a record's parts (a
policy's sections, a round's response points). No stemming, no typo tolerance, no
"more like this"; relevance is the number of words in the title, then recency.

How: each kind's matching records are read in one query (plus the kind's prefetches and
`prepare`), the visitor's reader rule applied record by record, and each record (and
each part) summed up as an `Entry` holding what filters, facets and sorting read, the
document's own fields (`extra_fields`). Filters, dates, facets, order and paging then
work on those entries, so their meaning is the index's. The cost grows with the number
of matching records, not with the page asked for: fine for `make run` and an outage,
never a substitute for the engine (decision 010).
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .folding import contains_every_term, fold, folded_spans
from .forms import FACETS
from .query import ArchiveQuery
from .readers import may_read
from .registry import SearchableModel, registry
from .results import FacetBucket, SearchHit, SearchResults

FRAGMENT_RADIUS = 80
# Annotated on a kind with parts: whether the record itself (not only a part) matched.
RECORD_MATCHED = "_fallback_record_matched"


def highlight(text: str, terms: list[str]) -> SafeString | None:
    """An escaped fragment of `text` around the first term found (accents and case
    ignored), every term found in it in <mark>."""
    if not terms or not text:
        return None
    spans = folded_spans(text, terms)
    if not spans:
        return None
    start = max(spans[0][0] - FRAGMENT_RADIUS, 0)
    end = min(spans[0][1] + FRAGMENT_RADIUS, len(text))
    html, cursor = [], start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        html += [escape(text[cursor:span_start]), "<mark>", escape(text[span_start:span_end])]
        html.append("</mark>")
        cursor = span_end
    html.append(escape(text[cursor:end]))
    return mark_safe(("…" if start else "") + "".join(html))


@dataclass
class Entry:
    """One document the simple search found: a record, or a part of one."""

    searchable: SearchableModel
    instance: Any
    kind: str
    object_id: str
    uid: str
    title: str
    language: str
    date: date | datetime | None
    restricted: bool
    # Facet name → the document's values for it, as strings.
    facets: dict[str, tuple[str, ...]]
    # A part's own document (`title`, `body`, `url`…); None for the record itself.
    part: dict[str, Any] | None = None
    score: int = 0
    sort_date: datetime | None = field(default=None, repr=False)

    def url(self) -> str:
        if self.part is not None:
            return self.part["url"]
        with translation.override(settings.LANGUAGE_CODE):
            return self.searchable.url(self.instance)

    def body(self) -> str:
        if self.part is not None:
            return self.part.get("body", "")
        with translation.override(settings.LANGUAGE_CODE):
            return self.searchable.body(self.instance)

    def hit(self, terms: list[str]) -> SearchHit:
        fragments = [highlight(self.title, terms), highlight(self.body(), terms)] if terms else []
        return SearchHit(
            kind=self.kind,
            title=self.title,
            url=self.url(),
            highlights=[fragment for fragment in fragments if fragment],
            language=self.language,
            object_id=self.object_id,
            date=self.date.isoformat() if self.date else "",
            restricted=self.restricted,
        )


def _facet_values(value: Any) -> tuple[str, ...]:
    """A document field as facet values: "" and None are no value (the engine's facets
    leave them out too)."""
    values = value if isinstance(value, list | tuple | set) else [value]
    return tuple(str(item) for item in values if item not in (None, ""))


def _as_utc(value: date | datetime | None) -> datetime | None:
    """A date or a date and time as an instant, as the index compares them (UTC)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time.min, tzinfo=UTC)


def _entry(
    searchable: SearchableModel,
    instance: Any,
    record: dict[str, Any],
    readers: list[str] | None,
    part: tuple[str, dict[str, Any]] | None = None,
) -> Entry:
    """The entry of `instance`'s own document (`record`: its fields but the body), or of
    one of its parts, which takes the record's fields unless it sets its own (as
    `SearchableModel.to_part_documents`)."""
    document = record
    kind, object_id, uid = searchable.kind, str(instance.pk), searchable.document_id(instance.pk)
    part_document = None
    if part is not None:
        suffix, part_document = part
        document = {**record, **part_document}
        kind = searchable.part_kind
        object_id = f"{instance.pk}:{suffix}"
        uid = searchable.part_document_id(instance.pk, suffix)
    when = document.get("date")
    facets = {name: _facet_values(document.get(name)) for name in FACETS if name != "kind"}
    facets["kind"] = (kind,)
    # The document id filters as in the index (saved searches ask for given records).
    facets["uid"] = (uid,)
    return Entry(
        searchable=searchable,
        instance=instance,
        kind=kind,
        object_id=object_id,
        uid=uid,
        title=document.get("title", ""),
        language=document.get("language") or "",
        date=when,
        restricted=readers is not None,
        facets=facets,
        part=part_document,
        sort_date=_as_utc(when),
    )


def _record_fields(searchable: SearchableModel, instance: Any) -> dict[str, Any]:
    """What `SearchableModel.to_document` holds but the body (which may read attached
    files, and is only needed for the highlights of the page shown)."""
    when = searchable.date(instance)
    return {
        "language": searchable.language(instance),
        "title": searchable.title(instance),
        "date": when,
        "year": when.year if when else None,
        **searchable.extra_fields(instance),
    }


def _kind_entries(
    searchable: SearchableModel, query: ArchiveQuery, terms: list[str]
) -> Iterator[Entry]:
    """The entries of one kind (records, parts or both, as `kind` asks) whose words
    match and which the visitor may read."""
    kinds = query.kinds
    want_records = not kinds or searchable.kind in kinds
    want_parts = bool(searchable.part_kind) and (not kinds or searchable.part_kind in kinds)
    if not (want_records or want_parts):
        return
    records = searchable.get_queryset()
    if terms:
        matched = searchable.fallback_filter(terms)
        if want_parts:
            # A part may match where its record does not: every record is read, and
            # whether the record itself matched comes with it.
            records = records.annotate(
                **{RECORD_MATCHED: ExpressionWrapper(matched, output_field=BooleanField())}
            )
        else:
            records = records.filter(matched)
    instances = list(records)
    searchable.prepare(instances)
    with translation.override(settings.LANGUAGE_CODE):
        for instance in instances:
            readers = searchable.readers(instance)
            if not may_read(readers, query.readers):
                continue
            record = _record_fields(searchable, instance)
            if want_records and (not terms or getattr(instance, RECORD_MATCHED, True)):
                yield _entry(searchable, instance, record, readers)
            if want_parts:
                for suffix, part in searchable.parts(instance):
                    text = f"{part.get('title', '')}\n{part.get('body', '')}"
                    if not terms or contains_every_term(text, terms):
                        yield _entry(searchable, instance, record, readers, (suffix, part))


def _passes_filters(entry: Entry, query: ArchiveQuery) -> bool:
    """The facet filters (any value of a facet, every facet) and the date range (the
    whole `to` day, in UTC as the index has it; an undated record is outside any range)."""
    for name, values in query.filters.items():
        if not set(entry.facets.get(name, ())) & set(values):
            return False
    if query.date_from or query.date_to:
        if entry.sort_date is None:
            return False
        if query.date_from and entry.sort_date < _as_utc(query.date_from):
            return False
        if query.date_to and entry.sort_date >= _as_utc(query.date_to + timedelta(days=1)):
            return False
    return True


def _sorted(entries: list[Entry], query: ArchiveQuery) -> list[Entry]:
    """In the engine's order: relevance (here, how many words the title holds) when
    there are words, the date (undated records last), then `uid`. Stable sorts, from
    the last key to the first."""
    entries.sort(key=lambda entry: entry.uid)
    dated = [entry for entry in entries if entry.sort_date is not None]
    undated = [entry for entry in entries if entry.sort_date is None]
    dated.sort(key=lambda entry: entry.sort_date, reverse=query.sort != "date")
    ordered = dated + undated
    if query.sort == "relevance" and query.text:
        ordered.sort(key=lambda entry: entry.score, reverse=True)
    return ordered


def matching_entries(query: ArchiveQuery) -> list[Entry]:
    """Every entry the visitor may read matching the words, filters and dates, in the
    query's order. "More like this" finds nothing here."""
    if query.like:
        return []
    terms = query.terms()
    entries = [
        entry
        for searchable in registry
        for entry in _kind_entries(searchable, query, terms)
        if _passes_filters(entry, query)
    ]
    for entry in entries:
        title = fold(entry.title)
        entry.score = sum(1 for term in terms if fold(term) in title)
    return _sorted(entries, query)


def facet_counts(entries: list[Entry], names: tuple[str, ...]) -> dict[str, list[FacetBucket]]:
    """Each facet's values over every entry found, the commonest first (ties by value),
    as many as the engine returns (`FACETS`)."""
    facets = {}
    for name in names:
        counts = Counter(value for entry in entries for value in set(entry.facets.get(name, ())))
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        facets[name] = [FacetBucket(value=value, count=count) for value, count in ranked][
            : FACETS[name]
        ]
    return facets


def search_database(query: ArchiveQuery) -> SearchResults:
    """One page of results with the facet counts of the whole match, for the visitor."""
    entries = matching_entries(query)
    terms = query.terms()
    page = entries[query.offset : query.offset + query.size]
    return SearchResults(
        hits=[entry.hit(terms) for entry in page],
        total=len(entries),
        backend="database",
        facets=facet_counts(entries, query.facets),
    )


def database_hits(query: ArchiveQuery) -> Iterator[SearchHit]:
    """Every result of `query`, without highlights (the export). The records are read
    now, before the file starts streaming; each hit is made as the file is written."""
    entries = matching_entries(query)
    return (entry.hit([]) for entry in entries)
