"""Who may follow what: a record only when it exists and the reader may open it, by the
archive search's own rule (a live page, its view restrictions, the searchables'
`readers`), so that following never tells anyone a record exists that they could not
open; a listing or a saved search, always (what they find is checked when each e-mail is
made, by `follows.subjects`).
"""

from typing import Any

from django.db.models import Model

from search.readers import may_read, page_readers, principals, view_restrictions_of
from search.registry import registry

from .models import Listing
from .targets import RECORD_KINDS

# Record kind of a target → the archive search's kind of the same records. A policy is
# no search document of its own (its versions are): its page is checked directly.
SEARCH_KINDS = {
    "round": "consultation_round",
    "organization": "organization",
    "forum": "forum",
    "programme": "programme",
}


def _policy(pk: int) -> tuple[Model | None, list[str] | None]:
    from consultations.models import PolicyPage

    page = PolicyPage.objects.live().filter(pk=pk).first()
    if page is None:
        return None, None
    return page, page_readers(view_restrictions_of([page]).get(page.path, []))


def _searchable(kind: str, pk: int) -> tuple[Model | None, list[str] | None]:
    searchable = registry.get(SEARCH_KINDS[kind])
    instance = searchable.get_queryset().filter(pk=pk).first()
    if instance is None:
        return None, None
    searchable.prepare([instance])
    return instance, searchable.readers(instance)


def followable_record(user: Any, target: str) -> Model | None:
    """The record a record target (`policy:12`) names, when it exists, is published and
    `user` (None: an anonymous reader) may open it; None in every other case, with no
    difference between "does not exist" and "may not be opened"."""
    kind, _separator, key = target.partition(":")
    if kind not in RECORD_KINDS or not key.isdigit() or len(key) > 18:
        return None
    instance, readers = _policy(int(key)) if kind == "policy" else _searchable(kind, int(key))
    if instance is None or not may_read(readers, principals(user)):
        return None
    return instance


def may_follow(user: Any, target: str) -> bool:
    """Whether `user` (None or anonymous: public records only) may follow `target`: a
    record they may open, a known listing, or a saved search."""
    kind, _separator, key = target.partition(":")
    if kind == "listing":
        return key in Listing.values
    if kind == "search":
        return len(key) == 64
    return followable_record(user, target) is not None
