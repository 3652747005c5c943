"""Benchmark: the archive search on a two-node Elasticsearch cluster against one node.

    .venv/bin/python benches/cluster.py --scale 0.1   # 1,000 organizations + 9,000 fora
    make bench ARGS="--only cluster"                  # the same through benches/run.py

Not part of the test suite. It compares two Elasticsearch engines of the same make,
started one after the other with the project's script while the database fills (and
warmed up alike, so that neither JVM is warmer than the other), and stopped at the end:

- **one node**: `scripts/elasticsearch start` (state in `var/bench-cluster-one-elasticsearch`);
- **two nodes**: `ES_NODES=2 scripts/elasticsearch start` (state in
  `var/bench-cluster-elasticsearch`).

With `ELASTICSEARCH_CLUSTER_URL` set (several URLs, comma-separated) it uses that cluster
and `ELASTICSEARCH_URL`'s node instead, and skips the node-down step.

Both run on this machine: the cluster's two nodes share its cores, so it cannot be faster
than one node here; what the benchmark shows is that the project's own code rebuilds and
queries a sharded, replicated index on a real cluster, at what cost. In a throwaway
PostgreSQL database it writes the archive of benches/search.py (benches/fill.py:
`--organizations` organizations from `manage.py generate_demo`, fora up to `--documents`
search documents with COPY), then, for each engine:

1. **Rebuild**, after a warm-up of each engine (5,000 scratch documents indexed and
   searched, untimed), with `search.rebuild.rebuild()` (what `manage.py search_index rebuild`
   runs), one shard and no replica on one node, `--shards` shards and `--replicas`
   replica(s) on the cluster, where the time runs until the cluster is green (every
   replica assigned and in step). Documents per second.
2. Checks the cluster: green, every shard with a started replica on another node than its
   primary, every document counted through the alias.
3. **Query**: a faceted query through `GET /api/search/` (Django's test client), the two
   engines interleaved: p50 and p95 over `--runs` runs.
4. **A node down** (the cluster started here only): stops the second node and asks the
   same query `--runs` / 10 times through the API, `ELASTICSEARCH_URL` still naming both
   nodes: how many the engine answered (not the database fallback).

It also prints the index's size on disk per document (primaries, after a forced merge),
the figure docs/deploy.md sizes a cluster from.
"""

import argparse
import logging
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

from engines import django_on_engines  # noqa: E402 - benches/ is the script's folder
from fill import (  # noqa: E402
    WORDS_EN,
    WORDS_FR,
    archive_arguments,
    fill_archive,
    parse_archive_arguments,
)
from report import Measure, percentile, report  # noqa: E402

BENCH = "cluster"
QUERY = {"q": "health network"}
CLUSTER_STATE = ROOT / "var" / "bench-cluster-elasticsearch"
SINGLE_STATE = ROOT / "var" / "bench-cluster-one-elasticsearch"
# Targets. The cluster's nodes share this machine's two cores and every document is
# written twice (primary and replica): half the one-node throughput is what a correct
# setup can reach here. A query fans out to two shards and merges them: it may cost more,
# not half as much again.
REBUILD_AT_LEAST = 0.5
QUERY_AT_MOST = 1.5


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = archive_arguments(__doc__)
    parser.add_argument("--shards", type=int, default=2, help="the cluster's shards (default 2)")
    parser.add_argument("--replicas", type=int, default=1, help="its replicas (default 1)")
    parser.add_argument("--runs", type=int, default=60, help="timed queries each (default 60)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed queries each (default 20)")
    args = parse_archive_arguments(parser, argv)
    if args.shards < 1 or args.replicas < 0 or args.runs < 10:
        parser.error("--shards ≥ 1, --replicas ≥ 0 and --runs ≥ 10, please")
    return args


class Started:
    """An engine of `nodes` nodes: the one `given`, or one started with
    scripts/elasticsearch in a background thread (`start()` returns at once, `url()`
    waits for it). Started `after` another, never at the same time: two starts at once
    may pick the same free port."""

    def __init__(self, nodes: int, state: Path, given: str = "") -> None:
        self.nodes, self.state, self.given = nodes, state, given
        self.script = str(ROOT / "scripts" / "elasticsearch")
        self.env = {**os.environ, "ES_NODES": str(nodes), "ES_STATE_DIR": str(state)}
        self.thread: threading.Thread | None = None
        self.started: subprocess.CompletedProcess | None = None

    @property
    def ours(self) -> bool:
        return not self.given

    def start(self, after: "Started | None" = None) -> None:
        if not self.ours:
            return

        def run() -> None:
            if after is not None and after.thread is not None:
                after.thread.join()
            print(f"Starting {self.nodes} Elasticsearch node(s) (ES_NODES={self.nodes})")
            self.started = subprocess.run(
                [self.script, "start"], env=self.env, stdout=subprocess.PIPE, text=True
            )

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def url(self) -> str:
        if not self.ours:
            return self.given
        assert self.thread is not None
        self.thread.join()
        if self.started is None or self.started.returncode:
            raise SystemExit(f"{self.nodes} Elasticsearch node(s) did not start")
        return self.started.stdout.strip().splitlines()[-1]

    def stop_second_node(self) -> None:
        """Stop node 2 as a crash would leave it: the state file names its pid."""
        state = dict(
            line.split("=", 1)
            for line in (self.state / "state").read_text().splitlines()
            if "=" in line
        )
        pid = int(state["pid_2"])
        os.kill(pid, 9)
        for _ in range(100):
            if not Path(f"/proc/{pid}").exists():
                break
            time.sleep(0.1)

    def stop(self) -> None:
        if self.ours and self.thread is not None:
            self.thread.join()
            subprocess.run([self.script, "stop"], env=self.env, check=False)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    print(
        f"Scale: {args.documents:,} search documents ({args.organizations:,} organizations "
        f"+ fora); cluster index: {args.shards} shards, {args.replicas} replica(s); "
        f"{args.runs} timed queries a side after {args.warmup} warm-up"
    )
    # Both engines start side by side while the database fills, so that neither JVM is
    # warmer than the other; given a cluster, the one node is ELASTICSEARCH_URL's.
    given = os.environ.get("ELASTICSEARCH_CLUSTER_URL", "")
    cluster = Started(2, CLUSTER_STATE, given)
    single = Started(1, SINGLE_STATE, os.environ.get("ELASTICSEARCH_URL", "") if given else "")
    cluster.start()
    single.start(after=cluster)
    try:
        # No ELASTICSEARCH_URL: each engine is named in turn (Engine.use).
        with django_on_engines("cluster", args.keep, elasticsearch=False):
            run(args, cluster, single)
    finally:
        cluster.stop()
        single.stop()
    return 0


def run(args: argparse.Namespace, cluster: Started, single: Started) -> None:
    started = time.perf_counter()
    fill_archive(args.organizations, args.documents, args.seed)
    print(f"Filled in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    cluster_url, single_url = cluster.url(), single.url()
    print(
        f"One node: {single_url}; two-node cluster: {cluster_url} "
        f"(waited {time.perf_counter() - started:.1f} s)"
    )
    engines = {
        "one node": Engine(single_url, shards=1, replicas=0),
        "two nodes": Engine(cluster_url, shards=args.shards, replicas=args.replicas),
    }
    try:
        for engine in engines.values():
            engine.warm_up(args.seed)
        for name, engine in engines.items():
            engine.rebuild()
            print(
                f"Rebuild on {name} ({engine.shards} shard(s), {engine.replicas} replica(s)): "
                f"{engine.written:,} documents in {engine.seconds:.1f} s, "
                f"{engine.written / engine.seconds:,.0f} docs/s"
            )
        healthy, health_detail = engines["two nodes"].check_replicated(args.replicas)
        print(f"Cluster check: {health_detail}")
        size_detail = engines["one node"].size_per_document()
        print(f"Index size: {size_detail}")
        timings = measure_queries(args, engines)
        answered = None
        if cluster.ours:
            cluster.stop_second_node()
            # The client logs each refused connection with its traceback: expected here.
            logging.getLogger("elastic_transport").setLevel(logging.ERROR)
            answered = engines["two nodes"].queries_answered(max(5, args.runs // 10))
            print(f"Node 2 stopped: {answered:.0%} of the queries answered by the engine")
    finally:
        for engine in engines.values():
            engine.drop()

    one, two = engines["one node"], engines["two nodes"]
    rebuild_ratio = (two.written / two.seconds) / (one.written / one.seconds)
    p50 = {name: percentile(values, 0.5) for name, values in timings.items()}
    p95 = {name: percentile(values, 0.95) for name, values in timings.items()}
    measures = [
        Measure(
            BENCH,
            "two-node / one-node rebuild throughput",
            rebuild_ratio,
            "×",
            at_least=REBUILD_AT_LEAST,
            detail=(
                f"{two.written / two.seconds:,.0f} vs {one.written / one.seconds:,.0f} docs/s, "
                f"{two.written:,} documents; {args.shards} shards and {args.replicas} "
                "replica(s) on two nodes (until green) vs 1 shard on one node, same machine"
            ),
        ),
        Measure(
            BENCH,
            "two-node / one-node query p50 (API)",
            p50["two nodes"] / p50["one node"],
            "×",
            at_most=QUERY_AT_MOST,
            detail=(
                f"p50 {p50['two nodes']:.1f} vs {p50['one node']:.1f} ms, p95 "
                f"{p95['two nodes']:.1f} vs {p95['one node']:.1f} ms, GET /api/search/"
                f"?q={QUERY['q'].replace(' ', '+')} with its facets, {args.runs} runs each"
            ),
        ),
        Measure(
            BENCH,
            "two-node cluster green, replicas assigned",
            1.0 if healthy else 0.0,
            "",
            at_least=1,
            detail=f"{health_detail}; {size_detail}",
        ),
    ]
    if answered is not None:
        measures.append(
            Measure(
                BENCH,
                "queries answered with one node of two stopped",
                answered,
                "×",
                at_least=1,
                detail="node 2 killed; ELASTICSEARCH_URL still names both; answered by "
                "Elasticsearch, not the database fallback",
            )
        )
    report(measures)


class Engine:
    """One Elasticsearch (a node or a cluster) and the index this benchmark built on it."""

    def __init__(self, url: str, *, shards: int, replicas: int) -> None:
        self.url, self.shards, self.replicas = url, shards, replicas
        self.written = 0
        self.seconds = 0.0

    def use(self) -> None:
        """Point the project's settings at this engine (the client is cached per URL)."""
        from django.conf import settings

        settings.ELASTICSEARCH_URL = self.url
        settings.ELASTICSEARCH_SHARDS = self.shards
        settings.ELASTICSEARCH_REPLICAS = self.replicas

    def client(self):
        from search import engine

        self.use()
        return engine.get_client()

    def warm_up(self, seed: int, documents: int = 5_000) -> None:
        """Index and search a scratch index first: a JVM just started runs its first
        minute of work several times slower (JIT compilation), which would be timed."""
        from elasticsearch.helpers import bulk

        from search.index import alias_name, create_index

        client = self.client()
        rng = random.Random(seed)
        words = WORDS_EN + WORDS_FR
        scratch = f"{alias_name()}-warm-up"
        create_index(scratch)
        try:
            bulk(
                client,
                (
                    {
                        "_index": scratch,
                        "_id": f"forum:{number}",
                        "_source": {
                            "kind": "forum",
                            "visibility": "public",
                            "title": " ".join(rng.sample(words, 3)),
                            "body": " ".join(rng.choices(words, k=40)),
                        },
                    }
                    for number in range(documents)
                ),
            )
            client.indices.refresh(index=scratch)
            for _run in range(20):
                client.search(index=scratch, query={"match": {"body": "health network"}})
        finally:
            client.indices.delete(index=scratch, ignore_unavailable=True)

    def rebuild(self) -> None:
        import search.rebuild
        from search.index import alias_name

        client = self.client()
        started = time.perf_counter()
        _name, self.written = search.rebuild.rebuild()
        client.cluster.health(index=alias_name(), wait_for_status="green", timeout="120s")
        self.seconds = time.perf_counter() - started

    def check_replicated(self, replicas: int) -> tuple[bool, str]:
        """Green, every shard's copies started on distinct nodes, every document there."""
        from search.index import alias_name

        client = self.client()
        health = client.cluster.health(index=alias_name())
        shards = client.cat.shards(index=alias_name(), format="json", h="shard,prirep,state,node")
        nodes_of: dict[str, set[str]] = {}
        for shard in shards:
            if shard["state"] == "STARTED":
                nodes_of.setdefault(shard["shard"], set()).add(shard["node"])
        spread = len(nodes_of) == self.shards and all(
            len(nodes) == replicas + 1 for nodes in nodes_of.values()
        )
        count = client.count(index=alias_name())["count"]
        healthy = health["status"] == "green" and spread and count == self.written
        return healthy, (
            f"{health['status']}, {health['number_of_nodes']} nodes, "
            f"{health['active_primary_shards']} primaries + "
            f"{health['active_shards'] - health['active_primary_shards']} replicas started, "
            f"{health['unassigned_shards']} unassigned, each shard's copies on "
            f"{'distinct' if spread else 'THE SAME'} nodes, {count:,} documents counted"
        )

    def size_per_document(self) -> str:
        from search.index import alias_name

        client = self.client()
        client.indices.forcemerge(index=alias_name(), max_num_segments=1)
        stats = client.indices.stats(index=alias_name(), metric="store,docs")["_all"]["primaries"]
        documents, size = stats["docs"]["count"], stats["store"]["size_in_bytes"]
        return (
            f"{size / max(1, documents):,.0f} bytes a document on disk "
            f"({size / 2**20:,.1f} MiB for {documents:,}, primaries, merged)"
        )

    def queries_answered(self, runs: int) -> float:
        from django.test import Client

        self.use()
        http = Client()
        answered = 0
        for _run in range(runs):
            response = http.get("/api/search/", QUERY)
            if response.status_code == 200 and response.json()["backend"] == "elasticsearch":
                answered += 1
        return answered / runs

    def drop(self) -> None:
        from search.index import drop_all

        self.use()
        try:
            drop_all()
        except Exception as error:  # a stopped node: the cluster goes with its folders
            print(f"(could not drop the indices on {self.url}: {type(error).__name__})")


def measure_queries(args: argparse.Namespace, engines: dict[str, Engine]) -> dict:
    from django.test import Client

    http = Client()
    totals = {}
    for name, engine in engines.items():
        engine.use()
        body = http.get("/api/search/", QUERY).json()
        assert body["backend"] == "elasticsearch", body
        totals[name] = body["total"]
    assert len(set(totals.values())) == 1, f"the engines disagree: {totals}"
    print(f"Query: GET /api/search/?q={QUERY['q']}: {totals['one node']:,} hits on each engine")
    for _run in range(args.warmup):
        for engine in engines.values():
            engine.use()
            http.get("/api/search/", QUERY)
    timings: dict[str, list[float]] = {name: [] for name in engines}
    for _run in range(args.runs):
        for name, engine in engines.items():
            engine.use()
            started = time.perf_counter()
            response = http.get("/api/search/", QUERY)
            timings[name].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    for name, values in timings.items():
        print(
            f"  {name:<10} p50 {percentile(values, 0.5):6.1f} ms   p95 "
            f"{percentile(values, 0.95):6.1f} ms   mean {statistics.mean(values):6.1f} ms"
        )
    return timings


if __name__ == "__main__":
    sys.exit(main())
