"""Benchmark: keeping the archive index in step — the save path and several workers.

    .venv/bin/python benches/sync.py --scale 0.1    # 1,000 organizations, a backlog of
                                                    # 2,000 changes, 200 timed saves each
    .venv/bin/python benches/sync.py                # 10,000 organizations, 20,000 changes

Not part of the test suite. It works in a throwaway PostgreSQL database and a real
Elasticsearch (`benches/engines.py`: the engines of DATABASE_URL and ELASTICSEARCH_URL,
or throwaway ones), with the database task queue of production (`TASKS_BACKEND=database`:
a save records its change, a worker writes the index). The organizations come from
`manage.py generate_demo`; each convenes a forum and funds a programme, so that it has
records of other kinds showing its name (dependents). The index is filled first
(`search.rebuild.rebuild`). Then:

1. **Save**: an organization's summary edited and saved in its own transaction (the
   pre-save slug check, the update, the commit and what runs after commit), with index
   sync (Elasticsearch configured: what the search app's signals do) and without it (no
   `ELASTICSEARCH_URL`: the signals record nothing), interleaved, p50 of each.
2. **Workers**: a backlog of `--changes` changes (two per organization, as two saves
   would leave) drained by one worker process (`search.drain.drain`, as `manage.py
   db_worker` runs it), then the same backlog by `--workers` processes at once; the
   throughput ratio is the wall time of one over that of several. Each drain starts
   when every process is ready (Django set up). After each, the outbox must be empty and
   the index in line with the database (`search.reconcile`), or the run fails.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

from engines import django_on_engines  # noqa: E402 - benches/ is the script's folder
from fill import create_programmes  # noqa: E402
from report import Measure, apply_scale, arguments, count, report  # noqa: E402

DEFAULTS = {"organizations": 10_000, "changes": 20_000}
BENCH = "sync"
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = arguments(__doc__, DEFAULTS, changes="the backlog drained")
    parser.add_argument("--workers", type=int, default=2, help="workers at once (default 2)")
    parser.add_argument("--saves", type=count, default=200, help="timed saves each (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed saves each (default 20)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    apply_scale(args, DEFAULTS)
    if args.workers < 2:
        parser.error("--workers must be at least 2")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return drain_worker()
    sys.stdout.reconfigure(line_buffering=True)
    print(
        f"Scale: {args.organizations:,} organizations, a backlog of {args.changes:,} changes, "
        f"{args.workers} workers; {args.saves} timed saves each way after {args.warmup}"
    )
    os.environ["LOG_LEVEL"] = "WARNING"
    with django_on_engines("sync", args.keep):
        from django.test import override_settings

        # Production's queue: a save records its change; workers write the index.
        override_settings(TASKS={"default": {"BACKEND": DATABASE_BACKEND}}).enable()
        started = time.perf_counter()
        fill(args)
        print(f"Filled in {time.perf_counter() - started:.1f} s")
        save = measure_saves(args)
        workers = measure_workers(args)
    report([save, workers])
    return 0


def fill(args: argparse.Namespace) -> None:
    """The organizations, a forum and a programme for each, and the index filled."""
    from django.core.management import call_command
    from django.db import connection

    from consultations.fora.models import Forum
    from organizations.models import Organization
    from search.rebuild import rebuild

    call_command("generate_demo", organizations=args.organizations, seed=args.seed)
    organizations = list(Organization.objects.order_by("pk"))
    Forum.objects.bulk_create(
        Forum(
            name=f"Table convened by {organization.name}",
            slug=f"bench-forum-{organization.pk}",
            level="regional",
            kind="sector_table",
            convenor=organization,
            active_from="2020-01-01",
        )
        for organization in organizations
    )
    create_programmes(
        (organization, f"Programme of {organization.name}", f"bench-programme-{organization.pk}")
        for organization in organizations
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    _name, written = rebuild()
    print(f"Indexed {written:,} documents")


def measure_saves(args: argparse.Namespace) -> Measure:
    """p50 of a save with index sync over p50 of the same save without."""
    from django.db import transaction
    from django.test import override_settings

    from organizations.models import Organization

    organizations = list(Organization.objects.order_by("pk")[: max(args.saves, 1)])
    timings: dict[str, list[float]] = {"with": [], "without": []}
    modes = {"with": override_settings(), "without": override_settings(ELASTICSEARCH_URL="")}

    def save(run: int, mode: str) -> float:
        organization = organizations[run % len(organizations)]
        organization.summary_en = f"Edited by the benchmark, run {run} {mode}."
        with modes[mode]:
            started = time.perf_counter()
            with transaction.atomic():
                organization.save()
            return (time.perf_counter() - started) * 1000

    for run in range(args.warmup):
        save(run, "with")
        save(run, "without")
    for run in range(args.saves):
        order = ("with", "without") if run % 2 else ("without", "with")
        for mode in order:
            timings[mode].append(save(args.warmup + run, mode))
    with_sync = statistics.median(timings["with"])
    without = statistics.median(timings["without"])
    print(
        f"Save: with index sync p50 {with_sync:.2f} ms, without {without:.2f} ms "
        f"({args.saves} saves each, interleaved)"
    )
    return Measure(
        bench=BENCH,
        name="save with sync / without",
        value=round(with_sync / without, 2),
        unit="×",
        at_most=1.2,
        detail=f"p50 {with_sync:.2f} vs {without:.2f} ms",
    )


def make_backlog(changes: int) -> None:
    """`changes` pending changes of organizations, two per organization (as two saves
    leave), in one transaction: what a busy hour or an outage leaves behind."""
    from django.db import transaction

    from organizations.models import Organization
    from search.models import PendingChange
    from search.tasks import enqueue_sync_many

    PendingChange.objects.all().delete()
    pks = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    keys = [pks[n % len(pks)] for n in range((changes + 1) // 2)]
    with transaction.atomic():
        enqueue_sync_many("organization", keys)
        enqueue_sync_many("organization", keys[: changes - len(keys)])
    assert PendingChange.objects.count() == changes


def drain_with(processes: int) -> tuple[float, int]:
    """Drain the outbox with `processes` worker processes started together; returns the
    wall time from the start signal to the last one done draining (their exit not
    counted), and the records they synced."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker"]
    workers = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    for worker in workers:
        assert worker.stdout.readline().strip() == "ready"
    started = time.perf_counter()  # CLOCK_MONOTONIC: the workers' clock too
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    synced, finished = 0, started
    for worker in workers:
        done = json.loads(worker.stdout.readline())
        synced += done["synced"]
        finished = max(finished, done["finished"])
        worker.wait()
    return finished - started, synced


def check_in_line() -> None:
    from search.models import PendingChange
    from search.reconcile import reconcile

    assert not PendingChange.objects.exists(), "changes left in the outbox"
    checked = reconcile(kinds=["organization"])
    assert checked.in_line, (checked.total("missing"), checked.total("stale"))


def measure_workers(args: argparse.Namespace) -> Measure:
    from django.db import connections

    timings = {}
    for processes in (1, args.workers):
        make_backlog(args.changes)
        connections.close_all()
        seconds, synced = drain_with(processes)
        check_in_line()
        timings[processes] = seconds
        print(
            f"Drain: {args.changes:,} changes ({synced:,} record syncs) by {processes} "
            f"worker(s) in {seconds:.2f} s: {args.changes / seconds:,.0f} changes/s"
        )
    ratio = timings[1] / timings[args.workers]
    return Measure(
        bench=BENCH,
        name=f"{args.workers} workers / 1 worker throughput",
        value=round(ratio, 2),
        unit="×",
        at_least=1.3,
        detail=(
            f"{args.changes:,} changes in {timings[1]:.1f} s by one worker, "
            f"{timings[args.workers]:.1f} s by {args.workers}"
        ),
    )


def drain_worker() -> int:
    """One worker process: set up, say ready, wait for the start, drain until nothing is
    due, print what it synced."""
    import django

    django.setup()
    from django.urls import reverse

    from search import outbox
    from search.drain import drain

    # A running worker is warm: its URL patterns loaded (documents carry addresses), its
    # database connection open.
    reverse("organizations:detail", kwargs={"slug": "warm-up"})
    outbox.next_due()
    print("ready", flush=True)
    sys.stdin.readline()
    synced = 0
    while True:
        drained = drain()
        synced += drained.synced
        if not drained.synced and not drained.failed:
            break
    print(json.dumps({"synced": synced, "finished": time.perf_counter()}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
