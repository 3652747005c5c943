"""Writing the checked rows with bulk inserts in one transaction, rolled back in a dry
run, and queuing the new organizations for the search index."""

from collections.abc import Callable

from django.db import DataError, IntegrityError, transaction
from django.utils.translation import gettext

from search.registry import registry
from search.tasks import enqueue_sync_many

from ..models import CoalitionMembership, Organization
from .columns import MANY_TO_MANY_COLUMNS
from .lookups import _chunks, _Lookups
from .reading import read_table
from .results import FILE, ImportResult, RowError, Table
from .validation import _PlannedRow, _RowValidator


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
