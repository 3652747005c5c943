"""Shared fixtures. Search tests run against the real Elasticsearch named by
ELASTICSEARCH_URL; `make test` starts one (and PostgreSQL) and sets
CONCERTATION_REQUIRE_ENGINES=1 so that a missing engine fails the run instead of
skipping tests."""

import os
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection

REQUIRE_ENGINES = os.environ.get("CONCERTATION_REQUIRE_ENGINES") == "1"


def pytest_report_header(config) -> list[str]:
    from search.engine import engine_status

    lines = [f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"]
    if settings.ELASTICSEARCH_URL:
        status = engine_status()
        lines.append(
            f"elasticsearch: {status.get('version', status['status'])} "
            f"at {settings.ELASTICSEARCH_URL} (index prefix {settings.ELASTICSEARCH_INDEX_PREFIX})"
        )
    else:
        lines.append("elasticsearch: not configured (ELASTICSEARCH_URL unset)")
    return lines


def pytest_collection_modifyitems(config, items) -> None:
    if REQUIRE_ENGINES:
        if not settings.ELASTICSEARCH_URL:
            raise pytest.UsageError("CONCERTATION_REQUIRE_ENGINES=1 but ELASTICSEARCH_URL is unset")
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            raise pytest.UsageError(
                "CONCERTATION_REQUIRE_ENGINES=1 but DATABASE_URL is not PostgreSQL"
            )
        return
    if not settings.ELASTICSEARCH_URL:
        skip = pytest.mark.skip(reason="ELASTICSEARCH_URL is unset (unit-test mode)")
        for item in items:
            if "elasticsearch" in item.keywords:
                item.add_marker(skip)
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request to a /fr/ page leaves French active in the test thread (Django's locale
    middleware activates it and nothing resets it); put the default back so no test
    depends on which ran before it."""
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _closed_search_breakers():
    """Each test starts with Elasticsearch's circuit breakers closed (their state is per
    process: one test's engine failure must not make the next one's searches fall back)."""
    from search.breaker import reset_all

    reset_all()
    yield
    reset_all()


@pytest.fixture(scope="session", autouse=True)
def _drop_test_indices():
    """Remove this run's indices at the end (their names carry a per-run prefix)."""
    yield
    if settings.ELASTICSEARCH_URL:
        from search.index import drop_all

        drop_all()


@pytest.fixture
def archive_index():
    """An empty archive index for one test: the database rolls back between tests but
    Elasticsearch does not, so each search test starts from nothing."""
    from search.index import drop_all, ensure_index

    drop_all()
    ensure_index()
    yield
    drop_all()


@pytest.fixture
def home_page(db):
    from concertation.site_setup import ensure_site

    return ensure_site()


@pytest.fixture
def position_index(home_page):
    """The published index of positions, with the permissions that let organization
    editors write positions under it."""
    from consultations.models import PositionIndexPage
    from consultations.permissions.positions import ensure_position_permissions

    page = PositionIndexPage(title="Positions", slug="positions")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    ensure_position_permissions(page)
    return page


@pytest.fixture
def run_on_commit(db):
    """Run the after-commit callbacks of the block as a commit would.

    Tests run inside a transaction that is rolled back, so Django never commits. This
    takes the callbacks the block queued with `transaction.on_commit`, removes them from
    the connection (a commit clears them) and runs them. Unlike pytest-django's
    `django_capture_on_commit_callbacks`, which leaves them queued, a later block in the
    same test then queues afresh, as a later transaction would.
    """
    from contextlib import contextmanager

    @contextmanager
    def run():
        start = len(connection.run_on_commit)
        callbacks: list = []
        yield callbacks
        while len(connection.run_on_commit) > start:
            pending = connection.run_on_commit[start:]
            del connection.run_on_commit[start:]
            for _savepoints, callback, _robust in pending:
                callbacks.append(callback)
                callback()

    return run


@pytest.fixture
def index_on_commit(run_on_commit):
    """`run_on_commit`, then make the index updates searchable."""
    from contextlib import contextmanager

    from search.index import refresh

    @contextmanager
    def run():
        with run_on_commit() as callbacks:
            yield callbacks
        refresh()

    return run


@pytest.fixture
def application() -> Iterator[WSGIHandler]:
    """The site's WSGI application for Schemathesis to call, in the test's own
    transaction: like Django's test client, without closing the database connection at
    each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
