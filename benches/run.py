"""`make bench`: run every benchmark and print one table of their measures and targets.

    make bench              # the quick scale (SCALE=0.1: 1,000 organizations, 10,000
                            # search documents…), about ten minutes on 2 cores
    make bench SCALE=1      # the full scale the targets are set at (see docs/performance.md)
    .venv/bin/python benches/run.py --scale 0.05 --only search burden

Each benchmark is a script of this folder run as its own process with `--scale`; it
reports its measures through `benches/report.py` into one shared file, read back here.
The engines are started once here (or taken from DATABASE_URL and ELASTICSEARCH_URL) and
handed to every benchmark. A benchmark that fails is named in the table and makes the
run exit non-zero; a missed target is shown, not an error (benchmarks measure, they do
not gate). The run ends with its wall time and each benchmark's.

What benchmarks share lives beside them: `engines.py` (the engines, a throwaway
database, Django set up and migrated on them: `django_on_engines`), `report.py` (the
command line every benchmark takes, the measures and their table) and `fill.py` (the
archive of organizations and fora the search benchmarks index, and the followers the
follows benchmarks notify).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from engines import elasticsearch_server, postgres_server  # noqa: E402 - benches/ is the script's folder
from report import Measure, read, table  # noqa: E402

# Every benchmark, in the order they run: name -> script in benches/.
BENCHMARKS = {
    "search": "search.py",
    "search_query": "search_query.py",
    "burden": "burden.py",
    "pages": "pages.py",
    "cluster": "cluster.py",
    "sync": "sync.py",
    "permissions": "permissions.py",
    "detect": "detect.py",
    "digests": "digests.py",
    "opendata": "opendata.py",
    "downloads": "downloads.py",
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale",
        type=float,
        default=float(os.environ.get("SCALE") or 0.1),
        help="multiplies every benchmark's full-scale sizes (default 0.1, or SCALE)",
    )
    parser.add_argument(
        "--only", nargs="+", choices=sorted(BENCHMARKS), help="run only these benchmarks"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    names = args.only or list(BENCHMARKS)
    failed: list[str] = []
    seconds: dict[str, float] = {}
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        results = os.path.join(folder, "measures.jsonl")
        open(results, "w").close()
        with postgres_server() as database_url, elasticsearch_server() as elasticsearch_url:
            env = {
                **os.environ,
                "BENCH_REPORT": results,
                "DATABASE_URL": database_url,
                "ELASTICSEARCH_URL": elasticsearch_url,
            }
            for name in names:
                print(f"\n== bench {name} (scale {args.scale:g})", flush=True)
                script = str(HERE / BENCHMARKS[name])
                command = [sys.executable, script, "--scale", str(args.scale)]
                started = time.perf_counter()
                if subprocess.run(command, env=env, check=False).returncode:
                    failed.append(name)
                seconds[name] = time.perf_counter() - started
        measures = read(results)
    measures += [Measure(name, "benchmark failed", 1, "", at_most=0) for name in failed]
    print(f"\n== all benchmarks, scale {args.scale:g}\n")
    print(table(measures))
    took = ", ".join(f"{name} {value:.0f} s" for name, value in seconds.items())
    print(f"\nWall time: {time.perf_counter() - began:.0f} s ({took})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
