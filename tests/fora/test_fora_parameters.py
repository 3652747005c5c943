"""The fora and burden pages read their query strings through forms: every refused value
is a 400 naming its parameter — in the page's own template, in plain text for the CSV
export — never a 500, and a value given twice the same way is that value."""

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from concertation.parameters import InvalidParameters, read_parameters
from consultations.fora.forms import BurdenParameters, ForumListParameters
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

# Bad values every listing with a `page` refuses, each naming `page`.
BAD_PAGES = ["page=abc", "page=0", "page=-1", "page=1.5", "page=99999999", "page=" + "9" * 5000]
# Bad days `as_of` refuses: not a date, not a day of the calendar, out of range, repeated.
BAD_DAYS = [
    "as_of=2002-13-01",
    "as_of=2002-02-30",
    "as_of=20021231",
    "as_of=2101-01-01",
    "as_of=1899-12-31",
    "as_of=2002-01-01&as_of=2002-01-02",
    "as_of=" + "2" * 5000,
]


def refused(client, url: str):
    response = client.get(url)
    assert response.status_code == 400, response.content.decode()[:400]
    return response


def names(response, parameter: str) -> bool:
    return f"The parameter “{parameter}” is not valid" in response.content.decode()


@pytest.mark.parametrize(
    ("querystring", "parameter"),
    [
        ("region=zz-99", "region"),
        ("region=qc&region=on", "region"),
        ("region=" + "q" * 41, "region"),
        ("region=qc%00", "region"),
        ("level=regional&level=local", "level"),
        ("kind=" + "x" * 5000, "kind"),
        *[(querystring, "page") for querystring in BAD_PAGES],
    ],
)
def test_the_list_of_fora_refuses_naming_the_parameter(client, querystring, parameter):
    response = refused(client, f"/fora/?{querystring}")

    assert names(response, parameter)
    assert "fora/forum_list.html" in [template.name for template in response.templates]


@pytest.mark.parametrize("querystring", ["region=qc&region=qc", "region=&level=", "page=&page=1"])
def test_the_list_of_fora_takes_a_value_given_twice_or_blank(client, querystring):
    assert client.get(f"/fora/?{querystring}").status_code == 200


@pytest.mark.parametrize("querystring", BAD_DAYS)
def test_the_seats_page_refuses_a_bad_day_naming_as_of(client, querystring):
    organization = OrganizationFactory()

    response = refused(client, f"/organizations/{organization.slug}/seats/?{querystring}")

    assert names(response, "as_of")
    assert "fora/organization_seats.html" in [template.name for template in response.templates]


@pytest.mark.parametrize(
    ("querystring", "parameter"),
    [
        *[(querystring, "as_of") for querystring in BAD_DAYS],
        *[(querystring, "page") for querystring in BAD_PAGES],
        ("page=2&page=3", "page"),
    ],
)
def test_the_burden_dashboard_refuses_naming_the_parameter(client, querystring, parameter):
    response = refused(client, f"/burden/?{querystring}")

    assert names(response, parameter)
    assert "fora/burden.html" in [template.name for template in response.templates]


@pytest.mark.parametrize("querystring", BAD_DAYS)
def test_the_burden_export_refuses_a_bad_day_in_plain_text(client, querystring):
    response = refused(client, f"/burden/export.csv?{querystring}")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("The parameter “as_of” is not valid: ")


def test_the_burden_export_names_the_parameter_in_french(client):
    response = refused(client, "/fr/burden/export.csv?as_of=hier")

    assert "« as_of »" in response.content.decode()


def test_the_forms_read_only_their_parameters_and_clean_them():
    cleaned = read_parameters(
        ForumListParameters,
        QueryDict("level=%20local%20&region=qc&region=qc&page=&secret=1"),
        regions=["qc"],
    )

    assert cleaned == {"level": "local", "kind": "", "region": "qc", "page": 1}
    assert read_parameters(BurdenParameters, QueryDict("as_of=2002-12-31&page=2")) == {
        "as_of": datetime.date(2002, 12, 31),
        "sort": "-burden_index",
        "page": 2,
    }
    assert read_parameters(BurdenParameters, QueryDict("sort=organization"))["sort"] == (
        "organization"
    )


def test_the_day_defaults_to_today():
    cleaned = read_parameters(BurdenParameters, QueryDict(""))

    assert cleaned["as_of"] == timezone.localdate()


def test_a_region_must_be_one_of_those_the_list_knows():
    with pytest.raises(InvalidParameters) as error:
        read_parameters(ForumListParameters, QueryDict("region=qc"), regions=["on"])

    assert error.value.errors == {"region": ["unknown region code."]}
