"""Stored addresses do not depend on the language active when a record was indexed;
results give a record without a language of its own in the visitor's language, and a
page at the address of its own locale."""

import pytest
from django.utils import translation

from search import engine
from search.index import alias_name
from search.registry import registry
from search.service import localize_url
from tests.factories import OrganizationFactory, publish_policy_version

pytestmark = pytest.mark.django_db


def result_urls(client, path: str, text: str) -> list[str]:
    return [hit.url for hit in client.get(path, {"q": text}).context["results"].hits]


@pytest.mark.elasticsearch
def test_an_organization_saved_in_french_links_in_each_visitors_language(
    client, archive_index, index_on_commit
):
    # The after-commit index update runs while French is active, as after a save in
    # the French admin.
    with translation.override("fr"), index_on_commit():
        organization = OrganizationFactory(name="Comptoir alimentaire", slug="comptoir")

    document = engine.get_client().get(
        index=alias_name(), id=registry.get("organization").document_id(organization.pk)
    )
    assert document["_source"]["url"] == "/organizations/comptoir/"

    english = client.get("/search/", {"q": "comptoir"})
    assert [hit.url for hit in english.context["results"].hits] == ["/organizations/comptoir/"]
    assert 'href="/organizations/comptoir/"' in english.content.decode()

    french = client.get("/fr/search/", {"q": "comptoir"})
    assert [hit.url for hit in french.context["results"].hits] == ["/fr/organizations/comptoir/"]
    assert 'href="/fr/organizations/comptoir/"' in french.content.decode()


@pytest.mark.elasticsearch
def test_a_page_keeps_the_address_of_its_own_locale(
    client, home_page, archive_index, index_on_commit
):
    with translation.override("fr"), index_on_commit():
        version = publish_policy_version(home_page, "Version anglaise", "An English text.")

    # The version, and its section at its anchor.
    expected = [version.get_url(), f"{version.get_url()}#section-1"]
    assert sorted(result_urls(client, "/fr/search/", "anglaise")) == expected
    assert sorted(result_urls(client, "/search/", "anglaise")) == expected
    assert not version.get_url().startswith("/fr/")


def test_the_database_fallback_links_in_the_visitors_language_too(client, settings):
    settings.ELASTICSEARCH_URL = ""
    OrganizationFactory(name="Comptoir alimentaire", slug="comptoir")

    assert result_urls(client, "/search/", "comptoir") == ["/organizations/comptoir/"]
    assert result_urls(client, "/fr/search/", "comptoir") == ["/fr/organizations/comptoir/"]


@pytest.mark.parametrize(
    ("url", "language", "expected"),
    [
        ("/organizations/comptoir/", "fr", "/fr/organizations/comptoir/"),
        ("/organizations/comptoir/", "en", "/organizations/comptoir/"),
        # Stored before addresses were language-neutral: still put in the visitor's.
        ("/fr/organizations/comptoir/", "en", "/organizations/comptoir/"),
        ("/fr/organizations/comptoir/", "fr", "/fr/organizations/comptoir/"),
    ],
)
def test_localize_url(url, language, expected):
    assert localize_url(url, language) == expected
