"""The `/search/` page on the real Elasticsearch: its facet links (built in the view, in
one pass), its passages, and a number of database queries that does not grow with the
results."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.search.archive_corpus import document, put

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]


def housing(count: int) -> list[dict]:
    return [
        document(
            "organization",
            number,
            f"Housing group {number}",
            "Tenants and housing co-operatives of the region.",
            date=f"20{10 + number % 10}-01-01",
            sector=["housing" if number % 2 else "youth"],
            region=[f"{number % 3:02}"],
        )
        for number in range(1, count + 1)
    ] + [
        document(
            "position",
            999,
            "Secret housing position",
            "Housing for tenants.",
            date="2024-03-03",
            visibility="restricted",
            sector=["secret-sector"],
        )
    ]


def facet_links(page: str, name: str) -> dict[str, tuple[str, bool]]:
    """The facet `name`'s links: value → (query string, selected)."""
    section = re.search(rf'<section class="facet facet--{name}">(.*?)</section>', page, re.S)
    assert section, f"no {name} facet"
    return {
        label: (href.replace("&amp;", "&"), bool(current))
        for href, current, label in re.findall(
            r'<a href="\?([^"]*)"( aria-current="true" class="selected")?>([^<]*)</a>',
            section.group(1),
        )
    }


def test_facet_links_add_a_value_or_remove_a_chosen_one_and_keep_the_rest(client, archive_index):
    put(housing(6))
    page = client.get("/search/", {"q": "housing", "sector": "housing", "page": "1"})
    html = page.content.decode()

    sectors = facet_links(html, "sector")
    assert sectors == {"housing": ("q=housing", True)}
    regions = facet_links(html, "region")
    assert regions["01"] == ("q=housing&sector=housing&region=01", False)
    kinds = facet_links(html, "kind")
    # The kind's visitor-facing name, not its code.
    assert list(kinds.values()) == [("q=housing&sector=housing&kind=organization", False)]
    assert "organization" not in kinds
    # The restricted record is neither counted nor linked.
    assert "secret-sector" not in html


def test_a_chosen_value_among_several_is_removed_alone(client, archive_index):
    put(housing(6))
    html = client.get("/search/", {"region": ["01", "02"], "sort": "date"}).content.decode()

    regions = facet_links(html, "region")
    assert regions["01"] == ("region=02&sort=date", True)
    assert regions["02"] == ("region=01&sort=date", True)
    # Counts follow the filters: no other region is left to add.
    assert set(regions) == {"01", "02"}


def test_every_result_shows_its_passage(client, archive_index):
    put(housing(3))
    html = client.get("/search/", {"q": "tenants"}).content.decode()

    assert html.count('<p class="highlight"><mark>Tenants</mark> and housing') == 3


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_page_runs_as_many_queries_for_twenty_results_as_for_two(
    client, archive_index, django_assert_max_num_queries, signed_in, django_user_model
):
    """No query per hit or per facet value: what the page shows comes from the engine."""
    if signed_in:
        client.force_login(django_user_model.objects.create_user("reader"))
    put(housing(2))
    client.get("/search/", {"q": "housing"})  # the session and caches warm
    with CaptureQueriesContext(connection) as few:
        assert client.get("/search/", {"q": "housing"}).context["results"].total == 2
    put(housing(20))
    with django_assert_max_num_queries(len(few)):
        assert client.get("/search/", {"q": "housing"}).context["results"].total == 20
