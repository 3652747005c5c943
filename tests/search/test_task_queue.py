"""With Elasticsearch configured, index updates are recorded in the database (the outbox)
and drained by `manage.py db_worker`: a save never waits on the engine."""

import runpy
import select
import socket
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

import concertation.settings
from search import engine
from search.index import alias_name
from search.models import PendingChange
from search.registry import registry
from tests.factories import OrganizationFactory

BASE_SETTINGS = Path(concertation.settings.__file__).with_name("base.py")
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
IMMEDIATE_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"


@pytest.mark.parametrize(
    ("environment", "backend"),
    [
        ({"ELASTICSEARCH_URL": "http://127.0.0.1:9200"}, DATABASE_BACKEND),
        ({}, IMMEDIATE_BACKEND),
        (
            {"ELASTICSEARCH_URL": "http://127.0.0.1:9200", "TASKS_BACKEND": "immediate"},
            IMMEDIATE_BACKEND,
        ),
        ({"TASKS_BACKEND": "database"}, DATABASE_BACKEND),
    ],
)
def test_the_default_queue_is_the_database_when_elasticsearch_is_configured(
    monkeypatch, environment, backend
):
    for name in ("ELASTICSEARCH_URL", "TASKS_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    base = runpy.run_path(str(BASE_SETTINGS))

    assert base["TASKS"]["default"]["BACKEND"] == backend


@pytest.fixture
def unanswering_server():
    """A real local TCP server that accepts connections (the kernel completes them into
    the listen backlog) and never answers: an engine that hangs."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server


def connection_attempted(server: socket.socket) -> bool:
    """Whether anything connected to `server` (a pending connection makes it readable)."""
    readable, _, _ = select.select([server], [], [], 0)
    return bool(readable)


@pytest.mark.django_db
@pytest.mark.elasticsearch
def test_a_save_only_records_a_change_and_never_touches_the_engine(
    archive_index, settings, unanswering_server, django_capture_on_commit_callbacks
):
    # `archive_index` before `settings`: its clean-up must talk to the real engine, after
    # the settings are restored.
    real_client = engine.get_client()
    host, port = unanswering_server.getsockname()
    # django-tasks drops its cached backends when TASKS changes (setting_changed).
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}
    settings.ELASTICSEARCH_URL = f"http://{host}:{port}"
    settings.ELASTICSEARCH_TIMEOUT = 1.0  # should the engine be called, fail fast

    with django_capture_on_commit_callbacks(execute=True):
        organization = OrganizationFactory(name="Recorded while the engine hangs")

    # The change is recorded in the outbox with the save, and nothing more: the workers
    # poll the outbox, no task is queued. (Wagtail queues tasks of its own, such as
    # reference-index updates.)
    [pending] = PendingChange.objects.all()
    assert (pending.kind, pending.object_id) == ("organization", str(organization.pk))
    assert not DBTaskResult.objects.filter(task_path__startswith="search.").exists()
    assert not connection_attempted(unanswering_server)
    real_client.indices.refresh(index=alias_name())
    document_id = registry.get("organization").document_id(organization.pk)
    assert not real_client.exists(index=alias_name(), id=document_id)
