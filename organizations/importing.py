"""Import organizations from a CSV or XLSX file, all or nothing.

Secretariat staff keep catalogues of organizations in spreadsheets and load them here
(`manage.py import_organizations`, or the admin's import screen). The rules, and why:

- **Every problem at once.** Validation never stops at the first bad row: a user fixes
  a file in one pass only if every rejected row is listed, with its row number as the
  spreadsheet shows it (the header is row 1) and the column at fault.
- **All or nothing.** A file with a single rejected row saves nothing, and the rows of a
  valid file are written in one transaction: a catalogue is never half imported.
- **The database has the last word.** Rows are checked in Python first (types, codes,
  duplicates, the rules the model's constraints express) so that errors can name a row
  and a column; the database constraints still apply when the rows are written, and a
  dry run writes them too, inside a transaction it then rolls back, so a dry run that
  passes means the import will.
- **Bulk, not row by row.** Taxonomy codes, existing names and coalitions are looked up
  in a few queries for the whole file, and rows are written with `bulk_create`; the
  number of queries does not grow with the rows (beyond the database's batch sizes).
  Bulk writes send no model signals, so the new organizations are queued for the search
  index explicitly, after commit (`search.tasks.enqueue_sync_many`).

The columns are documented in docs/import.md.
"""

import csv
import datetime
import difflib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext

from search.registry import registry
from search.tasks import enqueue_sync_many

from .models import (
    CoalitionMembership,
    Constituency,
    CooperativeType,
    FieldOfActivity,
    MembershipRole,
    Organization,
    OrganizationKind,
    Region,
    Sector,
)

# The columns a file may have, in the order the documentation lists them.
COLUMNS = (
    "name",
    "legal_name",
    "slug",
    "kind",
    "cooperative_type",
    "region",
    "regions_served",
    "sectors",
    "constituencies",
    "fields_of_activity",
    "founded_year",
    "staff_fte",
    "member_count",
    "share_capital",
    "gross_revenue",
    "assets",
    "has_share_capital",
    "incorporation_act",
    "incorporation_jurisdiction",
    "incorporation_date",
    "serves_in_french",
    "serves_in_english",
    "other_languages",
    "email",
    "phone",
    "address",
    "website",
    "summary_en",
    "summary_fr",
    "coalition",
    "membership_role",
    "membership_start",
    "membership_end",
)
REQUIRED_COLUMNS = ("name", "kind")
TEXT_COLUMNS = (
    "legal_name",
    "incorporation_act",
    "other_languages",
    "email",
    "phone",
    "address",
    "website",
    "summary_en",
    "summary_fr",
)
INTEGER_COLUMNS = ("founded_year", "member_count")
DECIMAL_COLUMNS = ("staff_fte", "share_capital", "gross_revenue", "assets")
REGION_COLUMNS = ("region", "incorporation_jurisdiction")
MANY_TO_MANY_COLUMNS: dict[str, type[models.Model]] = {
    "regions_served": Region,
    "sectors": Sector,
    "constituencies": Constituency,
    "fields_of_activity": FieldOfActivity,
}
MEMBERSHIP_DETAIL_COLUMNS = ("membership_role", "membership_start", "membership_end")
# Empty cells take the model's defaults: French service unless said otherwise.
BOOLEAN_DEFAULTS: dict[str, bool | None] = {
    "has_share_capital": None,
    "serves_in_french": True,
    "serves_in_english": False,
}
TRUE_WORDS = frozenset({"yes", "true", "oui", "1"})
FALSE_WORDS = frozenset({"no", "false", "non", "0"})
FOUNDED_YEAR_RANGE = (1600, 2100)  # the organization_founded_year_plausible constraint

# Names, slugs and coalitions are looked up this many at a time (one query each).
LOOKUP_CHUNK_SIZE = 200
XLSX_SIGNATURE = b"PK\x03\x04"  # an XLSX workbook is a zip archive
FILE = "file"  # the `field` of errors about the file as a whole

_Fail = Callable[[str, str], None]  # records a column's error for the row being checked
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# "12,5" or "12,50" is a decimal comma; "15,000" is ambiguous and refused.
_DECIMAL_COMMA = re.compile(r"^[-+]?\d+,\d{1,2}$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


@dataclass(frozen=True)
class RowError:
    """Why a row (or the file) was rejected: the row as a spreadsheet numbers it (the
    header is row 1; None for the file as a whole), the column at fault, and why."""

    row: int | None
    field: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return gettext("%(field)s: %(message)s") % {
                "field": self.field,
                "message": self.message,
            }
        return gettext("row %(row)s, %(field)s: %(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class Table:
    """A file's rows as text, keyed by column, before any validation.

    `rows` holds (row number, {column: stripped text}) for every non-empty row.
    `readable` is False when the rows cannot be validated at all (an unreadable file,
    a required column missing): `errors` then says why.
    """

    filename: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    readable: bool = True


@dataclass
class ImportResult:
    """What an import did: rows read, organizations created (in a dry run, how many
    would be), and every error. An import with errors created nothing."""

    rows_read: int
    created: int
    errors: list[RowError]
    dry_run: bool

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rejected_rows(self) -> list[int]:
        """The data rows with at least one error, in order."""
        return sorted({e.row for e in self.errors if e.row is not None and e.row > 1})


class _FileProblem(Exception):
    """The file cannot be read as a table; the message says why."""


class _DryRunRollback(Exception):
    """Raised inside the import's transaction to undo a dry run's writes."""


# --------------------------------------------------------------------- reading ---


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
    if "\x00" in text:
        raise _FileProblem(gettext("The file is not CSV text."))
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as error:
        raise _FileProblem(
            gettext("The CSV file cannot be read at line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error


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


# ------------------------------------------------------------------ validating ---


@dataclass
class _PlannedRow:
    """A valid row, ready to write: the organization, its links, its membership."""

    number: int
    organization: Organization
    links: dict[str, list[int]]
    coalition: Organization | None = None
    membership: dict[str, Any] = field(default_factory=dict)


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), LOOKUP_CHUNK_SIZE):
        yield values[start : start + LOOKUP_CHUNK_SIZE]


def _matching(texts: set[str], fields: tuple[str, ...]) -> Iterable[Organization]:
    """The organizations whose `fields` equal one of `texts`, ignoring case, a few
    hundred texts per query. Exact matches are asked for as well: SQLite's LOWER()
    folds ASCII letters only, and the unique constraints compare exactly."""
    organizations = Organization.objects.annotate(
        lower_name=Lower("name"), lower_slug=Lower("slug")
    ).only("pk", "name", "slug", "kind")
    for chunk in _chunks(sorted(texts)):
        lowered = [text.lower() for text in chunk]
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__in": chunk}) | Q(**{f"lower_{name}__in": lowered})
        yield from organizations.filter(condition)


class _Lookups:
    """Everything the rows are checked against, read in a few queries for the file."""

    def __init__(self, table: Table) -> None:
        self.codes: dict[type[models.Model], dict[str, int]] = {
            model: {code.lower(): pk for pk, code in model.objects.values_list("pk", "code")}
            for model in (Region, Sector, Constituency, FieldOfActivity)
        }
        names = {values.get("name", "") for _n, values in table.rows} - {""}
        slugs = {
            values.get("slug") or slugify(values.get("name", "")) for _n, values in table.rows
        } - {""}
        coalitions = {values.get("coalition", "") for _n, values in table.rows} - {""}
        self.existing_names = {o.name.lower(): o.name for o in _matching(names, ("name",))}
        self.existing_slugs = {o.slug.lower(): o.name for o in _matching(slugs, ("slug",))}
        self.existing_coalitions: dict[str, Organization] = {}
        for organization in _matching(coalitions, ("name", "slug")):
            self.existing_coalitions[organization.name.lower()] = organization
            self.existing_coalitions[organization.slug.lower()] = organization
        # Where each name and slug appears in the file, to tell "later in the file" apart.
        self.row_of: dict[str, int] = {}
        for number, values in table.rows:
            for key in (values.get("name", ""), values.get("slug", "")):
                if key:
                    self.row_of.setdefault(key.lower(), number)


class _RowValidator:
    """Checks rows in file order, remembering the names, slugs and coalitions seen."""

    def __init__(self, lookups: _Lookups) -> None:
        self.lookups = lookups
        self.names_seen: dict[str, int] = {}
        self.slugs_seen: dict[str, int] = {}
        self.coalitions_seen: dict[str, Organization] = {}

    def validate(
        self, number: int, values: dict[str, str]
    ) -> tuple[_PlannedRow | None, list[RowError]]:
        problems: dict[str, str] = {}

        def fail(column: str, message: str) -> None:
            problems.setdefault(column, message)

        name = values.get("name", "")
        if not name:
            fail("name", gettext("a name is required"))
        kind = self._choice(values, "kind", OrganizationKind, fail)
        if "kind" not in problems and not kind:
            fail("kind", _expected_message(gettext("a kind is required"), OrganizationKind))
        cooperative_type = self._choice(values, "cooperative_type", CooperativeType, fail)
        if kind == OrganizationKind.COOPERATIVE and not cooperative_type:
            fail(
                "cooperative_type",
                _expected_message(gettext("required for a co-operative"), CooperativeType),
            )
        elif kind and kind != OrganizationKind.COOPERATIVE and cooperative_type:
            fail(
                "cooperative_type",
                gettext(
                    'only co-operatives have a co-operative type (this row\'s kind is "%(kind)s")'
                )
                % {"kind": kind},
            )

        slug = values.get("slug", "")
        slug_derived = not slug
        if slug_derived and name:
            slug = slugify(name)
            if not slug:
                fail(
                    "slug",
                    gettext("no slug can be made from this name: give one in the slug column"),
                )

        fields: dict[str, Any] = {
            "name": name,
            "slug": slug,
            "kind": kind,
            "cooperative_type": cooperative_type,
        }
        for column in TEXT_COLUMNS:
            fields[column] = values.get(column, "")
        if fields["website"] and "://" not in fields["website"]:
            fields["website"] = f"https://{fields['website']}"
        for column in (*INTEGER_COLUMNS, *DECIMAL_COLUMNS):
            fields[column] = self._number(values, column, column in INTEGER_COLUMNS, fail)
        year = fields["founded_year"]
        if year is not None and not FOUNDED_YEAR_RANGE[0] <= year <= FOUNDED_YEAR_RANGE[1]:
            fail(
                "founded_year",
                gettext("must be between %(low)s and %(high)s (got %(value)s)")
                % {"low": FOUNDED_YEAR_RANGE[0], "high": FOUNDED_YEAR_RANGE[1], "value": year},
            )
        for column, default in BOOLEAN_DEFAULTS.items():
            fields[column] = self._boolean(values, column, default, fail)
        fields["incorporation_date"] = self._date(values, "incorporation_date", fail)
        for column in REGION_COLUMNS:
            codes = self._codes(values, column, Region, fail)
            fields[f"{column}_id"] = codes[0] if codes else None
            if len(codes) > 1:
                fail(column, gettext("one region code only"))
        links = {
            column: self._codes(values, column, model, fail)
            for column, model in MANY_TO_MANY_COLUMNS.items()
        }

        organization = Organization(**fields)
        try:
            # The model's own field rules (lengths, e-mail, URL, slug, decimal digits).
            # Foreign keys are left out: checking them costs a query each, and their codes
            # were resolved above.
            excluded = {*problems, *REGION_COLUMNS, *([] if slug else ["slug"])}
            organization.clean_fields(exclude=excluded)
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                fail(column, " ".join(messages))
        if slug_derived and "name" in problems:
            problems.pop("slug", None)  # the name's error says it all

        self._check_unique(number, name, slug, slug_derived, problems, fail)
        coalition, membership = self._membership(number, values, name, slug, fail)

        errors = [
            RowError(number, column, problems[column])
            for column in sorted(problems, key=_column_order)
        ]
        if kind == OrganizationKind.COALITION and name:
            # Later rows may join this coalition (even if this row is rejected, so that
            # its members are not reported as well: nothing is saved either way).
            for key in (name, slug):
                if key:
                    self.coalitions_seen.setdefault(key.lower(), organization)
        if errors:
            return None, errors
        return _PlannedRow(number, organization, links, coalition, membership), []

    # Each reader below returns the column's value, or calls `fail` and returns a neutral
    # value so that the other columns of the row are still checked.

    def _choice(
        self, values: dict[str, str], column: str, choices: type[models.TextChoices], fail: _Fail
    ) -> str:
        text = values.get(column, "").lower()
        if text and text not in choices.values:
            fail(
                column,
                _expected_message(
                    gettext('unknown value "%(value)s"') % {"value": values[column]}, choices
                ),
            )
            return ""
        return text

    def _number(
        self, values: dict[str, str], column: str, whole: bool, fail: _Fail
    ) -> int | Decimal | None:
        text = values.get(column, "")
        if not text:
            return None
        compact = _SPACES.sub("", text)
        if _DECIMAL_COMMA.match(compact):
            compact = compact.replace(",", ".")
        try:
            number = Decimal(compact)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            fail(column, gettext('"%(value)s" is not a number') % {"value": text})
            return None
        if number < 0:
            fail(column, gettext("cannot be negative (got %(value)s)") % {"value": text})
            return None
        if whole:
            if number != number.to_integral_value():
                fail(column, gettext('"%(value)s" is not a whole number') % {"value": text})
                return None
            return int(number)
        return number

    def _boolean(
        self, values: dict[str, str], column: str, default: bool | None, fail: _Fail
    ) -> bool | None:
        text = values.get(column, "").lower()
        if not text:
            return default
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        fail(
            column,
            gettext('"%(value)s" is not yes or no (write yes/no, true/false, oui/non or 1/0)')
            % {"value": values[column]},
        )
        return default

    def _date(self, values: dict[str, str], column: str, fail: _Fail) -> datetime.date | None:
        text = values.get(column, "")
        if not text:
            return None
        if _DATE.match(text):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                pass
        fail(column, gettext('"%(value)s" is not a date written YYYY-MM-DD') % {"value": text})
        return None

    def _codes(
        self, values: dict[str, str], column: str, model: type[models.Model], fail: _Fail
    ) -> list[int]:
        text = values.get(column, "")
        codes = list(dict.fromkeys(c.strip().lower() for c in re.split(r"[;,]", text)))
        codes = [code for code in codes if code]
        known = self.lookups.codes[model]
        unknown = [code for code in codes if code not in known]
        if unknown:
            fail(column, _unknown_codes_message(model, unknown))
            return []
        return [known[code] for code in codes]

    def _check_unique(
        self,
        number: int,
        name: str,
        slug: str,
        slug_derived: bool,
        problems: dict[str, str],
        fail: _Fail,
    ) -> None:
        if name and "name" not in problems:
            key = name.lower()
            if key in self.names_seen:
                fail(
                    "name",
                    gettext('"%(value)s" is already on row %(row)s')
                    % {"value": name, "row": self.names_seen[key]},
                )
            elif key in self.lookups.existing_names:
                fail(
                    "name",
                    gettext('an organization named "%(existing)s" already exists')
                    % {"existing": self.lookups.existing_names[key]},
                )
            self.names_seen.setdefault(key, number)
        if slug and "slug" not in problems and "name" not in problems:
            key = slug.lower()
            hint = (
                gettext(" (made from the name: give another in the slug column)")
                if slug_derived
                else ""
            )
            if key in self.slugs_seen:
                fail(
                    "slug",
                    gettext('the slug "%(value)s" is already used on row %(row)s')
                    % {"value": slug, "row": self.slugs_seen[key]}
                    + hint,
                )
            elif key in self.lookups.existing_slugs:
                fail(
                    "slug",
                    gettext('the slug "%(value)s" is already used by "%(existing)s"')
                    % {"value": slug, "existing": self.lookups.existing_slugs[key]}
                    + hint,
                )
            self.slugs_seen.setdefault(key, number)

    def _membership(
        self, number: int, values: dict[str, str], name: str, slug: str, fail: _Fail
    ) -> tuple[Organization | None, dict[str, Any]]:
        reference = values.get("coalition", "")
        role = self._choice(values, "membership_role", MembershipRole, fail)
        start = self._date(values, "membership_start", fail)
        end = self._date(values, "membership_end", fail)
        if not reference:
            for column in MEMBERSHIP_DETAIL_COLUMNS:
                if values.get(column):
                    fail(
                        column,
                        gettext("a membership needs a coalition: the coalition column is empty"),
                    )
            return None, {}
        if start and end and end < start:
            fail(
                "membership_end",
                gettext("the membership ends (%(end)s) before it starts (%(start)s)")
                % {"end": end.isoformat(), "start": start.isoformat()},
            )
        key = reference.lower()
        if key in {name.lower(), slug.lower()}:
            fail("coalition", gettext("an organization cannot be a member of itself"))
            return None, {}
        coalition = self.lookups.existing_coalitions.get(key) or self.coalitions_seen.get(key)
        if coalition is None:
            row = self.lookups.row_of.get(key)
            if row is not None and row > number:
                fail(
                    "coalition",
                    gettext(
                        '"%(value)s" is on row %(row)s, after this one: put coalitions '
                        "before their members"
                    )
                    % {"value": reference, "row": row},
                )
            elif row is not None:
                fail(
                    "coalition",
                    gettext('"%(value)s" (row %(row)s) is not a coalition')
                    % {"value": reference, "row": row},
                )
            else:
                fail(
                    "coalition",
                    gettext('no coalition "%(value)s" exists, in the catalogue or above this row')
                    % {"value": reference},
                )
            return None, {}
        if coalition.kind != OrganizationKind.COALITION:
            fail(
                "coalition",
                gettext('"%(value)s" is not a coalition (its kind is "%(kind)s")')
                % {"value": coalition.name, "kind": coalition.kind},
            )
            return None, {}
        membership = {
            "role": role or MembershipRole.MEMBER,
            "start_date": start,
            "end_date": end,
        }
        return coalition, membership


def _column_order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else len(COLUMNS)


def _expected_message(message: str, choices: type[models.TextChoices]) -> str:
    return gettext("%(message)s; expected one of: %(choices)s") % {
        "message": message,
        "choices": ", ".join(choices.values),
    }


def _unknown_codes_message(model: type[models.Model], codes: list[str]) -> str:
    quoted = ", ".join(f'"{code}"' for code in codes)
    count = len(codes)
    if model is Region:
        message = ngettext("unknown region %(codes)s", "unknown regions %(codes)s", count)
    elif model is Sector:
        message = ngettext("unknown sector %(codes)s", "unknown sectors %(codes)s", count)
    elif model is Constituency:
        message = ngettext(
            "unknown constituency %(codes)s", "unknown constituencies %(codes)s", count
        )
    else:
        message = ngettext(
            "unknown field of activity %(codes)s", "unknown fields of activity %(codes)s", count
        )
    return message % {"codes": quoted}


# --------------------------------------------------------------------- saving ---


def _write(planned: list[_PlannedRow]) -> list[Organization]:
    """Write the rows with bulk inserts: organizations, their links, their memberships."""
    organizations = [row.organization for row in planned]
    Organization.objects.bulk_create(organizations)
    if any(organization.pk is None for organization in organizations):
        # Databases that cannot return the new keys from a bulk insert: read them back.
        keys: dict[str, int] = {}
        for chunk in _chunks([organization.slug for organization in organizations]):
            keys.update(Organization.objects.filter(slug__in=chunk).values_list("slug", "pk"))
        for organization in organizations:
            organization.pk = keys[organization.slug]
    for column in MANY_TO_MANY_COLUMNS:
        relation = Organization._meta.get_field(column)
        through = relation.remote_field.through
        source = f"{relation.m2m_field_name()}_id"
        target = f"{relation.m2m_reverse_field_name()}_id"
        through.objects.bulk_create(
            [
                through(**{source: row.organization.pk, target: term})
                for row in planned
                for term in row.links[column]
            ]
        )
    CoalitionMembership.objects.bulk_create(
        [
            CoalitionMembership(
                organization_id=row.organization.pk, coalition_id=row.coalition.pk, **row.membership
            )
            for row in planned
            if row.coalition is not None
        ]
    )
    return organizations


def import_table(
    table: Table, *, dry_run: bool = False, progress: Callable[[int], object] | None = None
) -> ImportResult:
    """Validate every row of `table` and, when none is rejected, write them all in one
    transaction. A dry run validates and writes the same way, then rolls back.

    `progress` is called with 1 after each row is checked (a progress bar's `update`).
    """
    errors = list(table.errors)
    rows_read = len(table.rows)
    if not table.readable:
        return ImportResult(rows_read, 0, errors, dry_run)
    validator = _RowValidator(_Lookups(table))
    planned: list[_PlannedRow] = []
    for number, values in table.rows:
        row, row_errors = validator.validate(number, values)
        if row is not None:
            planned.append(row)
        errors.extend(row_errors)
        if progress is not None:
            progress(1)
    if errors:
        return ImportResult(rows_read, 0, errors, dry_run)
    try:
        with transaction.atomic():
            organizations = _write(planned)
            if dry_run:
                raise _DryRunRollback
            searchable = registry.for_model(Organization)
            if searchable is not None:
                enqueue_sync_many(searchable.kind, [o.pk for o in organizations])
    except _DryRunRollback:
        pass
    except (IntegrityError, DataError) as error:
        # Something the checks above did not see, most likely an organization with the
        # same name or slug saved meanwhile. The transaction is rolled back: say why,
        # naming the rows when the cause is a name or slug now taken.
        retry = _RowValidator(_Lookups(table))
        errors = [e for number, values in table.rows for e in retry.validate(number, values)[1]]
        if not errors:
            errors = [
                RowError(
                    None,
                    FILE,
                    gettext("The database refused the import (%(error)s); nothing was saved.")
                    % {"error": error},
                )
            ]
        return ImportResult(rows_read, 0, errors, dry_run)
    return ImportResult(rows_read, len(planned), errors, dry_run)


def import_file(
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    progress: Callable[[int], object] | None = None,
) -> ImportResult:
    """Read a CSV or XLSX file and import its organizations (see `import_table`)."""
    return import_table(read_table(data, filename), dry_run=dry_run, progress=progress)
