"""Manage the archive index: `rebuild` it from the database (with a progress bar)."""

from django.core.management.base import BaseCommand, CommandError

from concertation.progress import progress_bar
from search import engine
from search.rebuild import count_documents, rebuild


class Command(BaseCommand):
    help = "Rebuild the archive search index from the database, then swap the alias to it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["rebuild"])
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, action: str, no_progress: bool, **options) -> None:
        if not engine.is_configured():
            raise CommandError(
                "ELASTICSEARCH_URL is not set: search answers from the database, "
                "there is no index to rebuild."
            )
        with progress_bar(self, count_documents(), "doc", disable=no_progress) as bar:
            name, written = rebuild(progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Indexed {written} documents into {name}."))
