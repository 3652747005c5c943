"""The directory's filters as a form: the name filter labelled above its field, each
facet a fieldset named by its legend, its values checkboxes with their counts, sent
together with one button (keeping the name filter), usable without a mouse."""

import html
import re

import pytest

from organizations.models import Region, Sector
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return html.unescape(response.content.decode())


@pytest.fixture
def catalogue():
    home_care, housing = Sector.objects.get(code="home-care"), Sector.objects.get(code="housing")
    OrganizationFactory(name="Entraide Montréal", sectors=[home_care])
    OrganizationFactory(
        name="Logement Laval", sectors=[housing], region=Region.objects.get(code="qc-06")
    )
    OrganizationFactory(name="Entraide Laval", sectors=[housing])


def test_each_facet_is_a_fieldset_with_its_legend(client, catalogue):
    content = page(client, "/organizations/")

    form = re.search(r'<form class="filter-form facet-form".*?</form>', content, re.S).group(0)
    legends = re.findall(r"<legend>([^<]+)</legend>", form)
    assert legends == ["Kind", "Sector", "Region", "Constituency", "Recognition status"]
    assert form.count("<fieldset") == len(legends)
    # Every checkbox is inside its own label (a 44 px target with the text).
    boxes = re.findall(r'<label for="([^"]+)"><input type="checkbox" id="([^"]+)"', form)
    assert boxes and all(label == box for label, box in boxes)
    assert "Apply the filters" in form


def test_the_name_filter_has_its_label_above(client, catalogue):
    content = page(client, "/organizations/")

    assert re.search(
        r'<label for="directory-q">Filter by name</label>\s*<div class="filter-form__row">\s*'
        r'<input id="directory-q" type="search" name="q"',
        content,
    )


def test_the_facet_form_keeps_the_name_filter_and_sends_every_ticked_value(client, catalogue):
    content = page(client, "/organizations/?q=entraide")
    form = re.search(r'<form class="filter-form facet-form".*?</form>', content, re.S).group(0)
    assert '<input type="hidden" name="q" value="entraide">' in form

    # What the browser sends once two sectors are ticked.
    results = page(client, "/organizations/?q=entraide&sector=home-care&sector=housing")

    assert "2 organizations" in results
    assert "Entraide Montréal" in results and "Entraide Laval" in results
    assert "Logement Laval" not in results
    assert re.search(r'value="home-care" checked>', results)
    assert re.search(r'value="housing" checked>', results)
