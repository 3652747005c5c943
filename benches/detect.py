"""Benchmark: one detection pass (`follows.detection.detect`) over many follows, on
PostgreSQL.

    .venv/bin/python benches/detect.py                 # 100,000 followers, 1,000 records
    .venv/bin/python benches/detect.py --scale 0.1     # 10,000 and 100 (make bench)

Not part of the test suite. It creates a throwaway database on the PostgreSQL server of
`DATABASE_URL` (or on a cluster started with `scripts/postgres`), migrates it and fills
it in bulk: organizations (one for every 20 followers), confirmed readers following five
organizations each (issue #16's "100,000 followers with 5 follows each"), then the new
records: published allocations, each about an organization and a programme, recorded
after the follows. It times the pass that finds them, records their happenings and makes
the notices of their followers (one `INSERT … SELECT` per 500 happenings), counts its
queries, then times a second pass, which finds nothing new (what every pass costs
between two publications). No target is set for detection by the issue: the figures are
reported for reading (docs/follow.md, docs/performance.md). The database is dropped at
the end unless `--keep`.
"""

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT / "site"), str(HERE)]

from engines import django_on_engines  # noqa: E402 - benches/ is the script's folder
from fill import create_programmes  # noqa: E402
from report import Measure, apply_scale, arguments, report  # noqa: E402

DEFAULTS = {"followers": 100_000, "records": 1_000}
FOLLOWS_EACH = 5
FOLLOWERS_PER_ORGANIZATION = 20
PROGRAMMES = 50
BATCH = 5_000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = arguments(__doc__, DEFAULTS, followers="readers", records="allocations published")
    args = parser.parse_args(argv)
    apply_scale(args, DEFAULTS, at_least=FOLLOWERS_PER_ORGANIZATION)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    organizations = max(FOLLOWS_EACH * 2, args.followers // FOLLOWERS_PER_ORGANIZATION)
    print(
        f"Scale: {args.followers:,} followers × {FOLLOWS_EACH} follows of "
        f"{organizations:,} organizations; {args.records:,} new records; seed {args.seed}"
    )
    with django_on_engines("detect", args.keep, elasticsearch=False):
        started = time.perf_counter()
        fill(args, organizations)
        print(f"Filled in {time.perf_counter() - started:.1f} s")
        measures = measure(args)
    report(measures)
    return 0


def fill(args: argparse.Namespace, organizations: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from follows.models import Follow, FollowKind, Subscriber
    from organizations.funding.models import Allocation, Programme
    from organizations.models import Organization

    rng = random.Random(args.seed)
    earlier = timezone.now() - datetime.timedelta(days=1)
    with transaction.atomic():
        for start in range(0, organizations, BATCH):
            Organization.objects.bulk_create(
                Organization(
                    name=f"Organisme {i:07d}", slug=f"organisme-{i:07d}", kind="community_group"
                )
                for i in range(start, min(organizations, start + BATCH))
            )
        funder = Organization.objects.create(name="Ministère", slug="ministere", kind="government")
        create_programmes((funder, f"Programme {i}", f"programme-{i}") for i in range(PROGRAMMES))
        organization_pks = list(
            Organization.objects.exclude(pk=funder.pk).values_list("pk", flat=True)
        )
        programme_pks = list(Programme.objects.values_list("pk", flat=True))
        for start in range(0, args.followers, BATCH):
            readers = Subscriber.objects.bulk_create(
                Subscriber(email=f"reader-{i}@example.org", confirmed_at=earlier)
                for i in range(start, min(args.followers, start + BATCH))
            )
            Follow.objects.bulk_create(
                Follow(
                    subscriber=reader,
                    kind=FollowKind.RECORD,
                    target=f"organization:{pk}",
                    created_at=earlier,
                )
                for reader in readers
                for pk in rng.sample(organization_pks, FOLLOWS_EACH)
            )
        Allocation.objects.bulk_create(
            Allocation(
                organization_id=rng.choice(organization_pks),
                programme_id=rng.choice(programme_pks),
                fiscal_year=2026,
                amount=rng.randint(1_000, 100_000),
                mode="project",
                origin="new",
                status="published",
            )
            for _ in range(args.records)
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"Rows: {Subscriber.objects.count():,} readers, {Follow.objects.count():,} follows, "
        f"{Allocation.objects.count():,} allocations"
    )


def measure(args: argparse.Namespace) -> list[Measure]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from follows.detection import detect
    from follows.models import Happening

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        notices = detect()
        first = time.perf_counter() - started
    happenings = Happening.objects.count()
    print(
        f"First pass: {happenings:,} happenings, {notices:,} notices in {first:.2f} s, "
        f"{len(queries)} queries"
    )
    with CaptureQueriesContext(connection) as idle_queries:
        started = time.perf_counter()
        again = detect()
        idle = time.perf_counter() - started
    print(f"Second pass: {again} notices in {idle:.3f} s, {len(idle_queries)} queries")
    size = f"{args.followers:,} followers × {FOLLOWS_EACH} follows"
    return [
        Measure(
            bench="detect",
            name=f"a pass, {args.records:,} new records",
            value=first,
            unit="s",
            detail=(
                f"{size}: {happenings:,} happenings and {notices:,} notices in "
                f"{len(queries)} queries"
            ),
        ),
        Measure(bench="detect", name="notices made per second", value=notices / first, unit="/s"),
        Measure(
            bench="detect",
            name="a pass with nothing new",
            value=idle * 1000,
            unit="ms",
            detail=f"{size}: {len(idle_queries)} queries",
        ),
    ]


if __name__ == "__main__":
    raise SystemExit(main())
