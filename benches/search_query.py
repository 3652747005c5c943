"""Benchmark: archive query speed — the engine's own time, the API against a raw
request, and the `/search/` HTML page.

    .venv/bin/python benches/search_query.py --scale 0.1   # 1,000 organizations + 9,000 fora
    .venv/bin/python benches/search_query.py               # full scale: 100,000 documents

Not part of the test suite. The data is what benches/search.py fills (benches/fill.py:
organizations from `manage.py generate_demo`, then synthetic fora up to `--documents`),
indexed with `search.rebuild.rebuild()`, in a throwaway database and index prefix
(engines from `DATABASE_URL` and `ELASTICSEARCH_URL`, or throwaway ones:
benches/engines.py). Then,
interleaved, `--runs` times each after `--warmup` untimed runs:

1. **Raw faceted query**: `ArchiveQuery.to_search(alias).to_dict()` for a two-word query,
   a sector filter and all eight facets, sent with the Elasticsearch client; the
   engine's `took` (milliseconds) is the measure, p50 and p95. The same for a query with
   typos (`TYPO_TEXT`), whose hits match through the fuzzy clause only, as a detail.
2. **API / raw**: `GET /api/search/` with the same parameters through Django's test
   client, against the wall time of the raw request (p50 ratio).
3. **`/search/` page**: `GET /search/?q=…` (the HTML page, no filter), wall time p50.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

from engines import django_on_engines  # noqa: E402 - benches/ is the script's folder
from fill import archive_arguments, fill_archive, parse_archive_arguments  # noqa: E402
from report import Measure, count, percentile, report  # noqa: E402

BENCH = "search query"
QUERY_TEXT = "health network"
# Both words a letter off: the hits match through the fuzzy clause alone.
TYPO_TEXT = "helth netwrk"
PAGE_TEXT = "community development"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = archive_arguments(__doc__)
    parser.add_argument("--runs", type=count, default=50, help="timed runs each (default 50)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed runs each (default 5)")
    args = parse_archive_arguments(parser, argv)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    print(
        f"Scale: {args.documents:,} search documents: {args.organizations:,} organizations "
        f"+ {args.documents - args.organizations:,} fora; {args.runs} timed runs after "
        f"{args.warmup} warm-up; seed {args.seed}"
    )
    with django_on_engines("search_query", args.keep):
        from search import rebuild

        started = time.perf_counter()
        fill_archive(args.organizations, args.documents, args.seed)
        rebuild.rebuild()
        print(f"Filled and indexed in {time.perf_counter() - started:.1f} s")
        report(measure(args))
    return 0


def measure(args: argparse.Namespace) -> list[Measure]:
    from django.http import QueryDict
    from django.test import Client

    from search import engine
    from search.index import alias_name
    from search.query import ArchiveQuery

    client = engine.get_client()
    alias = alias_name()
    sector = client.search(
        index=alias, size=0, aggs={"sector": {"terms": {"field": "sector", "size": 1}}}
    )["aggregations"]["sector"]["buckets"][0]["key"]
    http = Client()

    def raw_call(text: str):
        params = {"q": text, "sector": sector}
        body = ArchiveQuery.from_params(QueryDict(urlencode(params))).to_search(alias).to_dict()
        return lambda: client.search(index=alias, ignore_unavailable=True, **body).body

    def get(path: str, params: dict):
        def call():
            response = http.get(path, params)
            assert response.status_code == 200, response.content[:500]
            return response

        return call

    calls = {
        "raw": raw_call(QUERY_TEXT),
        "raw typo": raw_call(TYPO_TEXT),
        "api": get("/api/search/", {"q": QUERY_TEXT, "sector": sector}),
        "page": get("/search/", {"q": PAGE_TEXT}),
    }
    exact, typo = calls["raw"](), calls["raw typo"]()
    api = calls["api"]().json()
    page = calls["page"]()
    assert api["total"] == exact["hits"]["total"]["value"] > 0, (api["total"], exact["hits"])
    passages = {
        "exact": sum(1 for hit in api["results"] if hit["highlights"]),
        "page": page.content.count(b'class="highlight"'),
    }
    print(
        f"Query {QUERY_TEXT!r} + sector {sector!r}: {api['total']:,} hits, "
        f"{passages['exact']} of {len(api['results'])} on the page with a passage; "
        f"typos {TYPO_TEXT!r}: {typo['hits']['total']['value']:,} hits; "
        f"page {PAGE_TEXT!r}: {passages['page']} passages"
    )
    for _run in range(args.warmup):
        for call in calls.values():
            call()
    took: dict[str, list[float]] = {"raw": [], "raw typo": []}
    wall: dict[str, list[float]] = {name: [] for name in calls}
    for _run in range(args.runs):
        for name, call in calls.items():
            started = time.perf_counter()
            answer = call()
            wall[name].append((time.perf_counter() - started) * 1000)
            if name in took:
                took[name].append(answer["took"])
    for name, values in [*((f"{n} took", v) for n, v in took.items()), *wall.items()]:
        print(
            f"  {name:<14} p50 {percentile(values, 0.5):7.1f} ms   "
            f"p95 {percentile(values, 0.95):7.1f} ms   mean {statistics.mean(values):7.1f} ms"
        )
    size = f"{args.documents:,} documents"
    ratio = percentile(wall["api"], 0.5) / percentile(wall["raw"], 0.5)
    return [
        Measure(
            BENCH,
            "raw faceted query took p50",
            percentile(took["raw"], 0.5),
            "ms",
            at_most=50,
            detail=f"engine `took`, 8 facets, {size}; with typos "
            f"{percentile(took['raw typo'], 0.5):.0f} ms p50",
        ),
        Measure(
            BENCH,
            "raw faceted query took p95",
            percentile(took["raw"], 0.95),
            "ms",
            at_most=100,
            detail=f"with typos {percentile(took['raw typo'], 0.95):.0f} ms p95",
        ),
        Measure(
            BENCH,
            "API / raw p50",
            ratio,
            "×",
            at_most=1.1,
            detail=f"{percentile(wall['api'], 0.5):.1f} vs {percentile(wall['raw'], 0.5):.1f} ms",
        ),
        Measure(
            BENCH,
            "/search/ page p50",
            percentile(wall["page"], 0.5),
            "ms",
            at_most=150,
            detail=f"{args.organizations:,} organizations + "
            f"{args.documents - args.organizations:,} fora indexed",
        ),
    ]


if __name__ == "__main__":
    sys.exit(main())
