"""Benchmark: pages of 100 records of the open-data API at 10,000 organizations.

    make bench ARGS="--only opendata"                  # through benches/run.py
    .venv/bin/python benches/opendata.py --scale 0.1   # 1,000 organizations, a quick run
    .venv/bin/python benches/opendata.py               # 10,000 organizations (full scale)

Not part of the test suite. Like every benchmark it works in a throwaway PostgreSQL
database (benches/engines.py); nothing is indexed, so no Elasticsearch. The data:
`manage.py generate_demo --organizations N` (their taxonomies, coalitions and
memberships: what an organization's record reads), fora with seats and seat terms spread
over the organizations (benches/burden.py's `Filler`: a few organizations hold many
seats), and policies with released versions of five sections each (Wagtail pages), at
least 250 versions whatever the scale so that a deep page is full.

Each endpoint is asked by an anonymous caller through Django's test client (the whole
middleware stack, the rate limit counted, JSON rendered, no network), `page_size=100`:
the first page, and a deep page (a cursor to the last 100 records: the walk's cost at
its end). Reported: p50 and p95 over `--runs` requests, the queries a request makes, and
the ratio of the p50 to the engine's own best — the same 101 rows read by one raw SQL
query through the cursor (`WHERE id > … ORDER BY id LIMIT 101`), which is what a page
cannot do with less. The run fails if a page of 25 and a page of 100 do not cost the same
number of queries (a relation read per record). Results: docs/performance.md ("Open-data
API").
"""

import argparse
import datetime
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

from burden import Filler  # noqa: E402 - benches/ is the script's folder
from engines import django_on_engines  # noqa: E402
from report import Measure, apply_scale, arguments, count, percentile, report  # noqa: E402

DEFAULTS = {"organizations": 10_000, "seats": 10_000, "versions": 250}
PAGE = 100
SMALL_PAGE = 25
VERSIONS_PER_POLICY = 10
SECTIONS = 5
TARGET_MS = 300
WORDS = [
    "community",
    "organizations",
    "autonomy",
    "recognition",
    "mission",
    "funding",
    "consultation",
    "policy",
    "government",
    "sector",
    "partnership",
    "housing",
    "youth",
    "regional",
    "network",
    "support",
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = arguments(
        __doc__,
        DEFAULTS,
        seats="seats of fora (about 1.2 terms each)",
        versions="released policy versions (at least 250)",
    )
    parser.add_argument("--runs", type=count, default=20, help="timed requests each (default 20)")
    args = parser.parse_args(argv)
    apply_scale(args, DEFAULTS)
    args.versions = max(args.versions, DEFAULTS["versions"])
    # benches/burden.py's Filler: one meeting a forum, the seat terms' window.
    args.meetings = max(1, args.seats // 10)
    args.as_of = datetime.date(2024, 12, 31)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    print(
        f"Scale: {args.organizations:,} organizations, {args.seats:,} seats, "
        f"{args.versions:,} policy versions of {SECTIONS} sections; {args.runs} timed "
        f"requests each; seed {args.seed}"
    )
    with django_on_engines("opendata", args.keep, elasticsearch=False):
        started = time.perf_counter()
        Filler(args).fill()
        fill_policies(args)
        print(f"Filled in {time.perf_counter() - started:.1f} s")
        measures, constant = measure(args)
    report(measures)
    return 0 if constant else 1


def fill_policies(args: argparse.Namespace) -> None:
    """`args.versions` released versions, VERSIONS_PER_POLICY a policy, each of SECTIONS
    sections of forty words (live pages, as published ones are)."""
    from django.db import connection

    from concertation.site_setup import ensure_site
    from consultations.models import PolicyIndexPage, PolicyPage, PolicyVersionPage

    rng = random.Random(args.seed)
    home = ensure_site()
    index = home.add_child(instance=PolicyIndexPage(title="Policies", slug="policies"))
    policy = None
    for n in range(args.versions):
        number = n % VERSIONS_PER_POLICY + 1
        if number == 1:
            policy = index.add_child(instance=PolicyPage(title=f"Policy {n // 10 + 1}"))
        body = [
            (
                "section",
                {
                    "anchor": str(section),
                    "heading": f"Section {section}",
                    "text": f"<p>{' '.join(rng.choices(WORDS, k=40))}</p>",
                },
            )
            for section in range(1, SECTIONS + 1)
        ]
        policy.add_child(
            instance=PolicyVersionPage(
                title=f"{policy.title}, version {number}",
                number=number,
                status="released",
                release_date=datetime.date(1990 + n % 30, 1 + n % 12, 1),
                body=body,
            )
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"Policy versions: {PolicyVersionPage.objects.live().count():,}")


def endpoints() -> list[tuple[str, type]]:
    """(resource, model) of each endpoint timed."""
    from consultations.fora.models import SeatTerm
    from consultations.models import PolicyVersionPage
    from organizations.models import Organization

    return [
        ("organizations", Organization),
        ("policy-versions", PolicyVersionPage),
        ("seat-terms", SeatTerm),
    ]


def timed_requests(client, url: str, runs: int) -> tuple[list[float], int]:
    """The milliseconds of `runs` requests of `url` (after one not timed), and the
    queries one makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    assert len(response.json()["results"]) == PAGE, url
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return times, len(queries)


def raw_page(model, after: int, runs: int) -> float:
    """The p50 in ms of the page's rows read by one SQL query through the cursor."""
    from django.db import connection

    table, key = model._meta.db_table, model._meta.pk.column
    statement = f'SELECT * FROM {table} WHERE "{key}" > %s ORDER BY "{key}" LIMIT {PAGE + 1}'
    times = []
    with connection.cursor() as cursor:
        for _run in range(runs + 1):
            started = time.perf_counter()
            cursor.execute(statement, [after])
            cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[1:])


def queries_for(client, url: str, size: int) -> int:
    """The queries a page of `size` costs (after one request: Wagtail caches the site's
    root paths at the first)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, {"page_size": 1})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page_size": size})
    assert len(response.json()["results"]) == size, url
    return len(queries)


def measure(args: argparse.Namespace) -> tuple[list[Measure], bool]:
    """Each endpoint's first and deep page; whether every endpoint's queries are the
    same for a page of 25 and of 100."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client

    from opendata.pagination import Cursor
    from opendata.resources import registry

    client = Client(REMOTE_ADDR="192.0.2.50")
    client.get("/api/v1/")  # the URLconf, which registers the resources
    resources = {resource.name: resource for resource in registry}
    measures, constant = [], True
    print(f"{'endpoint':<32} {'p50':>9} {'p95':>9} {'queries':>8} {'raw p50':>9} {'ratio':>7}")
    for name, model in endpoints():
        url = f"/api/v1/{name}/"
        ids = list(
            resources[name].records(AnonymousUser()).order_by("pk").values_list("pk", flat=True)
        )
        small, large = queries_for(client, url, SMALL_PAGE), queries_for(client, url, PAGE)
        constant &= small == large
        measures.append(
            Measure(
                bench="opendata",
                name=f"{name} queries, pages of {SMALL_PAGE} and {PAGE} apart",
                value=abs(large - small),
                unit="",
                at_most=0,
                detail=f"{small} queries a page of {SMALL_PAGE}, {large} a page of {PAGE}",
            )
        )
        deep = ids[-(PAGE + 1)]
        for page, after in (("first", 0), ("deep", deep)):
            query = f"?page_size={PAGE}"
            if after:
                query += f"&cursor={Cursor(True, after).encode()}"
            times, queries = timed_requests(client, url + query, args.runs)
            p50, p95 = statistics.median(times), percentile(times, 0.95)
            raw = raw_page(model, after, args.runs)
            label = f"{name} {page} page"
            print(
                f"{label:<32} {p50:6.1f} ms {p95:6.1f} ms {queries:>8} {raw:6.2f} ms "
                f"{p50 / raw:6.0f}×"
            )
            measures.append(
                Measure(
                    bench="opendata",
                    name=f"{label} of {PAGE} p50",
                    value=round(p50, 1),
                    unit="ms",
                    at_most=TARGET_MS,
                    detail=f"p95 {p95:.1f} ms; {queries} queries; {p50 / raw:.0f}× the raw "
                    f"SQL page ({raw:.2f} ms); of {len(ids):,} records",
                )
            )
    return measures, constant


if __name__ == "__main__":
    sys.exit(main())
