"""The engines a benchmark runs against: the ones named by the environment, or throwaway
ones started with the project's scripts (state under var/, apart from the test engines),
a throwaway database dropped at the end, and Django set up on them (`django_on_engines`,
what every benchmark but benches/run.py starts with)."""

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def _given_or_started(
    variable: str, accepts: Callable[[str], bool], script: str, state_variable: str
) -> Iterator[str]:
    """The URL in the environment's `variable` when `accepts` it, or that of an engine
    started with scripts/`script` (state in var/bench-`script`), stopped on the way out."""
    url = os.environ.get(variable, "")
    if accepts(url):
        yield url
        return
    command = str(ROOT / "scripts" / script)
    env = {**os.environ, state_variable: str(ROOT / "var" / f"bench-{script}")}
    print(f"Starting a throwaway {script} (scripts/{script})", file=sys.stderr)
    started = subprocess.run(
        [command, "start"], env=env, check=True, stdout=subprocess.PIPE, text=True
    )
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([command, "stop"], env=env, check=False)


def postgres_server() -> AbstractContextManager[str]:
    """The URL of a PostgreSQL server: DATABASE_URL's, or a throwaway cluster's."""
    return _given_or_started(
        "DATABASE_URL",
        lambda url: url.startswith(("postgres://", "postgresql://")),
        "postgres",
        "PG_STATE_DIR",
    )


def elasticsearch_server() -> AbstractContextManager[str]:
    """The URL of an Elasticsearch: ELASTICSEARCH_URL's, or a throwaway node's."""
    return _given_or_started("ELASTICSEARCH_URL", bool, "elasticsearch", "ES_STATE_DIR")


def _administer(server_url: str, statement: str, *names: str) -> None:
    """Run `statement` (CREATE or DROP DATABASE) on the server, `names` quoted into it,
    from its maintenance database `postgres` (as `createdb` does): the URL's own database
    names the server only, and need not exist (DATABASE_URL=postgres://…/bench)."""
    import psycopg
    from psycopg import sql

    maintenance = urlunsplit(urlsplit(server_url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(sql.SQL(statement).format(*map(sql.Identifier, names)))


def _close_django_connections() -> None:
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


@contextmanager
def throwaway_database(server_url: str, keep: bool, prefix: str) -> Iterator[str]:
    """A new, empty database on the server; dropped on the way out unless `keep`."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    _administer(server_url, "CREATE DATABASE {}", name)
    url = urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
    try:
        yield url
    finally:
        _close_django_connections()
        if keep:
            print(f"Kept the database: DATABASE_URL={url}")
        else:
            _administer(server_url, "DROP DATABASE {} WITH (FORCE)", name)


@contextmanager
def copied_database(server_url: str, url: str, keep: bool) -> Iterator[str]:
    """A copy of the database at `url` (PostgreSQL's `CREATE DATABASE … TEMPLATE`, so
    nobody may be connected to it: Django's connections are closed first), as a database
    name; dropped on the way out unless `keep`."""
    source = urlsplit(url).path.lstrip("/")
    name = f"{source}_copy"
    _close_django_connections()
    _administer(server_url, "CREATE DATABASE {} TEMPLATE {}", name, source)
    try:
        yield name
    finally:
        _close_django_connections()
        if keep:
            print(f"Kept the copy of the database: {name}")
        else:
            _administer(server_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


@dataclass(frozen=True)
class Engines:
    """What `django_on_engines` set Django up on."""

    server: str  # the PostgreSQL server's URL
    database: str  # the throwaway database's URL (DATABASE_URL)
    elasticsearch: str  # ELASTICSEARCH_URL, "" when the benchmark runs without it


@contextmanager
def django_on_engines(name: str, keep: bool, *, elasticsearch: bool = True) -> Iterator[Engines]:
    """Django set up with the test settings on a throwaway database `bench_<name>_<random>`
    of the PostgreSQL server, migrated, and with `elasticsearch` on an Elasticsearch whose
    indices carry the prefix `bench-<name>-<random>` (or ELASTICSEARCH_INDEX_PREFIX) and
    are deleted on the way out unless `keep`. Without `elasticsearch`, ELASTICSEARCH_URL is
    unset: the benchmark writes in bulk with nothing to index, or names its engines itself
    (benches/cluster.py). The settings go through the environment, so processes the
    benchmark starts (benches/sync.py's workers) inherit them."""
    with ExitStack() as stack:
        elasticsearch_url = stack.enter_context(elasticsearch_server()) if elasticsearch else ""
        server = stack.enter_context(postgres_server())
        database = stack.enter_context(throwaway_database(server, keep, f"bench_{name}"))
        os.environ["DATABASE_URL"] = database
        if elasticsearch_url:
            os.environ["ELASTICSEARCH_URL"] = elasticsearch_url
        else:
            os.environ.pop("ELASTICSEARCH_URL", None)
        prefix = f"bench-{name.replace('_', '-')}-{secrets.token_hex(4)}"
        os.environ.setdefault("ELASTICSEARCH_INDEX_PREFIX", prefix)
        os.environ.setdefault("ELASTICSEARCH_TIMEOUT", "120")
        os.environ["DJANGO_SETTINGS_MODULE"] = "concertation.settings.test"
        import django

        django.setup()
        from django.core.management import call_command

        try:
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            print(f"Migrated in {time.perf_counter() - started:.1f} s")
            yield Engines(server, database, elasticsearch_url)
        finally:
            if elasticsearch_url and keep:
                prefix = os.environ["ELASTICSEARCH_INDEX_PREFIX"]
                print(f"Kept the index: ELASTICSEARCH_INDEX_PREFIX={prefix}")
            elif elasticsearch_url:
                from search.index import drop_all

                drop_all()
