"""Streamed downloads as CSV or JSON: the one writer every export goes through.

Exports are streamed so that no list is ever held in memory, whatever its size. The
lines are produced while the response is sent, after the view has returned, so the
visitor's language is set again around them rather than assumed still active.

Every text cell of a CSV is made safe for spreadsheets here, once: a cell starting like a
formula (`=`, `+`, `-`, `@`, a tab or a carriage return) is quoted with an apostrophe so
that a spreadsheet shows it instead of running it (CSV injection). A cell that is a plain
number, such as `-12.50`, is data and stays as it is.
"""

import csv
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import translation

# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"


def spreadsheet_safe(value: Any) -> str:
    """`value` as CSV cell text a spreadsheet will show, never run."""
    if value is None:
        return ""
    if isinstance(value, float | Decimal | int) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not PLAIN_NUMBER.fullmatch(text):
        return f"'{text}"
    return text


class _Echo:
    """A file that hands back what is written to it, so `csv.writer` produces lines to
    stream instead of filling a buffer."""

    def write(self, value: str) -> str:
        return value


def in_language(lines: Iterable[str], language: str | None) -> Iterator[str]:
    """`lines`, produced with `language` active (the server may consume a streamed body
    after the request's language was reset, or in another thread)."""
    if not language:
        yield from lines
        return
    with translation.override(language):
        yield from lines


def csv_lines(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, language: str | None = None
) -> Iterator[str]:
    """The header, then a line per row, every cell made spreadsheet-safe."""

    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield writer.writerow([spreadsheet_safe(cell) for cell in header])
        for row in rows:
            yield writer.writerow([spreadsheet_safe(cell) for cell in row])

    return in_language(lines(), language)


def json_lines(
    records: Iterable[Mapping[str, Any]], *, language: str | None = None
) -> Iterator[str]:
    """A JSON array, a record per line, written as the records come."""

    def lines() -> Iterator[str]:
        yield "["
        separator = "\n"
        for record in records:
            yield separator + json.dumps(record, ensure_ascii=False, default=str)
            separator = ",\n"
        yield "\n]\n"

    return in_language(lines(), language)


def download(
    lines: Iterable[str], *, filename: str, content_type: str, disposition: str = "attachment"
) -> StreamingHttpResponse:
    """A streamed response the browser saves as `filename` (or shows, when `inline`)."""
    response = StreamingHttpResponse(lines, content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def csv_download(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    language: str | None = None,
) -> StreamingHttpResponse:
    """`rows` under `header` as a streamed CSV file named `filename`."""
    return download(
        csv_lines(header, rows, language=language),
        filename=filename,
        content_type=CSV_CONTENT_TYPE,
    )


def json_download(
    filename: str, records: Iterable[Mapping[str, Any]], *, language: str | None = None
) -> StreamingHttpResponse:
    """`records` as a streamed JSON array in a file named `filename`."""
    return download(
        json_lines(records, language=language), filename=filename, content_type=JSON_CONTENT_TYPE
    )
