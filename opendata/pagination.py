"""Cursor pagination over a unique, stable key (the primary key).

A cursor says "the records after id N" or "the records before id N"; it is opaque to
clients (base64 of a short text), who follow the `next` and `previous` links. Unlike
page numbers, a cursor page costs one index range scan however deep the walk goes, and a
record added or removed while a client walks the list neither repeats nor skips another
(decision 028).
"""

import base64
import binascii
import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest

_POSITION = re.compile(r"(?P<direction>[np]):(?P<key>0|[1-9][0-9]{0,18})")


@dataclass(frozen=True)
class Cursor:
    """After (`forward`) or before the record whose key is `key`."""

    forward: bool
    key: int

    MAX_LENGTH = 40

    def encode(self) -> str:
        text = f"{'n' if self.forward else 'p'}:{self.key}"
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, raw: str) -> "Cursor | None":
        """The cursor `raw` encodes, or None when it is none of ours."""
        if len(raw) > cls.MAX_LENGTH:
            return None
        try:
            text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("ascii")
        except (binascii.Error, ValueError):
            return None
        match = _POSITION.fullmatch(text)
        if match is None:
            return None
        return cls(forward=match["direction"] == "n", key=int(match["key"]))


@dataclass(frozen=True)
class CursorPage:
    records: list
    next: Cursor | None
    previous: Cursor | None


def cursor_page(
    queryset: QuerySet, cursor: Cursor | None, size: int, key: str = "pk"
) -> CursorPage:
    """One page of `queryset` in `key` order from `cursor`: `size` records and one more
    read to know whether a page follows, in one query (plus the queryset's prefetches)."""
    if cursor is None or cursor.forward:
        if cursor is not None:
            queryset = queryset.filter(**{f"{key}__gt": cursor.key})
        rows = list(queryset.order_by(key)[: size + 1])
        records = rows[:size]
        more = len(rows) > size
        following = Cursor(True, _key(records[-1], key)) if more else None
        preceding = Cursor(False, _key(records[0], key)) if cursor and records else None
        return CursorPage(records, following, preceding)
    rows = list(queryset.filter(**{f"{key}__lt": cursor.key}).order_by(f"-{key}")[: size + 1])
    records = rows[:size][::-1]
    more = len(rows) > size
    preceding = Cursor(False, _key(records[0], key)) if more else None
    following = Cursor(True, _key(records[-1], key)) if records else Cursor(True, cursor.key - 1)
    return CursorPage(records, following, preceding)


def _key(record: object, key: str) -> int:
    return getattr(record, key)


def page_link(request: HttpRequest, cursor: Cursor | None) -> str | None:
    """The request's own URL with `cursor` in place of its cursor (None: no link)."""
    if cursor is None:
        return None
    params = request.GET.copy()
    params["cursor"] = cursor.encode()
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
