"""Benchmark: one detection pass (`follows.detection.detect`) over many follows, on
PostgreSQL.

    .venv/bin/python benches/detect.py                 # 100,000 followers, 1,000 records
    .venv/bin/python benches/detect.py --scale 0.1     # 10,000 and 100 (make bench)

Not part of the test suite. It creates a throwaway database on the PostgreSQL server of
`DATABASE_URL` (or on a cluster started with `scripts/postgres`), migrates it and fills
it in bulk: organizations (one for every 20 followers), confirmed readers following five
organizations each (issue #16's "100,000 followers with 5 follows each"), then the new
records: published allocations, each about an organization and a programme, recorded
after the follows (`fill.fill_follows`, shared with benches/digests.py). It times the
pass that finds them, records their happenings and makes the notices of their followers
(one `INSERT … SELECT` per 500 happenings), counts its queries, then times a second
pass, which finds nothing new (what every pass costs between two publications). No
target is set for detection by the issue: the figures are reported for reading
(docs/follow.md, docs/performance.md). The database is dropped at the end unless
`--keep`.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT / "site"), str(HERE)]

from engines import django_on_engines  # noqa: E402 - benches/ is the script's folder
from fill import FOLLOWS_EACH, fill_follows, follows_scale, parse_follows_arguments  # noqa: E402
from report import Measure, report  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    args = parse_follows_arguments(__doc__, argv)
    print(f"Scale: {follows_scale(args)}; seed {args.seed}")
    with django_on_engines("detect", args.keep, elasticsearch=False):
        started = time.perf_counter()
        fill_follows(args.followers, args.records, args.seed)
        print(f"Filled in {time.perf_counter() - started:.1f} s")
        measures = measure(args)
    report(measures)
    return 0


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
