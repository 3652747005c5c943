"""Which records are searchable, and how each becomes a search document.

Each indexed app declares a `SearchableModel` subclass per model in its `documents.py`
and registers it here. Indexing, the rebuild command and the database fallback all work
from this registry, so none of them lists models by hand.
"""

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, ClassVar

from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.utils import translation
from wagtail.models import Page

from .folding import folded_contains
from .readers import attach_view_restrictions, cached_view_restrictions, page_readers

# A record's date, as `SearchableModel.date` gives it.
Moment = date | datetime | None


class SearchableModel:
    """How one model takes part in the archive search."""

    model: ClassVar[type[Model]]
    kind: ClassVar[str]
    # What visitors read for this kind of result (translatable).
    label: ClassVar[str]
    # Database fields the fallback search looks into when Elasticsearch is not in use.
    fallback_fields: ClassVar[tuple[str, ...]]
    # Many-to-many fields whose changes alter the document (saved after the row itself).
    many_to_many_fields: ClassVar[tuple[str, ...]] = ()

    def get_queryset(self) -> QuerySet:
        """The records that may be in the index: public ones, and restricted ones someone
        may read on the site (see `readers`); never drafts."""
        raise NotImplementedError

    def readers(self, instance: Any) -> list[str] | None:
        """Who may find the record (`search.readers`): None when it is public, else the
        reader tokens stored on its documents and matched at query time."""
        return None

    # Whether any record of the kind may be restricted (`readers` not always None): the
    # database fallback checks each candidate's readers only for these kinds.
    may_be_restricted: ClassVar[bool] = False

    def prepare(self, instances: list[Any]) -> None:
        """Read at once what building the documents of `instances` needs beyond their
        queryset (a page's view restrictions), so a chunk costs the same queries
        whatever its size. Optional: documents build without it, a query at a time."""

    def title(self, instance: Any) -> str:
        raise NotImplementedError

    def body(self, instance: Any) -> str:
        return ""

    def url(self, instance: Any) -> str:
        """Where the record is read. `to_document` calls it in the default language, so a
        record with no language of its own gets its language-neutral address (no `/fr/`
        prefix), which the results page puts in the visitor's language; a page keeps the
        address of its own locale."""
        return instance.get_absolute_url()

    def language(self, instance: Any) -> str:
        """The language of the record's content; empty when it has none of its own (a
        catalogue record with a field per language)."""
        return ""

    def date(self, instance: Any) -> date | datetime | None:
        return None

    def extra_fields(self, instance: Any) -> dict[str, Any]:
        """Further fields of the document: the facets (`policy`, `organization`, `sector`,
        `region`, `constituency`…) the kind can be filtered by."""
        return {}

    def pks_following_page(self, page: Page) -> QuerySet | None:
        """The records of this kind whose visibility follows `page` and its section —
        re-synced when the page is published, unpublished or its privacy changes. For
        page kinds, the live pages at and under it; other kinds name their own (a
        submission follows its round) or none."""
        if not self.is_page:
            return None
        return (
            self.model.objects.descendant_of(page, inclusive=True)
            .live()
            .values_list("pk", flat=True)
        )

    # Other models whose rows show in this kind's documents (an organization's name and
    # facets in those of the fora it convenes): saving one re-syncs the records it shows
    # in (`pks_depending_on`).
    depends_on: ClassVar[tuple[type[Model], ...]] = ()

    def pks_depending_on(self, instance: Any) -> QuerySet:
        """The keys of the records of this kind whose documents show `instance`, a row
        of one of the `depends_on` models."""
        raise NotImplementedError

    def document_id(self, pk: Any) -> str:
        return f"{self.kind}:{pk}"

    # Addressable parts of a record (a policy version's sections) may be documents of
    # their own, of this kind, so that a result leads to the part that matched. Empty:
    # the model has none.
    part_kind: ClassVar[str] = ""
    part_label: ClassVar[str] = ""

    def parts(self, instance: Any) -> list[tuple[str, dict[str, Any]]]:
        """The record's parts as (suffix, document) pairs; the suffix (unique within the
        record) ends the part's id and `object_id`: `<part_kind>:<pk>:<suffix>`.

        Each document needs only what differs from the record's own (`title`, `body`,
        `url`…): `to_part_documents` fills in the rest."""
        return []

    def part_document_id(self, pk: Any, suffix: str) -> str:
        return f"{self.part_kind}:{pk}:{suffix}"

    def to_part_documents(self, instance: Any) -> list[tuple[str, dict[str, Any]]]:
        """(id, document) for each part of `instance`, built like `to_document`: in the
        default language, with the record's language, date and facets unless the part
        sets its own."""
        if not self.part_kind:
            return []
        with translation.override(settings.LANGUAGE_CODE):
            record = self._document(instance)
            documents = []
            for suffix, part in self.parts(instance):
                object_id = f"{instance.pk}:{suffix}"
                document = {
                    **record,
                    "kind": self.part_kind,
                    "object_id": object_id,
                    **part,
                }
                if "uid" in record:
                    document["uid"] = self.part_document_id(instance.pk, suffix)
                documents.append((self.part_document_id(instance.pk, suffix), document))
            return documents

    def parts_query(self, pks: list[Any]) -> dict[str, Any]:
        """The query matching every part document of the records `pks`: a sync searches
        for their ids and deletes them before writing a record's parts afresh (a section
        may have gone; the engine may lack `_delete_by_query`)."""
        return {
            "bool": {
                "filter": [{"term": {"kind": self.part_kind}}],
                "should": [{"prefix": {"object_id": f"{pk}:"}} for pk in pks],
                "minimum_should_match": 1,
            }
        }

    def record_key(self, document_id: str) -> str:
        """The primary key of the record a document (its own or a part's) belongs to."""
        kind, _separator, rest = document_id.partition(":")
        return rest.partition(":")[0] if kind == self.part_kind else rest

    def documents(self, instance: Any) -> list[tuple[str, dict[str, Any]]]:
        """(id, document) for everything `instance` is in the index as: its own
        document, then its parts'."""
        with translation.override(settings.LANGUAGE_CODE):
            return [
                (self.document_id(instance.pk), self.to_document(instance)),
                *self.to_part_documents(instance),
            ]

    # Row-based building, for the kinds with many records (the catalogue): the rebuild
    # reads `document_rows()`, plain dictionaries a chunk at a time, and builds the
    # chunk's documents with `documents_from_rows`, one query per related table instead
    # of model instances and a translated label per record (about ten times faster).
    # Empty: the kind is built from its instances (`documents`).
    row_fields: ClassVar[tuple[str, ...]] = ()

    def document_rows(self) -> QuerySet | None:
        """The records of `get_queryset()` as `values(*row_fields)` rows (`pk` among
        them), or None when the kind is built from its instances only."""
        if not self.row_fields:
            return None
        return self.get_queryset().prefetch_related(None).values(*self.row_fields)

    def documents_from_rows(self, rows: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
        """(id, document) for each of `rows`, exactly what `documents` gives for its
        record (a test compares them for every kind that has rows). Called in the
        default language, a chunk at a time."""
        raise NotImplementedError

    def to_document(self, instance: Any) -> dict[str, Any]:
        """The search document for `instance`, as stored in the archive index.

        Built in the default language, whatever language is active when the task runs
        (a save made in the French admin must not store French addresses).
        """
        with translation.override(settings.LANGUAGE_CODE):
            return self._document(instance)

    def _document(self, instance: Any) -> dict[str, Any]:
        when = self.date(instance)
        readers = self.readers(instance)
        return self.assemble(
            instance.pk,
            language=self.language(instance),
            readers=readers,
            title=self.title(instance),
            body=self.body(instance),
            url=self.url(instance),
            when=when,
            extra=self.extra_fields(instance),
        )

    def assemble(
        self,
        pk: Any,
        *,
        title: str,
        url: str,
        body: str = "",
        language: str = "",
        readers: list[str] | None = None,
        when: Moment = None,
        extra: dict[str, Any],
    ) -> dict[str, Any]:
        """The document of the record `pk` from its parts: the one shape both
        `to_document` and `documents_from_rows` give."""
        return {
            "kind": self.kind,
            "object_id": str(pk),
            "uid": self.document_id(pk),
            "language": language,
            "visibility": "public" if readers is None else "restricted",
            "readers": readers or [],
            "title": title,
            "body": body,
            "url": url,
            "date": when,
            # The year facet: every kind's date, whatever it means for the kind.
            "year": when.year if when else None,
            **extra,
        }

    def fallback_filter(self, terms: list[str]) -> Q:
        """Every term must appear in at least one of the fallback fields, accents and
        case ignored (`search.folding`)."""
        condition = Q()
        for term in terms:
            any_field = Q()
            for field in self.fallback_fields:
                any_field |= folded_contains(field, term)
            condition &= any_field
        return condition

    @property
    def is_page(self) -> bool:
        return issubclass(self.model, Page)


class SearchablePage(SearchableModel):
    """A page kind: public unless a view restriction (Wagtail's privacy) applies to it or
    to an ancestor, in which case those the restriction lets in may find it."""

    may_be_restricted = True

    def prepare(self, instances: list[Any]) -> None:
        attach_view_restrictions(instances, lambda page: page)

    def readers(self, instance: Any) -> list[str] | None:
        return page_readers(cached_view_restrictions(instance, instance))


class Registry:
    def __init__(self) -> None:
        self._by_kind: dict[str, SearchableModel] = {}

    def register(self, searchable: type[SearchableModel]) -> type[SearchableModel]:
        """Class decorator: make a model searchable."""
        self._by_kind[searchable.kind] = searchable()
        return searchable

    def __iter__(self) -> Iterator[SearchableModel]:
        return iter(self._by_kind.values())

    def get(self, kind: str) -> SearchableModel:
        return self._by_kind[kind]

    def kinds(self) -> list[str]:
        return list(self._by_kind)

    def for_model(self, model: type[Model]) -> SearchableModel | None:
        for searchable in self._by_kind.values():
            if issubclass(model, searchable.model):
                return searchable
        return None


registry = Registry()
