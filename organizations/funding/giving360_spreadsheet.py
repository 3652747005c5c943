"""The 360Giving export as a spreadsheet: one row per grant on a sheet named "grants",
under the standard's column titles, as 360Giving's spreadsheet template and its tools
(the data quality tool, GrantNav) read them.

Rows are flattened from the JSON grants of `organizations.funding.giving360`, so both exports
always say the same thing. The column titles stay in English whatever the visitor's
language: they are the standard's field names, which its tools match word for word.
The classifications the JSON carries under the archive's own vocabularies become
additional columns, after the standard ones.

Text is written as text: openpyxl would store a string starting with "=" as a formula,
so an organization named like one would run in the funder's spreadsheet (CSV
injection's twin); such cells are typed as strings instead, shown exactly as written.
"""

import datetime
from collections.abc import Callable
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from .giving360 import Grant, for_export, grant, identifier_prefix
from .models import AllocationQuerySet

SHEET = "grants"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _first(grant: Grant, key: str, field: str) -> Any:
    items = grant.get(key) or [{}]
    return items[0].get(field)


def _classified(vocabulary: str, field: str) -> Callable[[Grant], Any]:
    """The `field` of the grant's classification under `vocabulary` (the prefix
    added), or None."""

    def cell(grant: Grant) -> Any:
        wanted = f"{identifier_prefix()}-{vocabulary}"
        for classification in grant.get("classifications", []):
            if classification["vocabulary"] == wanted:
                return classification[field]
        return None

    return cell


COLUMNS: list[tuple[str, Callable[[Grant], Any]]] = [
    ("Identifier", lambda g: g["id"]),
    ("Title", lambda g: g["title"]),
    ("Description", lambda g: g["description"]),
    ("Currency", lambda g: g["currency"]),
    ("Amount Awarded", lambda g: g["amountAwarded"]),
    ("Award Date", lambda g: _date(g["awardDate"])),
    ("Planned Dates:Start Date", lambda g: _date(_first(g, "plannedDates", "startDate"))),
    ("Planned Dates:End Date", lambda g: _date(_first(g, "plannedDates", "endDate"))),
    ("Recipient Org:Identifier", lambda g: _first(g, "recipientOrganization", "id")),
    ("Recipient Org:Name", lambda g: _first(g, "recipientOrganization", "name")),
    ("Funding Org:Identifier", lambda g: _first(g, "fundingOrganization", "id")),
    ("Funding Org:Name", lambda g: _first(g, "fundingOrganization", "name")),
    ("Grant Programme:Code", lambda g: _first(g, "grantProgramme", "code")),
    ("Grant Programme:Title", lambda g: _first(g, "grantProgramme", "title")),
    # Additional columns: the archive's own classifications.
    ("Fiscal Year", _classified("fiscal-year", "title")),
    ("Funding Mode", _classified("funding-mode", "title")),
    ("Money Origin:Code", _classified("money-origin", "code")),
    ("Money Origin:Title", _classified("money-origin", "title")),
    ("Reallocated From Programme:Code", _classified("reallocated-from-programme", "code")),
    ("Reallocated From Programme:Title", _classified("reallocated-from-programme", "title")),
    ("Reallocated From Sub-sector:Code", _classified("reallocated-from-sector", "code")),
    ("Reallocated From Sub-sector:Title", _classified("reallocated-from-sector", "title")),
]

HEADERS = [title for title, _cell in COLUMNS]


def row(grant: Grant) -> list[Any]:
    return [cell(grant) for _title, cell in COLUMNS]


def _as_text(sheet: Any, value: Any) -> Any:
    """`value`, as a cell typed as a string when openpyxl would take it for a formula."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def grants_workbook(allocations: AllocationQuerySet, chunk_size: int = 500) -> bytes:
    """An XLSX file of the published allocations among `allocations`: the header row,
    then one row per grant. Written in openpyxl's write-only mode, a row at a time."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    sheet.append(HEADERS)
    prefix = identifier_prefix()
    for allocation in for_export(allocations).iterator(chunk_size=chunk_size):
        sheet.append([_as_text(sheet, value) for value in row(grant(allocation, prefix))])
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
