"""Writing the checked rows with bulk inserts in one transaction, rolled back in a dry
run, and queuing the new organizations for the search index.

When the database refuses rows the checks accepted, the user is told which row and which
column in words of their own, never the driver's text (which names tables and constraints
and may quote other rows): the checks are run again (a name taken meanwhile), then the
rows are written one by one in savepoints, rolled back, to find those refused, and the
constraint each broke is mapped to the columns it covers. The raw error is logged.
"""

import functools
import logging
import re
from collections.abc import Callable, Iterable

from django.db import DatabaseError, DataError, IntegrityError, connection, models, transaction
from django.utils.translation import gettext

from search.registry import registry
from search.tasks import enqueue_sync_many

from ..models import CoalitionMembership, Organization
from .columns import COLUMNS, MANY_TO_MANY_COLUMNS
from .lookups import _chunks, _Lookups
from .reading import read_table
from .results import FILE, ImportResult, RowError, Table
from .validation import _column_order, _PlannedRow, _RowValidator

logger = logging.getLogger(__name__)

# SQLite names what it refuses in the message only: a CHECK constraint by its name,
# UNIQUE and NOT NULL by "table.column" (several, comma-separated, for a composite key).
_SQLITE_REFUSAL = re.compile(r"^(CHECK|UNIQUE|NOT NULL) constraint failed: (.+)$")
_UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE
# The file's column behind each field of a membership (an organization's fields are
# named like their columns).
_MEMBERSHIP_COLUMNS = {
    "coalition": "coalition",
    "role": "membership_role",
    "start_date": "membership_start",
    "end_date": "membership_end",
}


class _DryRunRollback(Exception):
    """Raised inside the import's transaction to undo a dry run's writes."""


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
        # Something the checks above did not see. The transaction is rolled back.
        logger.warning(
            "The database refused the import of %r; nothing was saved: %s", table.filename, error
        )
        return ImportResult(rows_read, 0, _explain_refusal(table), dry_run)
    return ImportResult(rows_read, len(planned), errors, dry_run)


def _explain_refusal(table: Table) -> list[RowError]:
    """Why the database refused a file whose rows passed the checks, by row and column
    when they can be found, in the user's words either way."""
    # Most likely an organization with the same name or slug saved meanwhile: the checks,
    # run again, name the rows. Otherwise their rows (new objects: those of the refused
    # write may hold keys of rows rolled back) are tried one by one.
    retry = _RowValidator(_Lookups(table))
    planned: list[_PlannedRow] = []
    errors: list[RowError] = []
    for number, values in table.rows:
        row, row_errors = retry.validate(number, values)
        if row is not None:
            planned.append(row)
        errors.extend(row_errors)
    if not errors:
        errors = _refused_rows(table, planned)
    if not errors:
        errors = [
            RowError(None, FILE, gettext("The database refused the file; nothing was saved."))
        ]
    return errors


def _refused_rows(table: Table, planned: list[_PlannedRow]) -> list[RowError]:
    """Write the rows one by one, each in a savepoint, all rolled back: the errors of the
    rows the database refuses. A few queries a row, on this rare path only. A row whose
    coalition (earlier in the file) was refused is not tried: its membership could only
    fail for want of the coalition."""
    errors: list[RowError] = []
    refused: set[int] = set()  # id() of the organizations refused
    try:
        with transaction.atomic():
            for row in planned:
                if row.coalition is not None and id(row.coalition) in refused:
                    continue
                try:
                    with transaction.atomic():
                        _write([row])
                except (IntegrityError, DataError) as error:
                    logger.warning(
                        "The database refused row %s of %r: %s", row.number, table.filename, error
                    )
                    refused.add(id(row.organization))
                    errors.append(_row_refusal(row.number, error))
            raise _DryRunRollback
    except _DryRunRollback:
        pass
    return errors


def _row_refusal(number: int, error: Exception) -> RowError:
    """The error for a row the database refused: the columns the broken constraint
    covers and its own message when the model declares one, else a plain sentence."""
    table, db_columns, constraint, unique = _what_was_refused(error)
    message = ""
    declared = _declared_constraints().get(constraint or "")
    if declared is not None:
        model, declaration = declared
        table = model._meta.db_table
        if isinstance(declaration, models.UniqueConstraint):
            fields: Iterable[str] = declaration.fields
        else:
            fields = declaration.condition.referenced_base_fields
        db_columns = [model._meta.get_field(name).column for name in fields]
        if declaration.violation_error_message != declaration.default_violation_error_message:
            message = str(declaration.violation_error_message)
    elif constraint and table and not db_columns:
        db_columns = _introspected_columns(table, constraint)
    by_db_column = _file_columns().get(table or "", {})
    columns = sorted({by_db_column[c] for c in db_columns if c in by_db_column}, key=_column_order)
    if not columns:
        return RowError(number, "", gettext("the database refused this row"))
    if not message and unique and table == Organization._meta.db_table:
        message = gettext("the database refused this value: another organization has it")
    return RowError(
        number, ", ".join(columns), message or gettext("the database refused this value")
    )


def _what_was_refused(error: Exception) -> tuple[str | None, list[str], str | None, bool]:
    """The table, its columns and the constraint the database names in `error`, as far
    as it names them, and whether it refused a duplicate."""
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None:  # PostgreSQL (psycopg)
        column = getattr(diag, "column_name", None)
        unique = getattr(cause, "sqlstate", None) == _UNIQUE_VIOLATION
        return diag.table_name, [column] if column else [], diag.constraint_name, unique
    found = _SQLITE_REFUSAL.match(str(error))
    if found is None:
        return None, [], None, False
    kind, named = found.groups()
    if kind == "CHECK":
        return None, [], named, False
    qualified = [part.strip().rpartition(".") for part in named.split(",")]
    return qualified[0][0], [column for _table, _dot, column in qualified], None, kind == "UNIQUE"


@functools.cache
def _declared_constraints() -> dict[str, tuple[type[models.Model], models.BaseConstraint]]:
    """The constraints the written models declare, by name."""
    return {
        constraint.name: (model, constraint)
        for model in (Organization, CoalitionMembership)
        for constraint in model._meta.constraints
    }


@functools.cache
def _file_columns() -> dict[str, dict[str, str]]:
    """For each table an import writes, the file's column behind each database column."""
    tables = {
        Organization._meta.db_table: {
            field.column: field.name
            for field in Organization._meta.concrete_fields
            if field.name in COLUMNS
        },
        CoalitionMembership._meta.db_table: {
            CoalitionMembership._meta.get_field(name).column: column
            for name, column in _MEMBERSHIP_COLUMNS.items()
        },
    }
    for column in MANY_TO_MANY_COLUMNS:
        relation = Organization._meta.get_field(column)
        through = relation.remote_field.through
        target = through._meta.get_field(relation.m2m_reverse_field_name())
        tables[through._meta.db_table] = {target.column: column}
    return tables


def _introspected_columns(table: str, constraint: str) -> list[str]:
    """The columns of a constraint the models do not declare (a field's unique=True, a
    foreign key), as the database describes it (in a savepoint: a failure here must not
    break the transaction of the rows still to try)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            described = connection.introspection.get_constraints(cursor, table)
    except DatabaseError:
        logger.exception("Cannot describe the constraint %r of %r", constraint, table)
        return []
    return list(described.get(constraint, {}).get("columns") or [])


def import_file(
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    progress: Callable[[int], object] | None = None,
) -> ImportResult:
    """Read a CSV or XLSX file and import its organizations (see `import_table`)."""
    return import_table(read_table(data, filename), dry_run=dry_run, progress=progress)
