"""Benchmark: every public page at archive scale, in English and French.

    make bench ARGS="--only pages"                  # through benches/run.py
    .venv/bin/python benches/pages.py --scale 0.05  # 500 organizations, a quick run
    .venv/bin/python benches/pages.py               # 10,000 organizations (full scale)

Not part of the test suite. Like every benchmark it works in a throwaway PostgreSQL
database and a real Elasticsearch (benches/engines.py: `DATABASE_URL`'s server and
`ELASTICSEARCH_URL`'s node, or throwaway ones), indices prefixed `bench-pages-<random>`
and deleted at the end unless `--keep`.

The data: the demo `make run` serves (`load_demo`: the policy and its versions, rounds,
positions, fora, funding programmes) plus `manage.py generate_demo --organizations N`
(10,000 × scale), then a search index rebuild. The cache is the database cache
(`dbcache://`, what `make run` uses; Redis or memcached in production are faster still).

Each page is requested by an anonymous visitor through Django's test client (the whole
middleware stack, templates rendered, no network):

- **uncached**: the page cache emptied before each request — what the first visitor
  after a change pays, and what a signed-in visitor always pays;
- **visitor**: requests in a row with the cache kept — what anonymous visitors get.

One measure per page and language, "<page> p50" in ms, is the visitor's p50, at most
300 ms; the uncached p50 is in its detail. Results: docs/performance.md ("Public pages").
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

from engines import django_on_engines  # noqa: E402 - benches/ is the script's folder
from report import Measure, apply_scale, arguments, count, report  # noqa: E402

DEFAULTS = {"organizations": 10_000}
TARGET_MS = 300
CACHE_TABLE = "bench_pages_cache"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = arguments(__doc__, DEFAULTS, organizations="generated beside the demo's")
    parser.add_argument("--runs", type=count, default=5, help="timed requests each (default 5)")
    args = parser.parse_args(argv)
    apply_scale(args, DEFAULTS)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    print(
        f"Scale: the demo + {args.organizations:,} generated organizations; "
        f"{args.runs} timed requests a page and language, each way; seed {args.seed}"
    )
    with django_on_engines("pages", args.keep):
        from django.core.management import call_command
        from django.test.utils import override_settings

        fill(args)
        cache = {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": CACHE_TABLE,
            }
        }
        # The test settings turn the page cache off; a benchmark measures it on.
        with override_settings(CACHES=cache, PAGE_CACHE_SECONDS=600):
            call_command("createcachetable", verbosity=0)
            measures = measure(args)
    report(measures)
    return 0


def fill(args: argparse.Namespace) -> None:
    """The demo, the generated organizations and the search index (the database is
    migrated by `django_on_engines`)."""
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    started = time.perf_counter()
    # The French pages in French (what `make run` compiles; *.mo files are not committed).
    call_command("compilemessages", ignore=[".venv", "node_modules"], verbosity=0)
    # No index sync on each save of the demo (the rebuild below fills the index at once).
    with override_settings(ELASTICSEARCH_URL=""), open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    call_command("generate_demo", organizations=args.organizations, seed=args.seed)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    call_command("search_index", "rebuild", verbosity=0)
    print(f"Filled in {time.perf_counter() - started:.1f} s")


def pages() -> list[tuple[str, str, str]]:
    """(page, English path, French path) for every public page the issue names."""
    from django.urls import reverse
    from django.utils import translation
    from wagtail.models import Locale

    from consultations.fora.models import Forum
    from consultations.models import ConsultationRoundPage, PolicyPage
    from organizations.funding.models import Programme
    from organizations.models import Organization, Sector

    def both(name: str, *args: str, query: str = "") -> tuple[str, str]:
        paths = []
        for language in ("en", "fr"):
            with translation.override(language):
                paths.append(reverse(name, args=args) + query)
        return paths[0], paths[1]

    def page_paths(page) -> tuple[str, str]:
        english = page
        french_locale = Locale.objects.filter(language_code="fr").first()
        french = english.get_translation_or_none(french_locale) if french_locale else None
        english_url = english.get_url()
        french_url = french.get_url() if french and french.live else "/fr" + english_url
        return english_url, french_url

    organization = Organization.objects.order_by("pk").first()
    sector = Sector.objects.filter(parent__isnull=True).order_by("code").first()
    forum = Forum.objects.order_by("pk").first()
    programme = Programme.objects.order_by("pk").first()
    policy = PolicyPage.objects.live().filter(locale__language_code="en").first()
    round_page = (
        ConsultationRoundPage.objects.live().filter(locale__language_code="en").order_by("pk")
    ).first()
    filters = f"?kind=community&recognition=recognized&region=qc&sector={sector.code}"
    listed = [
        ("home", ("/", "/fr/")),
        ("directory", both("organizations:list")),
        ("directory filtered", both("organizations:list", query=filters)),
        ("directory page 3", both("organizations:list", query="?page=3")),
        ("profile", both("organizations:detail", organization.slug)),
        ("fora", both("fora")),
        ("forum", both("forum", forum.slug)),
        ("funding", both("funding_explorer")),
        ("programme", both("funding_explorer", query=f"?programme={programme.slug}")),
        ("policies", both("policies")),
        ("policy", page_paths(policy)),
        ("round", page_paths(round_page)),
        ("open rounds", both("open_rounds")),
        ("positions", both("positions")),
        ("search", both("search:search", query="?q=community")),
        ("burden", both("burden")),
    ]
    return [(name, english, french) for name, (english, french) in listed]


def measure(args: argparse.Namespace) -> list[Measure]:
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    measures = []
    print(f"{'page':<28} {'uncached p50':>13} {'visitor p50':>12}  cached  path")
    for name, english, french in pages():
        for language, path in (("en", english), ("fr", french)):
            response = client.get(path, follow=True)
            assert response.status_code == 200, (path, response.status_code)
            if response.redirect_chain:  # e.g. the policies' entry, to their index page
                path = response.redirect_chain[-1][0]
            uncached, visitor, hits = [], [], 0
            for _run in range(args.runs):
                cache.clear()
                client.cookies.clear()
                started = time.perf_counter()
                client.get(path)
                uncached.append((time.perf_counter() - started) * 1000)
            client.get(path)
            for _run in range(args.runs):
                client.cookies.clear()
                started = time.perf_counter()
                response = client.get(path)
                visitor.append((time.perf_counter() - started) * 1000)
                hits += response.get("X-Page-Cache") == "hit"
            cold, warm = statistics.median(uncached), statistics.median(visitor)
            label = f"{name} ({language})"
            print(f"{label:<28} {cold:10.1f} ms {warm:9.1f} ms  {hits:>3}/{args.runs}  {path}")
            measures.append(
                Measure(
                    bench="pages",
                    name=f"{label} p50",
                    value=round(warm, 1),
                    unit="ms",
                    at_most=TARGET_MS,
                    detail=f"uncached p50 {cold:.1f} ms; {hits}/{args.runs} from the cache; {path}",
                )
            )
    return measures


if __name__ == "__main__":
    sys.exit(main())
