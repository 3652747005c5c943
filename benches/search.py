"""Benchmark: the archive search on Elasticsearch — rebuild throughput and query latency.

    make bench-search                          # 10,000 organizations + 90,000 fora:
                                               # 100,000 search documents
    make bench-search ARGS="--scale 0.02"      # a quick run: 200 + 1,800 = 2,000
    .venv/bin/python benches/search.py --documents 20000 --runs 500

Not part of the test suite. Like benches/burden.py it works in a throwaway PostgreSQL
database (on `DATABASE_URL`'s server when that is a PostgreSQL URL, otherwise on a
cluster started with `scripts/postgres`, state in `var/bench-postgres`), and it needs a
real Elasticsearch: `ELASTICSEARCH_URL`'s, otherwise one started here with
`scripts/elasticsearch` (state in `var/bench-elasticsearch`, so an engine running for
the tests is left alone) and stopped at the end. Its indices use the prefix
`ELASTICSEARCH_INDEX_PREFIX` (default `bench-search-<random>`) and are deleted at the end.

The documents are real records read by the real indexing code: the organizations come
from `manage.py generate_demo`, the rest of the documents are fora (a registered kind:
name, description, convenor, region, sectors) written with PostgreSQL's COPY. Then:

1. **Rebuild**: `search.rebuild.rebuild()` — what `manage.py search_index rebuild` runs:
   new index, read every record in chunks, `to_document`, `streaming_bulk`, refresh, alias
   swap, catch-up reconcile — against a plain `elasticsearch.helpers.bulk` of the very
   same documents (built beforehand in memory from `to_document`) into a fresh index
   with the same mapping, refresh included. Both in documents per second.
2. **Query**: a faceted query (words, a sector filter, every facet counted) through the
   JSON API (`GET /api/search/` with Django's test client: parameters parsed, query
   built, sent, hits and facets shaped, JSON written) against the same request body
   (`ArchiveQuery.to_search(alias).to_dict()`) sent directly with the Elasticsearch
   client. Warm-up runs, then p50/p95 over `--runs` runs of each, interleaved.
"""

import argparse
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

from engines import elasticsearch_server, postgres_server, throwaway_database  # noqa: E402 - benches/ is the script's folder

DEFAULTS = {"organizations": 10_000, "documents": 100_000}
CHUNK = 10_000
# Words of the synthetic fora descriptions; the timed query asks for two of them.
WORDS_EN = [
    "health",
    "network",
    "regional",
    "housing",
    "food",
    "security",
    "transport",
    "youth",
    "elders",
    "employment",
    "training",
    "culture",
    "environment",
    "water",
    "forestry",
    "fisheries",
    "mining",
    "community",
    "development",
    "policy",
    "consultation",
    "table",
    "agreement",
    "funding",
    "report",
]
WORDS_FR = [
    "santé",
    "réseau",
    "régional",
    "logement",
    "sécurité",
    "alimentaire",
    "transport",
    "jeunesse",
    "aînés",
    "emploi",
    "formation",
    "culture",
    "environnement",
    "eau",
    "forêt",
    "pêche",
    "mines",
    "communauté",
    "développement",
    "politique",
    "concertation",
    "table",
    "entente",
    "financement",
    "rapport",
]
QUERY_TEXT = "health network"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiplies the default sizes (default 1)"
    )
    parser.add_argument("--organizations", type=int, metavar="N", help="default 10,000 × scale")
    parser.add_argument(
        "--documents",
        type=int,
        metavar="N",
        help="search documents in all, the organizations plus fora (default 100,000 × scale)",
    )
    parser.add_argument("--runs", type=int, default=200, help="timed queries each (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed queries each (default 20)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the database, print its URL")
    args = parser.parse_args(argv)
    for name, default in DEFAULTS.items():
        if getattr(args, name) is None:
            setattr(args, name, max(1, round(default * args.scale)))
    if args.organizations < 1:
        parser.error("--organizations must be at least 1")
    if args.documents < args.organizations:
        parser.error("--documents must be at least --organizations")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # in order with the progress bars
    print(
        f"Scale: {args.documents:,} search documents: {args.organizations:,} organizations "
        f"+ {args.documents - args.organizations:,} fora; {args.runs} timed queries "
        f"after {args.warmup} warm-up; seed {args.seed}"
    )
    with (
        elasticsearch_server() as es_url,
        postgres_server() as server,
        throwaway_database(server, args.keep, "bench_search") as url,
    ):
        os.environ["DATABASE_URL"] = url
        os.environ["ELASTICSEARCH_URL"] = es_url
        os.environ.setdefault("ELASTICSEARCH_INDEX_PREFIX", f"bench-search-{secrets.token_hex(4)}")
        os.environ.setdefault("ELASTICSEARCH_TIMEOUT", "120")
        os.environ["DJANGO_SETTINGS_MODULE"] = "concertation.settings.test"
        import django

        django.setup()
        from django.core.management import call_command

        from search.index import drop_all

        try:
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            print(f"Migrated in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            fill(args)
            print(f"Filled in {time.perf_counter() - started:.1f} s")
            measure_rebuild()
            measure_queries(args)
        finally:
            drop_all()
    return 0


def fill(args: argparse.Namespace) -> None:
    """The organizations (generate_demo), then fora up to --documents, with COPY. Bulk
    writes bypass the indexing signals, as a real rebuild's database would."""
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from tqdm import tqdm

    from consultations.fora.models import Forum
    from organizations.models import Organization, Region, Sector
    from search.rebuild import count_documents

    call_command("generate_demo", organizations=args.organizations, seed=args.seed)
    rng = random.Random(args.seed)
    fora = max(0, args.documents - count_documents())
    organizations = list(Organization.objects.values_list("pk", flat=True))
    regions = list(Region.objects.values_list("pk", flat=True))
    sectors = list(Sector.objects.values_list("pk", flat=True))
    levels = ("local", "regional", "national", "multisectoral")
    kinds = ("government_table", "sector_table", "health_board", "development_council")
    through = Forum.sectors.through
    with transaction.atomic(), connection.cursor() as cursor:
        with (
            cursor.cursor.copy(
                f"COPY {Forum._meta.db_table} (id, name, slug, level, kind, convenor_id, "
                "region_id, active_from, description) FROM STDIN"
            ) as stream,
            tqdm(total=fora, unit="forum", file=sys.stderr) as bar,
        ):
            for pk in range(1, fora + 1):
                words = rng.sample(WORDS_EN, 8) + rng.sample(WORDS_FR, 8)
                stream.write_row(
                    (
                        pk,
                        f"Synthetic forum {pk} on {' and '.join(words[:2])}",
                        f"synthetic-forum-{pk}",
                        rng.choice(levels),
                        rng.choice(kinds),
                        rng.choice(organizations),
                        rng.choice(regions) if rng.random() < 0.8 else None,
                        f"{2000 + rng.randint(0, 24)}-{rng.randint(1, 12):02}-01",
                        " ".join(words),
                    )
                )
                if pk % CHUNK == 0:
                    bar.update(CHUNK)
            bar.update(fora % CHUNK)
        with cursor.cursor.copy(
            f"COPY {through._meta.db_table} (forum_id, sector_id) FROM STDIN"
        ) as stream:
            for pk in range(1, fora + 1):
                for sector in rng.sample(sectors, rng.randint(1, 2)):
                    stream.write_row((pk, sector))
        for statement in connection.ops.sequence_reset_sql(no_style(), [Forum]):
            cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    by_kind = {searchable.kind: searchable.get_queryset().count() for searchable in searchables()}
    print(
        f"Search documents: {sum(by_kind.values()):,} ("
        + ", ".join(f"{n:,} {kind}" for kind, n in by_kind.items() if n)
        + ")"
    )


def searchables():
    from search.registry import registry

    return registry


def measure_rebuild() -> None:
    from elasticsearch.helpers import bulk
    from tqdm import tqdm

    import search.rebuild
    from search import engine
    from search.chunks import CHUNK_SIZE, iter_chunks
    from search.index import create_index, new_index_name
    from search.rebuild import count_documents

    client = engine.get_client()
    total = count_documents()

    # Ours: what `manage.py search_index rebuild` runs (its progress bar included). The
    # catch-up reconcile after the swap is part of it; its share is timed on the side.
    catch_up = search.rebuild.catch_up
    catch_up_seconds = []

    def timed_catch_up(*args, **kwargs):
        started = time.perf_counter()
        try:
            return catch_up(*args, **kwargs)
        finally:
            catch_up_seconds.append(time.perf_counter() - started)

    search.rebuild.catch_up = timed_catch_up
    try:
        with tqdm(total=total, unit="doc", file=sys.stderr, desc="rebuild") as bar:
            started = time.perf_counter()
            _name, written = search.rebuild.rebuild(progress=bar.update)
            ours = time.perf_counter() - started
    finally:
        search.rebuild.catch_up = catch_up

    # The same documents, built beforehand (not timed in the bulk), then a plain bulk.
    started = time.perf_counter()
    actions = [
        {"_id": searchable.document_id(instance.pk), "_source": searchable.to_document(instance)}
        for searchable in searchables()
        for chunk in iter_chunks(searchable)
        for instance in chunk
    ]
    built = time.perf_counter() - started
    plain_index = new_index_name() + "-plain"
    create_index(plain_index)
    try:
        started = time.perf_counter()
        done, _errors = bulk(client, actions, index=plain_index, chunk_size=CHUNK_SIZE)
        client.indices.refresh(index=plain_index)
        plain = time.perf_counter() - started
        indexed = client.count(index=plain_index)["count"]
    finally:
        client.indices.delete(index=plain_index, ignore_unavailable=True)

    print(
        f"Rebuild (search.rebuild.rebuild, {written:,} documents): {ours:.1f} s, "
        f"{written / ours:,.0f} docs/s (catch-up reconcile {sum(catch_up_seconds):.1f} s of it)"
    )
    print(
        f"Plain helpers.bulk ({done:,} documents, {indexed:,} in the index, chunks of "
        f"{CHUNK_SIZE}): {plain:.1f} s, {done / plain:,.0f} docs/s "
        f"(building them from the database beforehand took {built:.1f} s)"
    )
    print(f"Ratio plain / ours: {(done / plain) / (written / ours):.2f}× the throughput")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure_queries(args: argparse.Namespace) -> None:
    from django.http import QueryDict
    from django.test import Client

    from search import engine
    from search.index import alias_name
    from search.query import ArchiveQuery

    client = engine.get_client()
    sector = client.search(
        index=alias_name(),
        size=0,
        aggs={"sector": {"terms": {"field": "sector", "size": 1}}},
    )["aggregations"]["sector"]["buckets"][0]["key"]
    params = {"q": QUERY_TEXT, "sector": sector}
    query_string = urlencode(params)
    body = ArchiveQuery.from_params(QueryDict(query_string)).to_search(alias_name()).to_dict()
    http = Client()

    def through_api() -> dict:
        response = http.get("/api/search/", params)
        assert response.status_code == 200, response.content[:500]
        return response.json()

    def direct() -> dict:
        return client.search(index=alias_name(), ignore_unavailable=True, **body).body

    api_answer, raw_answer = through_api(), direct()
    assert api_answer["backend"] == "elasticsearch", api_answer
    assert api_answer["total"] == raw_answer["hits"]["total"]["value"]
    print(
        f"Query: GET /api/search/?{query_string} (all {len(api_answer['facets'])} facets "
        f"counted): {api_answer['total']:,} hits, {len(api_answer['results'])} on the page"
    )
    for _run in range(args.warmup):
        through_api()
        direct()
    timings: dict[str, list[float]] = {"api": [], "direct": []}
    for _run in range(args.runs):
        for name, call in (("api", through_api), ("direct", direct)):
            started = time.perf_counter()
            call()
            timings[name].append((time.perf_counter() - started) * 1000)
    summary = {
        name: (percentile(values, 0.5), percentile(values, 0.95), statistics.mean(values))
        for name, values in timings.items()
    }
    for name, label in (("api", "through the API"), ("direct", "raw request, ES client")):
        p50, p95, mean = summary[name]
        print(f"  {label:<24} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   mean {mean:6.1f} ms")
    print(
        f"  ratio API / raw:         p50 {summary['api'][0] / summary['direct'][0]:.2f}×"
        f"        p95 {summary['api'][1] / summary['direct'][1]:.2f}× "
        f"({args.runs} runs each after {args.warmup} warm-up, interleaved)"
    )


if __name__ == "__main__":
    sys.exit(main())
