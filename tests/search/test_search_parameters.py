"""The search form is the one definition of the search's parameters: the API
description is generated from it, so they cannot drift apart."""

import jsonschema
import pytest
from django.http import QueryDict

from concertation.parameters import InvalidParameters, read_parameters
from search.forms import FACETS, MAX_FILTER_VALUES, SearchParameters
from search.openapi import openapi_description

API = "/api/search/"


def described_parameters(path: str = API) -> dict[str, dict]:
    return {p["name"]: p for p in openapi_description()["paths"][path]["get"]["parameters"]}


def test_every_form_field_is_described_with_its_rules():
    described = described_parameters()

    assert list(described) == list(SearchParameters.base_fields)
    for name, field in SearchParameters.base_fields.items():
        assert described[name]["required"] == field.required
        assert described[name]["description"] == str(field.help_text)
        assert described[name]["schema"] == field.json_schema()


def test_repeatable_parameters_are_described_as_arrays():
    described = described_parameters()

    for name in (*FACETS, "facet"):
        assert described[name]["schema"]["type"] == "array"
        assert (described[name]["style"], described[name]["explode"]) == ("form", True)
    assert described["region"]["schema"]["maxItems"] == MAX_FILTER_VALUES


def test_the_exports_describe_the_form_without_what_they_ignore():
    export = described_parameters(f"{API}export.csv")

    assert set(export) == set(SearchParameters.base_fields) - {"page", "size", "facet"}


@pytest.mark.parametrize(
    ("querystring", "parameter"),
    [
        ("page=abc", "page"),
        ("page=", None),
        ("page=2&page=abc", "page"),
        ("page=" + "9" * 5000, "page"),
        ("size=" + "9" * 5000, "size"),
        ("sort=", "sort"),
        ("sort=best", "sort"),
        ("facet=", "facet"),
        ("region=" + "&region=".join(f"r{n}" for n in range(MAX_FILTER_VALUES + 1)), "region"),
        ("like=organization", "like"),
    ],
)
def test_garbage_is_refused_naming_the_parameter_or_read_as_the_default(querystring, parameter):
    if parameter is None:
        assert read_parameters(SearchParameters, QueryDict(querystring))["page"] == 1
        return
    with pytest.raises(InvalidParameters) as refused:
        read_parameters(SearchParameters, QueryDict(querystring))
    assert refused.value.parameter == parameter


def test_defaults_and_duplicates():
    cleaned = read_parameters(SearchParameters, QueryDict("region=a&region=a&region=&q=%20x%20"))

    assert cleaned["region"] == ("a",)
    assert cleaned["q"] == "x"
    assert (cleaned["sort"], cleaned["page"], cleaned["size"]) == ("relevance", 1, 20)
    assert cleaned["facet"] == tuple(FACETS)


@pytest.mark.django_db
def test_a_refusal_is_the_error_the_description_promises(client):
    response = client.get(API, {"page": "abc"})

    assert response.status_code == 400
    description = openapi_description()
    refused = description["paths"][API]["get"]["responses"]["400"]
    schema = refused["content"]["application/json"]["schema"]
    jsonschema.validate(response.json(), {**schema, "components": description["components"]})


@pytest.mark.django_db
def test_an_answer_is_the_one_the_description_promises(client, settings):
    settings.ELASTICSEARCH_URL = ""
    response = client.get(API, {"q": "maison", "page": "1", "size": "5"})

    assert response.status_code == 200
    description = openapi_description()
    answered = description["paths"][API]["get"]["responses"]["200"]
    schema = answered["content"]["application/json"]["schema"]
    jsonschema.validate(response.json(), {**schema, "components": description["components"]})
