"""A hung search engine costs no one five seconds: after a failure, searches fall back to
the database at once, without connecting, for a while (the circuit breaker is open);
then one probe goes through while the others still fall back; when the engine answers
again, searches use it again.

The hung engine is a real local TCP server that accepts connections and never answers
(then, switched, forwards them to the real Elasticsearch): the tests count the
connections it accepts, so "without connecting" is observed, not timed."""

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.db import connection

from search.breaker import breaker
from tests.factories import OrganizationFactory

pytestmark = [pytest.mark.elasticsearch]

QUERY = {"q": "Hangfire cooperative"}
# Bounded waits: long enough for a loaded machine, never part of an assertion.
WAIT_SECONDS = 30.0


class HangingEngine:
    """A TCP server at `url` standing for Elasticsearch. While `hung`, it accepts each
    connection and never answers; otherwise it forwards the bytes to `upstream` (the
    real engine). `accepted` counts the connections it accepted."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.hung = True
        self.accepted = 0
        self._held: list[socket.socket] = []
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0), backlog=64)
        host, port = self._server.getsockname()
        self.url = f"http://{host}:{port}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _address = self._server.accept()
            except OSError:
                return  # closed
            with self._lock:
                self.accepted += 1
                self._held.append(client)
            if not self.hung:
                upstream = socket.create_connection(self.upstream)
                self._held.append(upstream)
                for source, target in ((client, upstream), (upstream, client)):
                    threading.Thread(target=_pipe, args=(source, target), daemon=True).start()

    def connections(self) -> int:
        with self._lock:
            return self.accepted

    def close(self) -> None:
        self._server.close()
        for held in self._held:
            held.close()


def _pipe(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, target):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def hanging_engine(archive_index, index_on_commit, settings) -> Iterator[HangingEngine]:
    """An organization in the index (and the database), then Elasticsearch's URL pointed
    at a server that hangs. `archive_index` first: its clean-up needs the real engine."""
    with index_on_commit():
        OrganizationFactory(name="Hangfire cooperative")
    real = urlsplit(settings.ELASTICSEARCH_URL)
    engine = HangingEngine((real.hostname, real.port))
    settings.ELASTICSEARCH_URL = engine.url
    settings.ELASTICSEARCH_TIMEOUT = 1.0  # the first search waits this long, once
    settings.ELASTICSEARCH_BREAKER_SECONDS = 60.0
    yield engine
    engine.close()


def search(client) -> object:
    results = client.get("/search/", QUERY).context["results"]
    assert [hit.title for hit in results.hits] == ["Hangfire cooperative"]
    return results


def wait_for_probe_time() -> None:
    """Wait (bounded) until the open period has passed and a probe may go through."""
    deadline = time.monotonic() + WAIT_SECONDS
    while breaker().state == "open" and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.django_db
def test_after_a_failure_searches_fall_back_at_once_without_connecting(client, hanging_engine):
    first = search(client)
    assert first.backend == "database"
    assert first.engine_unavailable
    assert hanging_engine.connections() >= 1
    after_first = hanging_engine.connections()

    for _ in range(5):
        later = search(client)
        assert later.backend == "database"
        assert later.engine_unavailable

    assert hanging_engine.connections() == after_first
    # The API, the export and the health check do not wait on it either.
    assert client.get("/api/search/", QUERY).json()["backend"] == "database"
    export = client.get("/api/search/export.csv", QUERY)  # from the database
    assert b"Hangfire cooperative" in b"".join(export.streaming_content)
    assert client.get("/healthz").json()["elasticsearch"]["status"] == "unavailable"
    assert hanging_engine.connections() == after_first


@pytest.mark.django_db(transaction=True)
def test_after_the_open_period_one_probe_goes_through_and_the_others_fall_back(
    client, hanging_engine, settings
):
    settings.ELASTICSEARCH_BREAKER_SECONDS = 1.0
    assert search(client).engine_unavailable
    wait_for_probe_time()
    before_probe = hanging_engine.connections()

    probe_results = []

    def probe() -> None:
        try:
            probe_results.append(search(client))
        finally:
            connection.close()

    prober = threading.Thread(target=probe)
    prober.start()
    deadline = time.monotonic() + WAIT_SECONDS
    while hanging_engine.connections() == before_probe and time.monotonic() < deadline:
        time.sleep(0.01)
    assert hanging_engine.connections() == before_probe + 1  # the probe, hanging

    during_probe = search(client)
    assert during_probe.engine_unavailable
    assert hanging_engine.connections() == before_probe + 1

    prober.join(WAIT_SECONDS)
    assert probe_results[0].engine_unavailable  # it timed out: open again
    assert breaker().state == "open"
    assert search(client).engine_unavailable
    assert hanging_engine.connections() == before_probe + 1


@pytest.mark.django_db
def test_when_the_engine_answers_again_searches_use_it_again(client, hanging_engine, settings):
    settings.ELASTICSEARCH_BREAKER_SECONDS = 1.0
    assert search(client).engine_unavailable

    hanging_engine.hung = False  # from now on, connections reach the real engine
    wait_for_probe_time()

    assert search(client).backend == "elasticsearch"  # the probe
    assert breaker().state == "closed"
    for _ in range(3):
        assert search(client).backend == "elasticsearch"
