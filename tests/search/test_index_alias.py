"""Creating the first archive index is idempotent: however many workers index their first
document at once, and after a rebuild, exactly one index stands behind the alias."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command

from search import engine
from search.index import (
    alias_name,
    create_initial_index,
    drop_all,
    ensure_index,
    indices_behind_alias,
    initial_index_name,
)

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]

WORKERS = 8


def test_the_first_index_is_created_once_with_the_alias(archive_index):
    ensure_index()
    ensure_index()
    create_initial_index()  # another worker that found no alias a moment earlier

    assert indices_behind_alias() == [initial_index_name()]


def test_workers_indexing_their_first_document_at_once_share_one_index(archive_index):
    drop_all()
    start = threading.Barrier(WORKERS)

    def first_write(number: int) -> None:
        start.wait()
        alias = ensure_index()
        engine.get_client().index(index=alias, id=f"race:{number}", document={"kind": "race"})

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for future in [pool.submit(first_write, number) for number in range(WORKERS)]:
            future.result()  # a write to an alias over several indices would raise here

    assert indices_behind_alias() == [initial_index_name()]
    engine.get_client().indices.refresh(index=alias_name())
    assert engine.get_client().count(index=alias_name())["count"] == WORKERS


def test_after_a_rebuild_ensure_index_keeps_the_rebuilt_index(archive_index):
    call_command("search_index", "rebuild", "--no-progress")
    [rebuilt] = indices_behind_alias()

    ensure_index()

    assert indices_behind_alias() == [rebuilt]
    assert rebuilt != initial_index_name()
    assert not engine.get_client().indices.exists(index=initial_index_name())


def test_an_initial_index_that_lost_its_alias_gets_it_back(archive_index):
    engine.get_client().indices.delete_alias(index=initial_index_name(), name=alias_name())

    ensure_index()

    assert indices_behind_alias() == [initial_index_name()]
