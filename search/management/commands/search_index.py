"""Manage the archive index: `rebuild` it from the database, `reconcile` it with the
database (report, and `--repair`, what is missing, stale or orphaned), `retry` the
updates that failed, `drain` the pending changes (the outbox) here and now."""

from django.core.management.base import BaseCommand, CommandError

from concertation.progress import progress_bar
from search import engine, outbox
from search.drain import drain
from search.models import IndexFailure
from search.rebuild import count_documents, rebuild
from search.reconcile import reconcile
from search.registry import registry
from search.retry import retry_failures


class Command(BaseCommand):
    help = (
        "rebuild: fill a new archive index from the database and swap the alias to it. "
        "reconcile: compare the index with the database (--repair to fix it). "
        "retry: sync again the records whose index update failed. "
        "drain: sync the pending changes that are due, here, and report what remains."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["rebuild", "reconcile", "retry", "drain"])
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")
        parser.add_argument(
            "--repair",
            action="store_true",
            help="reconcile: write missing and stale documents, delete orphaned ones.",
        )
        parser.add_argument(
            "--kind",
            action="append",
            choices=registry.kinds(),
            help="reconcile, retry: only this kind of record (repeatable).",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=500,
            help="Records read per query (rebuild, reconcile).",
        )

    def handle(self, *args, action: str, no_progress: bool, **options) -> None:
        if not engine.is_configured():
            raise CommandError(
                "ELASTICSEARCH_URL is not set: search answers from the database, "
                "there is no index to manage."
            )
        getattr(self, f"handle_{action}")(no_progress=no_progress, **options)

    def handle_rebuild(self, *, no_progress: bool, chunk_size: int, **options) -> None:
        with progress_bar(self, count_documents(), "doc", disable=no_progress) as bar:
            name, written = rebuild(progress=bar.update, chunk_size=chunk_size)
        self.stdout.write(self.style.SUCCESS(f"Indexed {written} documents into {name}."))

    def handle_reconcile(
        self, *, no_progress: bool, chunk_size: int, repair: bool, kind: list[str] | None, **o
    ) -> None:
        kinds = kind or registry.kinds()
        total = sum(registry.get(k).get_queryset().count() for k in kinds)
        with progress_bar(self, total, "record", disable=no_progress) as bar:
            report = reconcile(
                repair=repair, kinds=kinds, chunk_size=chunk_size, progress=bar.update
            )
        for part in report.kinds:
            if part.missing or part.stale or part.orphaned:
                self.stdout.write(
                    f"{part.kind}: {len(part.missing)} missing, {len(part.stale)} stale, "
                    f"{len(part.orphaned)} orphaned"
                )
        summary = (
            f"Checked {report.checked} records: {report.total('missing')} missing, "
            f"{report.total('stale')} stale, {report.total('orphaned')} orphaned"
        )
        if repair:
            summary += " (repaired)"
        style = self.style.SUCCESS if report.in_line or repair else self.style.WARNING
        self.stdout.write(style(summary + "."))

    def handle_retry(self, *, kind: list[str] | None, **options) -> None:
        retried = 0
        for one_kind in kind or [None]:
            retried += retry_failures(kind=one_kind)
        remaining = IndexFailure.objects.filter(**({"kind__in": kind} if kind else {})).count()
        message = f"Retried {retried} records; {remaining} still failing."
        self.stdout.write((self.style.WARNING if remaining else self.style.SUCCESS)(message))

    def handle_drain(self, **options) -> None:
        report = drain()
        remaining = outbox.summary()
        message = f"Drained: {report}; {remaining['pending']} changes still pending."
        style = self.style.WARNING if remaining["pending"] else self.style.SUCCESS
        self.stdout.write(style(message))
