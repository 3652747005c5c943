"""The funding pages read their query strings through forms: every refused value is a
400 naming its parameter — in the page's own template, in plain text for the CSV export
— never a 500, and a value given twice the same way is that value."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from concertation.parameters import InvalidParameters, read_parameters
from organizations.funding.forms import ExplorerParameters, FundingFilterParameters

pytestmark = pytest.mark.django_db

BAD_PAGES = ["page=abc", "page=0", "page=-1", "page=1.5", "page=99999999", "page=" + "9" * 5000]
BAD_YEARS = [
    "year=last",
    "year=20001",
    "year=1899",
    "year=2101",
    "year=２００１",  # full-width digits
    "year=2000&year=2001",
    "year=" + "2" * 5000,
]
# Filters the explorer and the export share, each refused value naming its parameter.
BAD_FILTERS = [
    *[(querystring, "year") for querystring in BAD_YEARS],
    ("region=zz-99", "region"),
    ("region=qc&region=on", "region"),
    ("region=qc%00", "region"),
    ("sector=no-such-sector", "sector"),
    ("sector=housing&sector=home-care", "sector"),
    ("programme=no-such-programme", "programme"),
    ("programme=" + "p" * 256, "programme"),
    ("mode=gift", "mode"),
    ("mode=project&mode=global_mission", "mode"),
]


def refused(client, url: str):
    response = client.get(url)
    assert response.status_code == 400, response.content.decode()[:400]
    return response


def names(response, parameter: str) -> bool:
    return f"The parameter “{parameter}” is not valid" in response.content.decode()


@pytest.mark.parametrize(
    ("querystring", "parameter"),
    [*BAD_FILTERS, *[(querystring, "page") for querystring in BAD_PAGES]],
)
def test_the_explorer_refuses_naming_the_parameter(client, querystring, parameter):
    response = refused(client, f"/funding/?{querystring}")

    assert names(response, parameter)
    assert "funding/explorer.html" in [template.name for template in response.templates]


@pytest.mark.parametrize(
    "querystring", ["region=qc&region=qc", "year=2001&year=%202001%20", "mode=&sector=&page="]
)
def test_the_explorer_takes_a_value_given_twice_or_blank(client, querystring):
    assert client.get(f"/funding/?{querystring}").status_code == 200


@pytest.mark.parametrize("querystring", BAD_YEARS)
def test_new_and_moved_money_refuses_a_bad_year_naming_it(client, querystring):
    response = refused(client, f"/funding/new-and-moved/?{querystring}")

    assert names(response, "year")
    assert "funding/new_and_moved.html" in [template.name for template in response.templates]


@pytest.mark.parametrize(("querystring", "parameter"), BAD_FILTERS)
def test_the_export_refuses_in_plain_text_naming_the_parameter(client, querystring, parameter):
    response = refused(client, f"/funding/export.csv?{querystring}")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith(f"The parameter “{parameter}” is not valid: ")


def test_the_export_ignores_the_page(client):
    assert client.get("/funding/export.csv?page=abc").status_code == 200


def test_the_export_checks_a_filter_in_the_database_one_query_each():
    with CaptureQueriesContext(connection) as queries:
        cleaned = read_parameters(FundingFilterParameters, QueryDict("region=qc&sector=housing"))

    assert (cleaned["region"], cleaned["sector"]) == ("qc", "housing")
    assert len(queries) == 2


def test_the_explorer_checks_the_filters_against_its_menus_without_a_query():
    with CaptureQueriesContext(connection) as queries:
        cleaned = read_parameters(
            ExplorerParameters,
            QueryDict("region=qc&programme=housing-projects&page=2&secret=1"),
            regions=["qc"],
            sectors=[],
            programmes=["housing-projects"],
        )
        with pytest.raises(InvalidParameters) as error:
            read_parameters(
                ExplorerParameters,
                QueryDict("sector=housing"),
                regions=[],
                sectors=[],
                programmes=[],
            )

    assert cleaned == {
        "year": None,
        "region": "qc",
        "sector": "",
        "programme": "housing-projects",
        "mode": "",
        "sort": "-fiscal_year",
        "page": 2,
    }
    assert error.value.errors == {"sector": ["unknown sector code."]}
    assert queries.captured_queries == []
