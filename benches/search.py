"""Benchmark: the archive search's full rebuild against a plain bulk of the same documents.

    make bench-search                          # 10,000 organizations + 90,000 fora:
                                               # 100,000 search documents
    .venv/bin/python benches/search.py --scale 0.1   # 1,000 + 9,000 = 10,000 (make bench)
    .venv/bin/python benches/search.py --documents 20000 --repeats 5

Not part of the test suite. Like every benchmark it works in a throwaway PostgreSQL
database and a real Elasticsearch (benches/engines.py: `DATABASE_URL`'s server and
`ELASTICSEARCH_URL`'s node, otherwise throwaway ones started with `scripts/postgres` and
`scripts/elasticsearch`, state in `var/bench-*`, so engines running for the tests are
left alone). Its indices use the prefix `ELASTICSEARCH_INDEX_PREFIX` (default
`bench-search-<random>`) and are deleted at the end unless `--keep`.

The documents are real records read by the real indexing code: the organizations come
from `manage.py generate_demo`, the rest of the documents are fora (a registered kind:
name, description, convenor, region, sectors) written with PostgreSQL's COPY
(benches/fill.py, which benches/search_query.py and cluster.py use too). Then,
`--repeats` times, interleaved:

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
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

from engines import django_on_engines  # noqa: E402 - benches/ is the script's folder
from fill import archive_arguments, fill_archive, parse_archive_arguments  # noqa: E402
from report import Measure, count, report  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = archive_arguments(__doc__)
    parser.add_argument(
        "--repeats", type=count, default=3, help="rebuilds and plain bulks each (default 3)"
    )
    args = parse_archive_arguments(parser, argv)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # in order with the progress bars
    print(
        f"Scale: {args.documents:,} search documents: {args.organizations:,} organizations "
        f"+ {args.documents - args.organizations:,} fora; {args.repeats} rebuilds and plain "
        f"bulks, interleaved; seed {args.seed}"
    )
    with django_on_engines("search", args.keep):
        started = time.perf_counter()
        fill_archive(args.organizations, args.documents, args.seed)
        print(f"Filled in {time.perf_counter() - started:.1f} s")
        report(measure_rebuild(args.repeats))
    return 0


def measure_rebuild(repeats: int = 3) -> list[Measure]:
    """Rebuilds and plain bulks of the same documents, interleaved, `repeats` of each;
    the measure is the ratio of their median throughputs."""
    from elasticsearch.helpers import bulk

    import search.rebuild
    from search import engine
    from search.chunks import CHUNK_SIZE, iter_chunks, iter_document_chunks
    from search.index import create_index, new_index_name
    from search.registry import registry

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
        for searchable in registry
        for chunk in iter_chunks(searchable)
        for instance in chunk
        for document_id, document in searchable.documents(instance)
    ]
    built_from_instances = time.perf_counter() - started
    # What the rebuild's reading and building alone take (rows where a kind has them).
    started = time.perf_counter()
    built = sum(
        len(documents)
        for searchable in registry
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
