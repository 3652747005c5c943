"""Production web processes keep no state of their own (docs/deploy.md): whatever one
process records — a session, a failed login, a rate-limit count, a queued index update —
another process, on another machine, sees. Checked on the settings a production process
actually starts with."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'sessions': s.SESSION_ENGINE, 'axes': s.AXES_HANDLER, "
    "'cache': s.CACHES['default']['BACKEND'], "
    "'ratelimit_cache': getattr(s, 'RATELIMIT_USE_CACHE', 'default'), "
    "'tasks': s.TASKS['default']['BACKEND'], 'hosts': s.ELASTICSEARCH_URL, "
    "'shards': s.ELASTICSEARCH_SHARDS, 'replicas': s.ELASTICSEARCH_REPLICAS}))"
)


def production(**environment: str) -> dict:
    env = {
        **{name: value for name, value in os.environ.items() if name != "CACHE_URL"},
        "DJANGO_SETTINGS_MODULE": "concertation.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": "postgres://concertation@127.0.0.1:5432/concertation",
        "ELASTICSEARCH_URL": "http://es1:9200,http://es2:9200",
        **environment,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def settings_of_production() -> dict:
    return production(ELASTICSEARCH_SHARDS="3", ELASTICSEARCH_REPLICAS="1")


def test_sessions_and_login_attempts_live_in_the_database(settings_of_production):
    assert settings_of_production["sessions"] == "django.contrib.sessions.backends.db"
    assert settings_of_production["axes"] == "axes.handlers.database.AxesDatabaseHandler"


def test_rate_limits_count_in_the_cache_every_process_shares(settings_of_production):
    assert settings_of_production["ratelimit_cache"] == "default"
    assert settings_of_production["cache"] == "django.core.cache.backends.db.DatabaseCache"


def test_index_updates_queue_in_the_database_for_any_worker(settings_of_production):
    assert settings_of_production["tasks"] == "django_tasks_db.DatabaseBackend"


def test_production_takes_a_cluster_and_its_index_layout_from_the_environment(
    settings_of_production,
):
    assert settings_of_production["hosts"] == "http://es1:9200,http://es2:9200"
    assert (settings_of_production["shards"], settings_of_production["replicas"]) == (3, 1)


@pytest.mark.parametrize("cache_url", ["locmemcache://", "dummycache://"])
def test_a_cache_of_one_process_is_refused(cache_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "concertation.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": "postgres://concertation@127.0.0.1:5432/concertation",
        "ELASTICSEARCH_URL": "http://es1:9200",
        "CACHE_URL": cache_url,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "CACHE_URL must name a cache shared by every process" in result.stderr
