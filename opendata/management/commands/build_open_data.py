"""Build the bulk downloads of the open data now (docs/api.md, "Bulk downloads").

Once (`manage.py build_open_data`): by hand, in CI, or nightly from cron; with the
database task queue, the task `opendata.tasks.build_open_data_nightly` does it by itself.

Periodically (`manage.py build_open_data --every SECONDS`): what `make run` starts beside
the development server (scripts/serve), like the rounds scheduler (decision 013): a
build at once, then every SECONDS, until stopped or until the process that started it
has gone — so the demo has its downloads a few seconds after it starts, without making
the server wait for them.
"""

from django.core.management.base import CommandError

from concertation.management.periodic import PeriodicCommand
from concertation.progress import progress_bar
from opendata.downloads.build import BuildRunning, build, count_records, downloads_dir


class Command(PeriodicCommand):
    help = "Build the open data's bulk downloads (a zip per resource and manifest.json)."
    every_help = "keep running: build now, then every SECONDS, until stopped"
    started_message = "Open-data downloads: building now, then every {every:g} s."
    stopped_message = "The process that started the open-data builder has gone; stopping."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, no_progress: bool = False, **options) -> None:
        self.no_progress = no_progress
        super().handle(*args, **options)

    def run_pass(self, quiet: bool = False) -> None:
        """One build; `quiet` (beside a server): no progress bar, one line when done."""
        try:
            with progress_bar(
                self, count_records(), "record", disable=quiet or self.no_progress
            ) as bar:
                manifest = build(progress=lambda _resource, records: bar.update(records))
        except BuildRunning as error:
            if quiet:
                self.stdout.write(f"Open-data downloads not built: {error}.")
                return
            raise CommandError(str(error)) from error
        except Exception as error:
            if not quiet:
                raise
            # Beside a server: say it, keep the previous files, try again next period.
            self.stderr.write(f"Open-data downloads not built: {error!r}.")
            return
        size = sum(entry["size"] for entry in manifest["files"])
        self.stdout.write(
            f"Open-data downloads built: {len(manifest['files'])} files, {size:,} bytes, "
            f"in {downloads_dir()}."
        )
