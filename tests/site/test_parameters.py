"""The shared parameter layer: forms read the query string, one decorator answers 400."""

import json

import pytest
from django import forms
from django.http import HttpResponse, QueryDict
from django.test import RequestFactory

from concertation.parameters import (
    InvalidParameters,
    ParameterError,
    read_parameters,
    refuses_parameters,
)


class ListingParameters(forms.Form):
    region = forms.CharField(required=False, max_length=5)
    page = forms.IntegerField(required=False, min_value=1, max_value=50)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("region") == "none" and cleaned.get("page"):
            self.add_error("page", "no pages without a region.")
        return cleaned


def test_cleaned_data_and_unknown_parameters_ignored():
    cleaned = read_parameters(ListingParameters, QueryDict("region=qc&page=2&secret=1"))

    assert cleaned == {"region": "qc", "page": 2}


def test_every_refused_parameter_is_named_in_field_order():
    with pytest.raises(InvalidParameters) as refused:
        read_parameters(ListingParameters, QueryDict("page=abc&region=toolong"))

    assert list(refused.value.errors) == ["region", "page"]
    assert refused.value.parameter == "region"
    assert refused.value.message == refused.value.errors["region"][0]
    assert isinstance(refused.value, ParameterError)


def test_cross_field_rules_name_their_parameter():
    with pytest.raises(InvalidParameters) as refused:
        read_parameters(ListingParameters, QueryDict("region=none&page=2"))

    assert refused.value.errors == {"page": ["no pages without a region."]}


@refuses_parameters()
def listing_api(request):
    read_parameters(ListingParameters, request.GET)
    return HttpResponse("ok")


@pytest.mark.parametrize(
    ("querystring", "parameter"),
    [
        ("page=abc", "page"),
        ("page=1&page=abc", "page"),
        ("page=" + "9" * 5000, "page"),
        ("region=" + "x" * 10_000, "region"),
    ],
)
def test_the_api_answers_400_with_the_error_shape(querystring, parameter):
    response = listing_api(RequestFactory().get(f"/?{querystring}"))

    assert response.status_code == 400
    body = json.loads(response.content)
    assert set(body["error"]) == {"parameter", "message"}
    assert body["error"]["parameter"] == parameter
    assert body["error"]["message"]


@refuses_parameters(as_text=True)
def listing_export(request):
    read_parameters(ListingParameters, request.GET)
    return HttpResponse("ok")


def test_an_export_answers_400_in_plain_text_naming_the_parameter():
    response = listing_export(RequestFactory().get("/?region=toolong"))

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("The parameter “region” is not valid: ")
    assert listing_export(RequestFactory().get("/?region=qc")).content == b"ok"


def test_valid_parameters_reach_the_view():
    assert listing_api(RequestFactory().get("/?page=&page=3")).content == b"ok"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("querystring", "parameter"),
    [
        ("page=abc", "page"),
        ("page=1&page=abc", "page"),
        ("page=" + "9" * 5000, "page"),
        ("sort=score", "sort"),
        ("sort=" + "x" * 10_000, "sort"),
        ("size=99999999", "size"),
    ],
)
def test_the_search_page_answers_400_naming_the_parameter_in_its_own_template(
    client, querystring, parameter
):
    response = client.get(f"/search/?{querystring}")

    assert response.status_code == 400
    assert "search/search.html" in [template.name for template in response.templates]
    assert f"“{parameter}”" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("querystring", "parameter"),
    [("page=abc", "page"), ("page=1&page=abc", "page"), ("kind=" + "x" * 5000, "kind")],
)
def test_the_directory_answers_400_naming_the_parameter_in_its_own_template(
    client, querystring, parameter
):
    response = client.get(f"/organizations/?{querystring}")

    assert response.status_code == 400
    assert "organizations/organization_list.html" in [t.name for t in response.templates]
    assert f"“{parameter}”" in response.content.decode()
