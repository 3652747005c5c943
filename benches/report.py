"""What every benchmark reports: measures with their targets, as one table.

A benchmark builds `Measure`s and calls `report(...)`: it prints them as a table and,
when `BENCH_REPORT` names a file (set by `benches/run.py`, that is `make bench`),
appends them there as JSON lines, so that `make bench` prints one table of every
benchmark's measures against its targets at the end.

Every benchmark also takes the same command line (`arguments`): `--scale`, which
multiplies its full-scale sizes (`make bench` passes 0.1), a `--<size>` to set one of them
outright, `--seed` and `--keep`.

A measure is a ratio against the engine's own best (a raw request, a plain bulk, a plain
list) or, for the page and burden figures the issue sets in milliseconds, a time; each
has the target it must meet (`at_most` or `at_least`), and `met` says whether it did.
"""

import argparse
import json
import os
from dataclasses import asdict, dataclass


@dataclass
class Measure:
    """One figure of a benchmark: `value` in `unit` ("×" for a ratio, "ms", "s", "/s")."""

    bench: str
    name: str
    value: float
    unit: str
    at_most: float | None = None
    at_least: float | None = None
    detail: str = ""

    @property
    def target(self) -> str:
        if self.at_most is not None:
            return f"≤ {_number(self.at_most)} {self.unit}".strip()
        if self.at_least is not None:
            return f"≥ {_number(self.at_least)} {self.unit}".strip()
        return ""

    @property
    def met(self) -> bool | None:
        if self.at_most is not None:
            return self.value <= self.at_most
        if self.at_least is not None:
            return self.value >= self.at_least
        return None


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"


def table(measures: list[Measure]) -> str:
    """The measures as a plain-text table: benchmark, measure, value, target, verdict."""
    rows = [("bench", "measure", "value", "target", "")]
    for measure in measures:
        verdict = {True: "ok", False: "MISSED", None: ""}[measure.met]
        value = f"{_number(measure.value)} {measure.unit}".strip()
        rows.append((measure.bench, measure.name, value, measure.target, verdict))
    widths = [max(len(row[column]) for row in rows) for column in range(5)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    details = [f"  {m.bench} / {m.name}: {m.detail}" for m in measures if m.detail]
    return "\n".join(lines + (["", *details] if details else []))


def report(measures: list[Measure]) -> None:
    """Print the measures, and append them to `BENCH_REPORT` when it is set."""
    print(table(measures))
    path = os.environ.get("BENCH_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            for measure in measures:
                out.write(json.dumps(asdict(measure), ensure_ascii=False) + "\n")


def read(path: str) -> list[Measure]:
    """The measures appended to `path` by `report`."""
    with open(path, encoding="utf-8") as lines:
        return [Measure(**json.loads(line)) for line in lines if line.strip()]


def percentile(values: list[float], fraction: float) -> float:
    """The value at `fraction` (0.5 for p50, 0.95 for p95) of `values`, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def count(text: str) -> int:
    """An argparse type: a whole number of at least 1 (a size, a number of runs)."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value


def arguments(doc: str, defaults: dict[str, int], **sizes: str) -> argparse.ArgumentParser:
    """A benchmark's command line, described by the first paragraph of `doc`: `--scale`,
    a `--<size>` for each of `defaults` (their full-scale values; `sizes` may say what
    one counts), `--seed` and `--keep`. The benchmark adds its own options, parses, and
    calls `apply_scale`."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiplies the default sizes (default 1)"
    )
    for name, default in defaults.items():
        what = f"{sizes[name]}, " if name in sizes else ""
        parser.add_argument(
            f"--{name}", type=count, metavar="N", help=f"{what}default {default:,} × scale"
        )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database (and any index), print its name"
    )
    return parser


def apply_scale(args: argparse.Namespace, defaults: dict[str, int], at_least: int = 1) -> None:
    """Set each size of `defaults` not given on the command line to its full-scale value
    times `args.scale` (`at_least` that)."""
    for name, default in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, max(at_least, round(default * args.scale)))
