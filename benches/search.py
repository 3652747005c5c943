"""Benchmark: the archive search's full rebuild against a plain bulk of the same documents.

    make bench-search                          # 10,000 organizations + 90,000 fora:
                                               # 100,000 search documents
    .venv/bin/python benches/search.py --scale 0.1   # 1,000 + 9,000 = 10,000 (make bench)
    .venv/bin/python benches/search.py --documents 20000 --repeats 5

Not part of the test suite. Like benches/burden.py it works in a throwaway PostgreSQL
database (on `DATABASE_URL`'s server when that is a PostgreSQL URL, otherwise on a
cluster started with `scripts/postgres`, state in `var/bench-postgres`), and it needs a
real Elasticsearch: `ELASTICSEARCH_URL`'s, otherwise one started here with
`scripts/elasticsearch` (state in `var/bench-elasticsearch`, so an engine running for
the tests is left alone) and stopped at the end. Its indices use the prefix
`ELASTICSEARCH_INDEX_PREFIX` (default `bench-search-<random>`) and are deleted at the end.

The documents are real records read by the real indexing code: the organizations come
from `manage.py generate_demo`, the rest of the documents are fora (a registered kind:
name, description, convenor, region, sectors) written with PostgreSQL's COPY (`fill`,
which benches/search_query.py uses too). Then, `--repeats` times, interleaved:

- **ours**: `search.rebuild.rebuild()` — what `manage.py search_index rebuild` runs: new
  index, read every record in chunks and build its documents, bulk requests, refresh,
  alias swap, catch-up (its time is reported on the side);
- **plain**: `elasticsearch.helpers.bulk` of the very same documents (built beforehand
  in memory with `to_document`, not timed) into a fresh index with the same mapping,
  chunks of 500, refresh included.

The measure is the ratio of their median throughputs (documents per second), "rebuild
/ plain bulk", target at least 0.7 (issue #15), reported through benches/report.py.
The query benchmark is benches/search_query.py.
"""

import argparse
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

from engines import elasticsearch_server, postgres_server, throwaway_database  # noqa: E402 - benches/ is the script's folder
from report import Measure, apply_scale, report  # noqa: E402

DEFAULTS = {"organizations": 10_000, "documents": 100_000}
CHUNK = 10_000
# Words of the synthetic fora descriptions (benches/search_query.py asks for two of them).
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
    parser.add_argument(
        "--repeats", type=int, default=3, help="rebuilds and plain bulks each (default 3)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the database, print its URL")
    args = parser.parse_args(argv)
    apply_scale(args, DEFAULTS)
    if args.organizations < 1:
        parser.error("--organizations must be at least 1")
    if args.documents < args.organizations:
        parser.error("--documents must be at least --organizations")
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # in order with the progress bars
    print(
        f"Scale: {args.documents:,} search documents: {args.organizations:,} organizations "
        f"+ {args.documents - args.organizations:,} fora; {args.repeats} rebuilds and plain "
        f"bulks, interleaved; seed {args.seed}"
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
            report(measure_rebuild(args.repeats))
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


def measure_rebuild(repeats: int = 3) -> list[Measure]:
    """Rebuilds and plain bulks of the same documents, interleaved, `repeats` of each;
    the measure is the ratio of their median throughputs."""
    from elasticsearch.helpers import bulk

    import search.rebuild
    from search import engine
    from search.chunks import CHUNK_SIZE, iter_chunks, iter_document_chunks
    from search.index import create_index, new_index_name

    client = engine.get_client()

    # The catch-up after the swap is part of the rebuild; its share is timed on the side.
    catch_up = search.rebuild.catch_up
    catch_up_seconds: list[float] = []

    def timed_catch_up(*args, **kwargs):
        started = time.perf_counter()
        try:
            return catch_up(*args, **kwargs)
        finally:
            catch_up_seconds.append(time.perf_counter() - started)

    # The plain bulk's documents, built beforehand with `to_document` (not timed).
    started = time.perf_counter()
    actions = [
        {"_id": document_id, "_source": document}
        for searchable in searchables()
        for chunk in iter_chunks(searchable)
        for instance in chunk
        for document_id, document in searchable.documents(instance)
    ]
    built_from_instances = time.perf_counter() - started
    # What the rebuild's reading and building alone take (rows where a kind has them).
    started = time.perf_counter()
    built = sum(
        len(documents)
        for searchable in searchables()
        for _records, documents in iter_document_chunks(searchable)
    )
    building = time.perf_counter() - started
    assert built == len(actions), (built, len(actions))

    ours: list[float] = []
    plain: list[float] = []
    search.rebuild.catch_up = timed_catch_up
    try:
        for repeat in range(repeats):
            started = time.perf_counter()
            _name, written = search.rebuild.rebuild()
            ours.append(written / (time.perf_counter() - started))

            plain_index = new_index_name() + "-plain"
            create_index(plain_index)
            try:
                started = time.perf_counter()
                done, _errors = bulk(client, actions, index=plain_index, chunk_size=CHUNK_SIZE)
                client.indices.refresh(index=plain_index)
                plain.append(done / (time.perf_counter() - started))
                indexed = client.count(index=plain_index)["count"]
            finally:
                client.indices.delete(index=plain_index, ignore_unavailable=True)
            assert written == done == indexed == len(actions), (written, done, indexed)
            print(
                f"  run {repeat + 1}: rebuild {ours[-1]:,.0f} docs/s "
                f"(catch-up {catch_up_seconds[-1]:.2f} s), plain bulk {plain[-1]:,.0f} docs/s"
            )
    finally:
        search.rebuild.catch_up = catch_up

    ours_median, plain_median = statistics.median(ours), statistics.median(plain)
    catch_up_median = statistics.median(catch_up_seconds)
    detail = (
        f"{len(actions):,} documents, median of {repeats}: rebuild {ours_median:,.0f} docs/s, "
        f"plain bulk {plain_median:,.0f} docs/s; catch-up {catch_up_median:.2f} s; "
        f"building alone {len(actions) / building:,.0f} docs/s "
        f"(from instances: {len(actions) / built_from_instances:,.0f} docs/s)"
    )
    return [
        Measure(
            bench="search",
            name="rebuild / plain bulk",
            value=round(ours_median / plain_median, 2),
            unit="×",
            at_least=0.7,
            detail=detail,
        )
    ]


if __name__ == "__main__":
    sys.exit(main())
