"""`manage.py import_organizations FILE [--dry-run]`: load organizations from CSV or XLSX.

The rules (all or nothing, every rejected row listed) live in `organizations.importing`;
this command reads the file, shows a progress bar while the rows are checked, prints the
rejected rows and fails (exit status 1) when there are any, so a script can tell.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from concertation.progress import progress_bar
from organizations.importing import import_table, read_table


class Command(BaseCommand):
    help = (
        "Import organizations from a CSV or XLSX file (columns: see docs/import.md). "
        "All or nothing: a file with any rejected row saves nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV (UTF-8) or XLSX file to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row, and list the rejected ones, without saving anything.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, file: str, dry_run: bool, no_progress: bool, **options) -> None:
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from error
        table = read_table(data, path.name)
        with progress_bar(self, len(table.rows), "row", disable=no_progress) as bar:
            result = import_table(table, dry_run=dry_run, progress=bar.update)

        for error in result.errors:
            self.stdout.write(str(error))
        if not result.ok:
            rejected = len(result.rejected_rows)
            if rejected:
                summary = ngettext(
                    "%(count)s of %(total)s rows rejected; nothing was saved.",
                    "%(count)s of %(total)s rows rejected; nothing was saved.",
                    rejected,
                ) % {"count": rejected, "total": result.rows_read}
            else:
                summary = _("The file was rejected; nothing was saved.")
            raise CommandError(summary)
        if dry_run:
            message = ngettext(
                "Dry run: %(count)s organization would be created; nothing was saved.",
                "Dry run: %(count)s organizations would be created; nothing was saved.",
                result.created,
            )
        else:
            message = ngettext(
                "Created %(count)s organization.",
                "Created %(count)s organizations.",
                result.created,
            )
        self.stdout.write(self.style.SUCCESS(message % {"count": result.created}))
