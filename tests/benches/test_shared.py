"""The pieces the benchmarks share (benches/report.py, benches/engines.py): the command
line every benchmark takes, and a throwaway database made and dropped on a real
PostgreSQL server whatever database DATABASE_URL names."""

import importlib.util
import os
import secrets
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

BENCHES = Path(__file__).resolve().parents[2] / "benches"


def load(name: str) -> ModuleType:
    """A module of benches/ by its path (benches/ is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sizes_are_the_full_scale_ones_times_the_scale_unless_given() -> None:
    report = load("report")
    defaults = {"organizations": 10_000, "documents": 100_000}
    parser = report.arguments("Benchmark: a test.\n\nMore.", defaults)
    args = parser.parse_args(["--scale", "0.1", "--documents", "500"])
    report.apply_scale(args, defaults)
    assert (args.organizations, args.documents, args.seed, args.keep) == (1_000, 500, 1, False)

    tiny = parser.parse_args(["--scale", "0.00001"])
    report.apply_scale(tiny, defaults, at_least=100)
    assert (tiny.organizations, tiny.documents) == (100, 100)


def test_a_size_below_one_is_refused_naming_the_option(capsys) -> None:
    report = load("report")
    parser = report.arguments("Benchmark: a test.", {"seats": 50_000})
    with pytest.raises(SystemExit):
        parser.parse_args(["--seats", "0"])
    assert "argument --seats: 0 is less than 1" in capsys.readouterr().err


@pytest.mark.postgres
def test_a_throwaway_database_from_a_url_naming_a_database_that_does_not_exist() -> None:
    """`make bench` with DATABASE_URL=postgres://…/bench, a database nobody created: the
    server is what counts; the database is made, usable, and dropped at the end."""
    engines = load("engines")
    server = urlsplit(os.environ["DATABASE_URL"])
    missing = urlunsplit(server._replace(path=f"/absent_{secrets.token_hex(4)}"))

    with engines.throwaway_database(missing, keep=False, prefix="test_bench") as url:
        name = urlsplit(url).path.lstrip("/")
        assert name.startswith("test_bench_")
        with psycopg.connect(url) as connection:
            assert connection.execute("SELECT current_database()").fetchone() == (name,)

    maintenance = urlunsplit(server._replace(path="/postgres"))
    with psycopg.connect(maintenance) as connection:
        left = connection.execute(
            "SELECT count(*) FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    assert left == (0,)
