"""What the open-data tests share: reading an answer, checking it against the OpenAPI
description, and counting a page's queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def ids(response) -> list[int]:
    """The ids of a list page's records (the page must be a 200)."""
    assert response.status_code == 200, response.content
    return [record["id"] for record in response.json()["results"]]


def refused(response) -> str:
    """The parameter a 400 names."""
    assert response.status_code == 400, response.content
    return response.json()["error"]["parameter"]


def body_schema(description: dict, path: str, status: int) -> dict:
    """The JSON schema the description gives `path`'s answer with `status`, resolvable
    (its `$ref`s point into the description)."""
    answer = description["paths"][path]["get"]["responses"][str(status)]
    return {**answer["content"]["application/json"]["schema"], **description}


def queries_per_page(client, url: str, sizes=(5, 25)) -> dict:
    """How many queries a page of each size costs (each page must be full): equal counts
    mean the relations are fetched per page, not per record."""
    client.get(url, {"page_size": 1})  # Wagtail caches the site's root paths at first.
    counts = {}
    for size in sizes:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page_size": size})
        assert len(response.json()["results"]) == size
        counts[size] = len(queries)
    return counts
