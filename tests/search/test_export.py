"""The export streams every result of a query, beyond one chunk of `search_after`
paging, in the query's order, and never a record that is not public."""

import csv
import io
import json
import socket

import pytest

from search import engine
from search.export import CHUNK_SIZE
from search.index import alias_name
from tests.factories import OrganizationFactory
from tests.search.archive_corpus import document, put

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]

PUBLIC = 2 * CHUNK_SIZE + 137


@pytest.fixture
def large_corpus(archive_index):
    """More public records than two chunks, with non-public ones mixed in. Every third
    record mentions housing; dates repeat, so the `uid` tiebreaker matters."""
    documents = [
        document(
            "submission",
            number,
            f"Brief {number}",
            "On housing." if number % 3 == 0 else "On food.",
            date=f"20{10 + number % 10}-01-01",
            sector=["housing" if number % 3 == 0 else "food"],
        )
        for number in range(PUBLIC)
    ]
    documents += [
        document("position", number, f"Hidden {number}", "On housing.", visibility="private")
        for number in range(50)
    ]
    put(documents)


def rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_every_public_row_and_no_other(client, large_corpus):
    response = client.get("/api/search/export.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    exported = rows(response)
    assert len(exported) == PUBLIC
    assert {row["kind"] for row in exported} == {"submission"}
    assert len({row["object_id"] for row in exported}) == PUBLIC
    assert list(exported[0]) == ["kind", "object_id", "title", "url", "language", "date"]


def test_export_follows_the_words_filters_and_order(client, large_corpus):
    exported = rows(client.get("/api/search/export.csv", {"q": "housing", "sort": "date"}))

    expected = sorted(
        (f"20{10 + n % 10}-01-01", f"submission:{n}") for n in range(PUBLIC) if n % 3 == 0
    )
    assert [(row["date"], f"{row['kind']}:{row['object_id']}") for row in exported] == expected
    by_sector = rows(client.get("/api/search/export.csv", {"sector": "housing"}))
    assert len(by_sector) == len(expected)


def test_json_export_streams_an_array(client, large_corpus):
    response = client.get("/api/search/export.json", {"sort": "-date"})

    assert response.streaming
    records = json.loads(b"".join(response.streaming_content))
    assert len(records) == PUBLIC
    assert set(records[0]) == {"kind", "object_id", "title", "url", "language", "date"}
    dates = [record["date"] for record in records]
    assert dates == sorted(dates, reverse=True)


def test_export_refuses_bad_parameters_as_the_api_does(client, archive_index):
    response = client.get("/api/search/export.csv", {"sort": "title"})

    assert response.status_code == 400
    assert response.json()["error"]["parameter"] == "sort"


def test_export_of_records_indexed_by_the_apps(client, archive_index, index_on_commit):
    with index_on_commit():
        organization = OrganizationFactory(name='=HYPERLINK("http://x")')

    source = engine.get_client().get(index=alias_name(), id=f"organization:{organization.pk}")
    assert source["_source"]["uid"] == f"organization:{organization.pk}"
    exported = rows(client.get("/api/search/export.csv"))
    assert [row["object_id"] for row in exported] == [str(organization.pk)]
    # Spreadsheets do not run it as a formula.
    assert exported[0]["title"] == '\'=HYPERLINK("http://x")'


def test_without_the_engine_the_export_comes_from_the_database(client, settings):
    settings.ELASTICSEARCH_URL = ""
    OrganizationFactory(name="Exported without the engine")

    response = client.get("/api/search/export.csv", {"q": "exported"})

    assert response.status_code == 200
    assert b"Exported without the engine" in b"".join(response.streaming_content)


def test_with_the_engine_down_the_export_comes_from_the_database(client, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{port}"
    OrganizationFactory(name="Exported during an outage")

    response = client.get("/api/search/export.json", {"q": "outage"})

    assert response.status_code == 200
    records = json.loads(b"".join(response.streaming_content))
    assert [record["title"] for record in records] == ["Exported during an outage"]
    api = client.get("/api/search/", {"q": "anything"}).json()
    assert api["backend"] == "database"
    assert "unavailable" in api["notice"]


def test_edits_made_during_an_export_neither_skip_nor_repeat_records(client, large_corpus):
    """The export reads a point in time: records deleted, added or moved in the order
    after it began leave the file as it would have been at its start."""
    response = client.get("/api/search/export.json", {"sort": "date"})
    stream = iter(response.streaming_content)
    head = b"".join(next(stream) for _ in range(1 + CHUNK_SIZE // 2))  # inside chunk one
    first_ids = {record["object_id"] for record in json.loads(head.decode() + "\n]")}

    # Deleted from the middle, added at the front: a live `search_after` would skip
    # some and never see the new one, or repeat some when an edit shifts the order.
    client_es = engine.get_client()
    for number in range(CHUNK_SIZE, CHUNK_SIZE + 40):
        client_es.delete(index=alias_name(), id=f"submission:{number}")
    put(
        [
            document("submission", f"new{n}", f"New {n}", "On food.", date="2000-01-01")
            for n in range(40)
        ]
    )

    text = head.decode() + b"".join(stream).decode()
    exported = [record["object_id"] for record in json.loads(text)]
    assert len(exported) == len(set(exported)) == PUBLIC
    assert set(exported) == {str(number) for number in range(PUBLIC)}
    assert first_ids <= set(exported)
