"""Production settings: Django's deployment checks pass without a warning, every HTML
page carries a Content-Security-Policy (strict on the public site, the admin's own in the
admin) under which the pages still work, and production processes share one cache rather
than one each."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import sync_playwright

from concertation.site_setup import ensure_site
from tests.browser.test_search_journey import CHROMIUM, CHROMIUM_ARGS
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
CSP = "Content-Security-Policy"


def run_with_production_settings(*args: str, **environment: str) -> subprocess.CompletedProcess:
    """`manage.py ARGS` in a fresh process under the production settings, with a throwaway
    secret, this run's database and Elasticsearch (PostgreSQL and Elasticsearch addresses
    are only parsed by the checks; production refuses anything else)."""
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        database_url = "postgres://concertation@127.0.0.1:5432/concertation"
    env = {
        **{name: value for name, value in os.environ.items() if name != "CACHE_URL"},
        "DJANGO_SETTINGS_MODULE": "concertation.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": database_url,
        "ELASTICSEARCH_URL": settings.ELASTICSEARCH_URL or "http://127.0.0.1:9200",
        **environment,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_production_settings_pass_the_deployment_checks_without_a_warning():
    """The checks `make test` runs: before, no HSTS and no HTTPS redirect were warned of."""
    result = run_with_production_settings("check", "--deploy", "--fail-level", "WARNING")

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output


@pytest.fixture(scope="module")
def production_settings() -> dict:
    """The settings a production process starts with when CACHE_URL is unset."""
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'redirect_exempt': s.SECURE_REDIRECT_EXEMPT, "
        "'hsts_seconds': s.SECURE_HSTS_SECONDS, 'cache': s.CACHES['default']['BACKEND']}))"
    )
    result = run_with_production_settings("shell", "--no-imports", "-c", script)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_answers_plain_http_with_a_redirect_except_the_health_check(
    production_settings,
):
    """HTTPS is enforced by the application, browsers are told to keep to it, and the load
    balancer's probe of /healthz still gets an answer over plain HTTP."""
    assert production_settings["ssl_redirect"] is True
    assert production_settings["hsts_seconds"] >= 31536000
    assert any(re.match(pattern, "healthz") for pattern in production_settings["redirect_exempt"])


def test_the_production_cache_is_shared_when_cache_url_is_unset(production_settings):
    """Without CACHE_URL, production uses the database's cache table, which every process
    reads; before, each process had its own local-memory cache."""
    assert production_settings["cache"] == "django.core.cache.backends.db.DatabaseCache"


def test_production_refuses_a_cache_of_its_own_per_process():
    result = run_with_production_settings("check", CACHE_URL="locmemcache://")

    assert result.returncode != 0
    assert "CACHE_URL must name a cache shared by every process" in result.stderr


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_value_cached_by_one_production_process_is_read_by_another():
    """Two production processes on this run's database: what the first caches (the text
    extracted from a file, a rate-limit count) the second finds."""
    if connection.vendor != "postgresql":
        pytest.skip("production runs on PostgreSQL")
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )
    table = "concertation_cache"
    try:
        created = run_with_production_settings("createcachetable", DATABASE_URL=url)
        assert created.returncode == 0, created.stderr
        written = run_with_production_settings(
            "shell",
            "--no-imports",
            "-c",
            "from django.core.cache import cache; cache.set('shared-probe', 'seen', 60)",
            DATABASE_URL=url,
        )
        assert written.returncode == 0, written.stderr
        read = run_with_production_settings(
            "shell",
            "--no-imports",
            "-c",
            "from django.core.cache import cache; print(cache.get('shared-probe'))",
            DATABASE_URL=url,
        )
        assert read.returncode == 0, read.stderr
        assert read.stdout.strip() == "seen"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/fr/", "/organizations/", "/fora/", "/search/?q=eau"])
def test_public_pages_carry_a_strict_content_security_policy(client, home_page, path):
    """No script, inline or not, and no inline style may run on a public page, so markup
    smuggled into a record could run nothing; and the page itself needs none."""
    response = client.get(path)

    assert response.status_code == 200
    policy = response[CSP]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    html = response.content.decode()
    assert "<script" not in html
    assert " style=" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/login/", "/admin/"])
def test_admin_pages_carry_the_admins_own_policy(client, path):
    """The Wagtail admin needs its inline scripts and styles, and nothing from elsewhere."""
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get(path, follow=True)

    assert response.status_code == 200
    policy = response[CSP]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'self'" in policy
    assert "object-src 'none'" in policy


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("CONCERTATION_REQUIRE_ENGINES") != "1",
    reason="Debian's chromium is not installed",
)
@pytest.mark.django_db(transaction=True)
def test_the_admin_and_the_public_pages_work_under_their_policies(live_server, monkeypatch):
    """In Chromium: sign in to the admin, open the dashboard, the page editor, a snippet
    form and public pages. The browser blocks nothing the pages need (no script, style,
    image or connection refused by the policy) and no script fails: the header tests say
    a policy is sent, this says the site still works under it."""
    home = ensure_site()
    UserFactory(username="site-admin", is_superuser=True, is_staff=True)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    problems: list[str] = []

    def blocked(url: str, text: str) -> None:
        if "Content Security Policy" in text:
            problems.append(f"{url}: {text}")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda message: blocked(page.url, message.text))
            page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
            page.goto(f"{live_server.url}/admin/login/")
            page.fill("input[name=username]", "site-admin")
            page.fill("input[name=password]", "correct horse battery staple")
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_server.url}/admin/")
            for path in [
                "/admin/",
                f"/admin/pages/{home.pk}/edit/",
                "/admin/snippets/organizations/organization/add/",
                "/",
                "/fora/",
            ]:
                page.goto(f"{live_server.url}{path}")
                page.wait_for_load_state("networkidle")
        finally:
            browser.close()

    assert problems == []
