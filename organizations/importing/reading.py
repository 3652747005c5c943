"""Reading a CSV or XLSX file into a `Table` of text cells, reporting the problems of
the file as a whole (its format, encoding, header) but not judging the cells."""

import csv
import datetime
import difflib
import io
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext

from .columns import COLUMNS, REQUIRED_COLUMNS
from .results import FILE, RowError, Table

XLSX_SIGNATURE = b"PK\x03\x04"  # an XLSX workbook is a zip archive


class _FileProblem(Exception):
    """The file cannot be read as a table; the message says why."""


def read_table(data: bytes, filename: str) -> Table:
    """Read a CSV or XLSX file into rows of text, without judging their content.

    The format follows the file name's extension (sniffed from the content when there is
    none). CSV must be UTF-8 (with or without the byte-order mark Excel writes); its
    delimiter, comma or semicolon (what Excel writes in French), is sniffed from the
    header line. XLSX: the first sheet. Header names are matched ignoring case and
    surrounding spaces. Blank rows are skipped but still counted, so row numbers are
    those the spreadsheet shows.
    """
    table = Table(filename=filename)
    try:
        records = _read_records(data, filename)
    except _FileProblem as problem:
        table.errors.append(RowError(None, FILE, str(problem)))
        table.readable = False
        return table
    if not records or not any(cell.strip() for cell in records[0]):
        table.errors.append(
            RowError(None, FILE, gettext("The file is empty: its first row must name the columns."))
        )
        table.readable = False
        return table

    header = [cell.strip().lower() for cell in records[0]]
    positions: dict[str, int] = {}
    unnamed: list[int] = []
    for index, name in enumerate(header):
        if not name:
            unnamed.append(index)
        elif name in positions:
            table.errors.append(
                RowError(
                    1,
                    name,
                    gettext("this column appears twice (columns %(first)s and %(second)s)")
                    % {"first": positions[name] + 1, "second": index + 1},
                )
            )
            table.readable = False
        else:
            positions[name] = index
    for name in positions:
        if name not in COLUMNS:
            table.errors.append(RowError(1, name, _unknown_column_message(name)))
    for name in REQUIRED_COLUMNS:
        if name not in positions:
            table.errors.append(
                RowError(
                    1,
                    name,
                    gettext('the required column "%(column)s" is missing') % {"column": name},
                )
            )
            table.readable = False
    table.columns = [name for name in positions if name in COLUMNS]

    stray_columns: set[int] = set()
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        stray_columns.update(
            index
            for index, cell in enumerate(record)
            if cell.strip() and (index >= len(header) or index in unnamed)
        )
        table.rows.append(
            (
                number,
                {
                    name: record[positions[name]].strip() if positions[name] < len(record) else ""
                    for name in table.columns
                },
            )
        )
    for index in sorted(stray_columns):
        table.errors.append(
            RowError(
                1,
                gettext("column %(number)s") % {"number": index + 1},
                gettext("this column has values but no name in the header row"),
            )
        )
    if table.readable and not table.rows:
        table.errors.append(
            RowError(None, FILE, gettext("The file has no rows to import below its header."))
        )
    return table


def _unknown_column_message(name: str) -> str:
    close = difflib.get_close_matches(name, COLUMNS, n=1)
    if close:
        return gettext('unknown column "%(column)s" (did you mean "%(suggestion)s"?)') % {
            "column": name,
            "suggestion": close[0],
        }
    return gettext('unknown column "%(column)s"') % {"column": name}


def _read_records(data: bytes, filename: str) -> list[list[str]]:
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".xlsx" or (not suffix and data.startswith(XLSX_SIGNATURE)):
        return _read_xlsx(data)
    if suffix == ".csv" or not suffix:
        if data.startswith(XLSX_SIGNATURE):
            raise _FileProblem(
                gettext("This file is a spreadsheet workbook, not CSV text: name it .xlsx.")
            )
        return _read_csv(data)
    if suffix in {".xls", ".ods", ".numbers"}:
        raise _FileProblem(
            gettext(
                'Files of type "%(suffix)s" cannot be imported: save the sheet as XLSX '
                "(Excel workbook) or as CSV UTF-8."
            )
            % {"suffix": suffix}
        )
    raise _FileProblem(
        gettext('"%(name)s" is neither a CSV nor an XLSX file.') % {"name": PurePath(filename).name}
    )


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _FileProblem(
            gettext(
                "The file is not UTF-8 text (unreadable byte at position %(position)s): "
                "save it as CSV UTF-8."
            )
            % {"position": error.start}
        ) from error
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as error:
        raise _FileProblem(
            gettext("The CSV file cannot be read at line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    # NUL in the header means UTF-16 text or a binary file, not a table; NUL in a data
    # cell is that cell's problem, reported with its row and column by the validation.
    if records and any("\x00" in cell for cell in records[0]):
        raise _FileProblem(gettext("The file is not CSV text."))
    return records


def _read_xlsx(data: bytes) -> list[list[str]]:
    import openpyxl  # only XLSX imports pay for loading it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged or foreign file
        raise _FileProblem(
            gettext("The file cannot be read as an XLSX workbook (%(error)s).")
            % {"error": type(error).__name__}
        ) from error
    try:
        if not workbook.worksheets:
            raise _FileProblem(gettext("The workbook has no worksheet."))
        sheet = workbook.worksheets[0]
        return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    except _FileProblem:
        raise
    except Exception as error:
        raise _FileProblem(
            gettext("The file cannot be read as an XLSX workbook (%(error)s).")
            % {"error": type(error).__name__}
        ) from error
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a CSV would hold, so both formats validate alike."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)
