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
  Bulk writes send no model signals, so the new organizations are recorded for the search
  index explicitly, in the import's transaction (`search.tasks.enqueue_sync_many`).

The columns are documented in docs/import.md.
"""

from .reading import read_table
from .results import ImportResult, RowError, Table
from .writing import import_file, import_table

__all__ = ["ImportResult", "RowError", "Table", "import_file", "import_table", "read_table"]
