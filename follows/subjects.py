"""What a notice is about, as the e-mail shows it and as the sender checks it: the record's
title, its address, who may read it and whether it is published — for any number of
records in a fixed number of queries (a few per kind of record, none per record).

Subjects are the archive search's document ids (`submission:12`, `policy_version:41`):
their title, address and readers come from the kind's searchable (`search.registry`), so
"may this reader open it" is the rule the archive search applies. Three kinds the search
does not index are described from their models: `allocation:<pk>` (public once
published, `organizations.funding.visibility`), `meeting:<pk>` and `seat_term:<pk>` (a
forum's meetings and seats are public, like the list of fora).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from search.registry import registry
from search.service import localize_url


@dataclass(frozen=True)
class Subject:
    """One record as a notice names it. `readers`: None when public, else the reader
    tokens of `search.readers` (matched against `principals(user)`); `published`: False
    when the record is gone, a draft, or otherwise not on the public record."""

    key: str
    title: str
    url: str
    readers: list[str] | None
    published: bool
    # What kind of record it is, for the reader ("Submission", "Meeting").
    kind_label: str = ""
    # The language of the record's content; empty for a catalogue record.
    language: str = ""


def split(key: str) -> tuple[str, str]:
    kind, _separator, pk = key.partition(":")
    return kind, pk


def describe(subjects: Iterable[str]) -> dict[str, Subject]:
    """The `Subject` of each key, titles and addresses in the active language; a key
    naming no record (deleted, a draft, an unknown kind) is described as not published.
    A few queries per kind of record present, whatever their number."""
    by_kind: dict[str, set[str]] = defaultdict(set)
    for key in subjects:
        kind, pk = split(key)
        if pk.isdigit():
            by_kind[kind].add(pk)
    language = translation.get_language() or settings.LANGUAGE_CODE
    described: dict[str, Subject] = {}
    for kind, pks in by_kind.items():
        if kind in MODEL_KINDS:
            found = MODEL_KINDS[kind](sorted(pks, key=int), language)
        elif kind in registry.kinds():
            found = _indexed(kind, sorted(pks, key=int), language)
        else:
            found = {}
        described.update(found)
    for key in subjects:
        if key not in described:
            described[key] = Subject(key=key, title="", url="", readers=None, published=False)
    return described


def absolute(url: str, language: str = "") -> str:
    """`url` on the site's public address; an address without a language of its own
    (a catalogue record's) in `language`."""
    if url.startswith(("http://", "https://")):
        return url
    if language:
        url = localize_url(url, language)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def _indexed(kind: str, pks: list[str], language: str) -> dict[str, Subject]:
    """Records of an indexed kind, through its searchable: present in `get_queryset()`
    (what may be in the index: never a draft) means published. A page is shown as its
    published translation in `language` when it has one the same readers may open
    (detection names a record by one page of its translations)."""
    searchable = registry.get(kind)
    instances = list(searchable.get_queryset().prefetch_related(None).filter(pk__in=pks))
    searchable.prepare(instances)
    translations = _translations(searchable, instances, language)
    described = {}
    label = str(searchable.label)
    for instance in instances:
        readers = searchable.readers(instance)
        shown = translations.get(instance.pk)
        if shown is None or searchable.readers(shown) != readers:
            shown = instance
        with translation.override(settings.LANGUAGE_CODE):
            url = searchable.url(shown)
        own_language = searchable.language(shown)
        key = searchable.document_id(instance.pk)
        described[key] = Subject(
            key=key,
            title=searchable.title(shown),
            url=absolute(url, "" if own_language else language),
            readers=readers,
            published=True,
            kind_label=label,
            language=own_language,
        )
    return described


def _translations(searchable: Any, instances: list[Any], language: str) -> dict[int, Any]:
    """The published translation in `language` of each page among `instances` in another
    locale, by the page's pk; nothing for records that are not pages. Two queries."""
    pages = [instance for instance in instances if isinstance(instance, Page)]
    if not pages:
        return {}
    locale = Locale.objects.filter(language_code=language).values_list("pk", flat=True).first()
    wanted = {page.translation_key: page.pk for page in pages if page.locale_id != locale}
    if locale is None or not wanted:
        return {}
    translated = list(
        searchable.get_queryset()
        .prefetch_related(None)
        .filter(translation_key__in=wanted, locale_id=locale)
    )
    searchable.prepare(translated)
    return {wanted[page.translation_key]: page for page in translated}


def _allocations(pks: list[str], language: str) -> dict[str, Subject]:
    from organizations.funding.models import Allocation, AllocationStatus

    described = {}
    rows = Allocation.objects.filter(pk__in=pks).select_related("organization", "programme")
    for allocation in rows:
        with translation.override(settings.LANGUAGE_CODE):
            url = allocation.programme.get_absolute_url()
        key = f"allocation:{allocation.pk}"
        described[key] = Subject(
            key=key,
            title=_("%(organization)s — %(programme)s, fiscal year %(year)s")
            % {
                "organization": allocation.organization.name,
                "programme": allocation.programme.name,
                "year": f"{allocation.fiscal_year}–{allocation.fiscal_year + 1}",
            },
            url=absolute(url, language),
            readers=None,
            # Only a published allocation is on the public record: an approved one is
            # seen by its organization's editors and the programme's staff alone.
            published=allocation.status == AllocationStatus.PUBLISHED,
            kind_label=str(Allocation._meta.verbose_name).capitalize(),
        )
    return described


def _meetings(pks: list[str], language: str) -> dict[str, Subject]:
    from consultations.fora.models import Meeting

    described = {}
    for meeting in Meeting.objects.filter(pk__in=pks).select_related("forum"):
        with translation.override(settings.LANGUAGE_CODE):
            url = meeting.forum.get_absolute_url()
        key = f"meeting:{meeting.pk}"
        described[key] = Subject(
            key=key,
            title=_("%(forum)s — meeting of %(date)s")
            % {"forum": meeting.forum.name, "date": formats.date_format(meeting.held_on)},
            url=absolute(url, language),
            readers=None,
            published=True,
            kind_label=str(Meeting._meta.verbose_name).capitalize(),
        )
    return described


def _seat_terms(pks: list[str], language: str) -> dict[str, Subject]:
    from consultations.fora.models import SeatTerm

    described = {}
    terms = SeatTerm.objects.filter(pk__in=pks).select_related("seat__forum", "organization")
    for term in terms:
        with translation.override(settings.LANGUAGE_CODE):
            url = term.seat.forum.get_absolute_url()
        key = f"seat_term:{term.pk}"
        described[key] = Subject(
            key=key,
            title=_("%(forum)s — %(seat)s: %(organization)s")
            % {
                "forum": term.seat.forum.name,
                "seat": term.seat.label,
                "organization": term.organization.name,
            },
            url=absolute(url, language),
            readers=None,
            published=True,
            kind_label=str(SeatTerm._meta.verbose_name).capitalize(),
        )
    return described


MODEL_KINDS: dict[str, Callable[[list[str], str], dict[str, Any]]] = {
    "allocation": _allocations,
    "meeting": _meetings,
    "seat_term": _seat_terms,
}
