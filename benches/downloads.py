"""Benchmark: the open data's bulk downloads (`opendata.downloads.build`) at two sizes of
the record, on PostgreSQL: does the build's memory stay flat as the record grows?

    make bench ARGS="--only downloads"                  # through benches/run.py
    .venv/bin/python benches/downloads.py --scale 0.1   # 2,500 then 10,000 organizations
    .venv/bin/python benches/downloads.py               # 25,000 then 100,000 (full scale)

Not part of the test suite. In a throwaway database (benches/engines.py), the demo
`make run` serves (`load_demo`: every resource has records) plus `generate_demo
--organizations N`; the build runs in a process of its own, which reports its resident
memory before building and its peak after (`getrusage`'s `ru_maxrss`), its time and what
it wrote. Then `GROWTH - 1` times N more organizations are generated and the build is
run again in a new process.

Issue #17 asks that the build stream, "memory flat as the record grows": the measure is
the second build's peak RSS over the first's, at most `FLAT` (four times the records,
at most 10 % more memory; the rest is the interpreter, Django and the libraries, the same
at both sizes). The peaks and the records per second are reported for reading
(docs/performance.md, "Bulk downloads"). The database is dropped at the end unless `--keep`.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT / "site"), str(HERE)]

from engines import django_on_engines  # noqa: E402 - benches/ is the script's folder
from report import Measure, apply_scale, arguments, report  # noqa: E402

DEFAULTS = {"organizations": 25_000}
# The second build's records, times the first's.
GROWTH = 4
# At most this ratio of the second build's peak RSS to the first's.
FLAT = 1.10


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = arguments(__doc__, DEFAULTS, organizations="generated for the first build")
    parser.add_argument("--child", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    apply_scale(args, DEFAULTS)
    return args


def peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def resident_kib() -> int:
    """The process's resident memory now (Linux: /proc/self/status)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return peak_kib()


def child(folder: str) -> None:
    """One build in this process (Django set up from the environment the parent set),
    its figures printed as a JSON line."""
    import django

    django.setup()
    from opendata.downloads.build import build, count_records

    records = count_records()
    before = resident_kib()
    started = time.perf_counter()
    manifest = build(Path(folder))
    seconds = time.perf_counter() - started
    figures = {
        "records": records,
        "before_kib": before,
        "peak_kib": peak_kib(),
        "seconds": seconds,
        "bytes": sum(entry["size"] for entry in manifest["files"]),
        "files": len(manifest["files"]),
    }
    print(json.dumps(figures))


def build_in_a_process(folder: str) -> dict:
    command = [sys.executable, __file__, "--child", folder]
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True, env=os.environ)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"Built {figures['records']:,} records in {figures['seconds']:.1f} s: "
        f"{figures['files']} files, {figures['bytes'] / 2**20:.1f} MiB; peak RSS "
        f"{figures['before_kib'] / 1024:.0f} MiB resident before the build, peak "
        f"{figures['peak_kib'] / 1024:.0f} MiB"
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    sys.stdout.reconfigure(line_buffering=True)
    print(
        f"Scale: the demo + {args.organizations:,} generated organizations, then "
        f"{args.organizations * GROWTH:,}; seed {args.seed}"
    )
    with django_on_engines("downloads", args.keep, elasticsearch=False):
        from django.core.management import call_command

        with open(os.devnull, "w") as quiet:
            call_command("load_demo", stdout=quiet)
        call_command("generate_demo", organizations=args.organizations, seed=args.seed)
        with tempfile.TemporaryDirectory() as folder:
            small = build_in_a_process(folder)
            call_command(
                "generate_demo",
                organizations=args.organizations * (GROWTH - 1),
                seed=args.seed + 1,
            )
            large = build_in_a_process(folder)
    report(measures(small, large))
    return 0


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def measures(small: dict, large: dict) -> list[Measure]:
    growth = large["records"] / small["records"]
    return [
        Measure(
            "downloads",
            "peak RSS, larger / smaller record",
            large["peak_kib"] / small["peak_kib"],
            "×",
            at_most=FLAT,
            detail=f"{small['records']:,} records: {mib(small['peak_kib'])}; "
            f"{large['records']:,} ({growth:.1f}×): {mib(large['peak_kib'])} (resident before "
            f"the build: {mib(small['before_kib'])} and {mib(large['before_kib'])})",
        ),
        Measure(
            "downloads",
            "records built per second",
            large["records"] / large["seconds"],
            "/s",
            detail=f"{large['records']:,} records, both languages, JSON Lines and CSV, "
            f"zipped: {large['seconds']:.0f} s, {large['bytes'] / 2**20:.1f} MiB",
        ),
    ]


if __name__ == "__main__":
    sys.exit(main())
