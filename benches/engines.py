"""The engines a benchmark runs against: the ones named by the environment, or throwaway
ones started with the project's scripts (state under var/, apart from the test engines),
and a throwaway database dropped at the end."""

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server: DATABASE_URL's, or a throwaway cluster's."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        yield url
        return
    script = str(ROOT / "scripts" / "postgres")
    env = {**os.environ, "PG_STATE_DIR": str(ROOT / "var" / "bench-postgres")}
    print("Starting a throwaway PostgreSQL cluster (scripts/postgres)", file=sys.stderr)
    started = subprocess.run(
        [script, "start"], env=env, check=True, stdout=subprocess.PIPE, text=True
    )
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([script, "stop"], env=env, check=False)


@contextmanager
def elasticsearch_server() -> Iterator[str]:
    """The URL of an Elasticsearch: ELASTICSEARCH_URL's, or a throwaway node's."""
    url = os.environ.get("ELASTICSEARCH_URL", "")
    if url:
        yield url
        return
    script = str(ROOT / "scripts" / "elasticsearch")
    env = {**os.environ, "ES_STATE_DIR": str(ROOT / "var" / "bench-elasticsearch")}
    print("Starting a throwaway Elasticsearch (scripts/elasticsearch)", file=sys.stderr)
    started = subprocess.run(
        [script, "start"], env=env, check=True, stdout=subprocess.PIPE, text=True
    )
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([script, "stop"], env=env, check=False)


@contextmanager
def throwaway_database(server_url: str, keep: bool, prefix: str) -> Iterator[str]:
    """A new, empty database on the server; dropped on the way out unless `keep`."""
    import psycopg
    from psycopg import sql

    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
    try:
        yield url
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if keep:
            print(f"Kept the database: DATABASE_URL={url}")
        else:
            with psycopg.connect(server_url, autocommit=True) as admin:
                admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
