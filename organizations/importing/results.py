"""What reading and importing a file hand back: a `Table` of text cells, an
`ImportResult`, and the `RowError`s both carry."""

from dataclasses import dataclass, field

from django.utils.translation import gettext

FILE = "file"  # the `field` of errors about the file as a whole


@dataclass(frozen=True)
class RowError:
    """Why a row (or the file) was rejected: the row as a spreadsheet numbers it (the
    header is row 1; None for the file as a whole), the column at fault (empty when it
    cannot be told: a row the database refused for a reason it does not tie to a
    column), and why."""

    row: int | None
    field: str
    message: str

    def __str__(self) -> str:
        if self.row is not None and not self.field:
            return gettext("row %(row)s: %(message)s") % {
                "row": self.row,
                "message": self.message,
            }
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
