"""The public page cache: what an anonymous visitor is shown, kept per address and
language, thrown away as soon as any record changes.

**What is cached.** A GET of a public page (not the admin, the API, documents or the
health check) by a visitor who carries no session cookie and no messages cookie — an
anonymous visitor, who sees nothing restricted or unpublished by construction: those are
shown only to signed-in users, whose session cookie keeps them off the cache both ways
(they never read a cached copy, and what they are shown is never stored). The response
is stored only when it is a 200 HTML page that sets no cookie, used no CSRF token (a
page with a form), changed no session, queued no message and was not marked
`private`/`no-cache`/`no-store`. The key holds the scheme, host, path and query string,
the active language and today's date (pages that say "closes in 3 days" change at
midnight without any write).

**Invalidation.** One cache entry, the *version token*, is a random string replaced on
every write to a content table: a database execute wrapper (installed on every
connection) sees each INSERT, UPDATE, DELETE or other non-reading statement, whichever
path made it — `save()`, `QuerySet.update()`, `bulk_create()`, Wagtail's publish,
unpublish, move and delete, raw SQL through Django — and replaces the token when the
transaction commits (at once in autocommit mode). Every cached page carries the token
it was rendered under and is served only while that is still the current token: the
first visitor after any change renders afresh. The
token is read *before* the page is rendered, so a page rendered while a write commits
is stored under the old token and never served. Tables whose writes show on no page are
ignored (sessions, the cache's own table, the task queue, the search outbox, lockout
records, the admin's editing sessions, the API tokens). A migration replaces the token
too, so a deploy never serves pages of the previous release's templates.
`PAGE_CACHE_SECONDS` bounds an entry's life as a safety net; 0 turns the cache off,
writes included (the test settings' default: no test sees an after-commit callback it
did not queue). Every process sharing the cache — web and workers — must run with the
same setting.

Decision record: docs/decisions/017-a-public-page-cache-forgotten-on-any-write.md.
"""

import hashlib
import logging
import re
import secrets
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)
T = TypeVar("T")

TOKEN_KEY = "page-cache:token"
HEADER = "X-Page-Cache"
EXCLUDED_PREFIXES = ("/admin/", "/api/", "/documents/", "/healthz", "/i18n/", "/media/", "/static/")
# Apps whose tables no public page reads: a write there leaves the pages as they were.
# `follows` (subscribers, follows, notices, e-mails) shows only to signed-in readers,
# who are never served from the cache, and in Atom feeds, which are not HTML pages.
IGNORED_APPS = frozenset(
    {"sessions", "axes", "django_tasks_database", "search", "wagtailadmin", "follows"}
)
# Single models of apps that pages do read: the open-data API's tokens (a token's use is
# dated at most once a minute, `opendata.tokens`), shown on no page.
IGNORED_MODELS = frozenset({"wagtailcore.apitoken"})
# Statements that change no row (schema changes come with a migration, which bumps).
_READS = (
    "SELECT",
    "VALUES",
    "EXPLAIN",
    "SAVEPOINT",
    "RELEASE",
    "ROLLBACK",
    "SET ",
    "SHOW",
    "BEGIN",
    "COMMIT",
    "CREATE",
    "ALTER",
    "DROP",
    "COMMENT",
    "ANALYZE",
    "VACUUM",
    "PRAGMA",
)
# The tables a statement writes: INSERT INTO t, DELETE FROM t, UPDATE t SET, MERGE INTO t,
# also inside a WITH.
_WRITTEN_TABLES = re.compile(
    r'\b(?:INSERT\s+INTO|DELETE\s+FROM|MERGE\s+INTO)\s+"?([\w.]+)"?'
    r'|\bUPDATE\s+"?([\w.]+)"?\s+(?:AS\s+"?\w+"?\s+)?SET\b',
    re.I,
)
_ignored_tables: frozenset[str] | None = None
_bumping = threading.local()


def timeout() -> int:
    """Seconds an entry lives at most (`PAGE_CACHE_SECONDS`); 0 when the cache is off."""
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


# --- the version token ---------------------------------------------------------------


def bump() -> None:
    """Replace the version token: every page cached so far is stale. A cache that
    cannot be reached is logged, never raised: a save must not fail for it. (The
    database cache's own statements are not watched meanwhile.)"""
    _bumping.active = True
    try:
        _cache().set(TOKEN_KEY, secrets.token_hex(8), None)
    except Exception:
        logger.exception("The page cache's version token could not be replaced")
    finally:
        _bumping.active = False


def _bump_after_commit() -> None:
    bump()


def _current_token(found: Any) -> str:
    if isinstance(found, str):
        return found
    token = secrets.token_hex(8)
    cache = _cache()
    if cache.add(TOKEN_KEY, token, None):
        return token
    return cache.get(TOKEN_KEY) or token


def ignored_tables() -> frozenset[str]:
    """The tables whose writes invalidate nothing: the ignored apps' and the caches'."""
    global _ignored_tables
    if _ignored_tables is None:
        from django.apps import apps

        _ignored_tables = frozenset(
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in IGNORED_APPS or model._meta.label_lower in IGNORED_MODELS
        )
    return _ignored_tables | {
        options["LOCATION"]
        for options in settings.CACHES.values()
        if options.get("BACKEND", "").endswith("DatabaseCache")
    }


def changes_content(sql: Any) -> bool:
    """Whether a statement may change what a page shows: any statement that is not a
    read, unless it writes only to ignored tables. Unknown statements count as changes."""
    if not isinstance(sql, str):
        return True
    head = sql.lstrip(" \n\t(")[:10].upper()
    if head.startswith(_READS):
        return False
    written = {a or b for a, b in _WRITTEN_TABLES.findall(sql)}
    if not written:  # a WITH that only reads, or a statement of unknown effect
        return not head.startswith("WITH")
    return bool(written - ignored_tables())


def record_write(connection: BaseDatabaseWrapper) -> None:
    """A content table was written on `connection`: replace the token once the write is
    visible to other connections — now in autocommit mode, otherwise when the
    transaction commits (nothing if it rolls back). Consecutive writes share one
    callback: a new one is queued unless the last one queued is ours, at this same
    savepoint level (a savepoint rolled back takes its callbacks with it)."""
    if not connection.in_atomic_block:
        bump()
        return
    queued = connection.run_on_commit
    if not (
        queued
        and queued[-1][1] is _bump_after_commit
        and queued[-1][0] == set(connection.savepoint_ids)
    ):
        connection.on_commit(_bump_after_commit, robust=True)


def _watch_writes(
    execute: Callable[..., Any], sql: Any, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    result = execute(sql, params, many, context)
    if timeout() > 0 and not getattr(_bumping, "active", False) and changes_content(sql):
        record_write(context["connection"])
    return result


def watch_connection(connection: BaseDatabaseWrapper, **_kwargs: Any) -> None:
    """Install the write watch on a connection (the `connection_created` receiver: each
    thread has connections of its own)."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def watch_all_connections() -> None:
    for connection in connections.all(initialized_only=True):
        watch_connection(connection)


def bump_after_migrate(**_kwargs: Any) -> None:
    bump()


def remember(key: str, compute: Callable[[], T]) -> T:
    """A value computed from public records only, kept in the cache under the current
    version token: recomputed after any write, as a cached page is. For a costly part of
    a page that many addresses share and every visitor sees the same (the directory's
    facet counts: the same for every page number, language and visitor). Without the
    cache (`PAGE_CACHE_SECONDS` 0, or the cache unreachable) it is computed each time."""
    if timeout() <= 0:
        return compute()
    cache = _cache()
    entry_key = f"page-cache:value:{hashlib.sha256(key.encode()).hexdigest()[:32]}"
    try:
        found = cache.get_many([TOKEN_KEY, entry_key])
        token = _current_token(found.get(TOKEN_KEY))
    except Exception:
        logger.exception("The page cache could not be read")
        return compute()
    entry = found.get(entry_key)
    if entry is not None and entry.get("token") == token:
        return entry["value"]
    value = compute()
    try:
        cache.set(entry_key, {"token": token, "value": value}, timeout())
    except Exception:
        logger.exception("A value could not be stored in the page cache")
    return value


# --- the middleware --------------------------------------------------------------------


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        timeout() > 0
        and request.method in ("GET", "HEAD")
        and not request.path_info.startswith(EXCLUDED_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in request.COOKIES
    )


def page_key(request: HttpRequest) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"page-cache:{translation.get_language()}:{timezone.localdate().isoformat()}:{digest}"


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    cache_control = response.get("Cache-Control", "").lower()
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
        and not (session is not None and session.modified)
        and not (messages is not None and getattr(messages, "added_new", False))
        and not (user is not None and user.is_authenticated)
        and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
    )


class PublicPageCacheMiddleware:
    """Serve anonymous visitors' public pages from the cache; store what may be shared.

    Last in `MIDDLEWARE`: the language is active (from the address) and the user known
    when it runs, and the middlewares around it still add their headers (security
    policy, language, frame options) to a cached page as to a fresh one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _cacheable_request(request):
            return self.get_response(request)
        cache = _cache()
        key = page_key(request)
        try:
            found = cache.get_many([TOKEN_KEY, key])
            token = _current_token(found.get(TOKEN_KEY))
        except Exception:
            logger.exception("The page cache could not be read")
            return self.get_response(request)
        entry = found.get(key)
        if entry is not None and entry.get("token") == token:
            return self._replay(entry)
        response = self.get_response(request)
        if _storable(request, response):
            headers = {name: value for name, value in response.items() if name != HEADER}
            try:
                cache.set(
                    key,
                    {"token": token, "content": response.content, "headers": headers},
                    timeout(),
                )
            except Exception:
                logger.exception("A page could not be stored in the page cache")
            response[HEADER] = "miss"
        return response

    @staticmethod
    def _replay(entry: dict[str, Any]) -> HttpResponse:
        response = HttpResponse(entry["content"])
        for name, value in entry["headers"].items():
            response[name] = value
        # As the page rendered afresh says (the session was read to know the visitor).
        patch_vary_headers(response, ("Cookie",))
        response[HEADER] = "hit"
        return response
