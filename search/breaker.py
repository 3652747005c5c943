"""A circuit breaker in front of Elasticsearch for the requests visitors wait on.

After a failure of the engine (no connection, a timeout, a 5xx answer), requests are
refused at once for `ELASTICSEARCH_BREAKER_SECONDS` (the breaker is open): the search
falls back to the database without connecting, instead of every visitor waiting for the
timeout of a hung engine. Then one request is let through (half-open: the probe) while
the others keep being refused; its success closes the breaker, its failure opens it
again for another period.

State is per process (a gunicorn worker, the db_worker): each process learns of an
outage by one request of its own, and nothing is shared through a cache that could
itself be down. One breaker per Elasticsearch URL, so changing the URL (tests) starts
closed. Written here rather than taken from pybreaker, whose breaker holds one lock
around every call it guards: a threaded server would send its searches one at a time,
and the others would wait on the probe of a hung engine.
"""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from elasticsearch import ApiError, TransportError

DEFAULT_OPEN_SECONDS = 30.0


class EngineUnavailable(Exception):
    """The breaker is open: the engine is not asked (it failed a moment ago)."""


def is_engine_failure(error: BaseException) -> bool:
    """Whether `error` says the engine is unwell, rather than refusing one request: no
    connection or a timeout, or a 5xx or 429 answer (a 4xx is the request's fault)."""
    if isinstance(error, TransportError):
        return True
    if isinstance(error, ApiError):
        return error.meta.status >= 500 or error.meta.status == 429
    return False


class CircuitBreaker:
    """Closed, open until `opened_until`, or half-open with one probe out."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._opened_until: float | None = None
        self._probing = False

    @property
    def state(self) -> str:
        with self._lock:
            if self._opened_until is None:
                return "closed"
            if self._probing or time.monotonic() >= self._opened_until:
                return "half-open"
            return "open"

    def _allow(self) -> bool:
        with self._lock:
            if self._opened_until is None:
                return True
            if self._probing or time.monotonic() < self._opened_until:
                return False
            self._probing = True
            return True

    def _succeeded(self) -> None:
        with self._lock:
            self._opened_until = None
            self._probing = False

    def _failed(self) -> None:
        with self._lock:
            self._opened_until = time.monotonic() + open_seconds()
            self._probing = False

    def _released(self) -> None:
        with self._lock:
            self._probing = False

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Run the block's requests to the engine, or raise `EngineUnavailable` at once
        while the breaker is open. An engine failure in the block opens it; the block
        ending otherwise (an answer, even a 4xx) closes it."""
        if not self._allow():
            raise EngineUnavailable
        try:
            yield
        except BaseException as error:
            if is_engine_failure(error):
                self._failed()
            elif isinstance(error, ApiError):
                self._succeeded()  # the engine answered
            else:
                self._released()
            raise
        else:
            self._succeeded()


def open_seconds() -> float:
    return float(getattr(settings, "ELASTICSEARCH_BREAKER_SECONDS", DEFAULT_OPEN_SECONDS))


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker() -> CircuitBreaker:
    """This process's breaker for the configured Elasticsearch URL."""
    url = settings.ELASTICSEARCH_URL
    with _breakers_lock:
        return _breakers.setdefault(url, CircuitBreaker())


def reset_all() -> None:
    """Forget every breaker's state (tests start from a closed breaker)."""
    with _breakers_lock:
        _breakers.clear()
