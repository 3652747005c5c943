"""Policy pages: where they may live in the tree, how they render, in both languages."""

import datetime

import pytest
from wagtail.models import Locale

from concertation.models import HomePage
from concertation.site_setup import publish_translation
from consultations.models import (
    PolicyIndexPage,
    PolicyPage,
    PolicyVersionPage,
    PositionIndexPage,
)
from tests.factories import publish_policy_version

pytestmark = pytest.mark.django_db


def test_the_tree_is_home_then_index_then_policy_then_versions():
    assert PolicyIndexPage.parent_page_types == ["concertation.HomePage"]
    assert PolicyPage.allowed_parent_page_models() == [PolicyIndexPage]
    assert PolicyVersionPage.allowed_parent_page_models() == [PolicyPage]
    assert PolicyVersionPage.allowed_subpage_models() == []
    assert HomePage.allowed_subpage_models() == [PolicyIndexPage, PositionIndexPage]


def test_a_version_renders_its_sections_with_anchors(client, home_page):
    version = publish_policy_version(
        home_page,
        "Redrafted version",
        "Criteria for autonomous community organizations.",
        release_date=datetime.date(2001, 9, 5),
    )

    response = client.get(version.url)

    body = response.content.decode()
    assert response.status_code == 200
    assert '<section class="policy-section" id="section-1">' in body
    assert "Criteria for autonomous community organizations." in body
    assert 'datetime="2001-09-05"' in body


def test_a_policy_lists_its_public_versions_in_order(client, home_page):
    later = publish_policy_version(home_page, "Second", "b", number=2)
    publish_policy_version(home_page, "First", "a", number=1)
    publish_policy_version(home_page, "Unpublished draft", "c", number=3, publish=False)
    publish_policy_version(home_page, "Internal version", "d", number=4, status="internal")

    body = client.get(later.get_parent().url).content.decode()

    assert body.index("First") < body.index("Second")
    assert "Unpublished draft" not in body
    assert "Internal version" not in body


def test_a_french_translation_is_served_under_fr(client, home_page):
    version = publish_policy_version(home_page, "First version", "Scope.")
    french = Locale.objects.get(language_code="fr")
    index = version.get_parent().get_parent()
    publish_translation(index, french, title="Politiques")
    publish_translation(version.get_parent(), french, title="Politique")
    translated = publish_translation(version, french, title="Première version")

    response = client.get(translated.url)

    assert translated.url.startswith("/fr/")
    assert "Première version" in response.content.decode()
    assert '<html lang="fr">' in response.content.decode()
    english = client.get(version.url).content.decode()
    assert f'href="{translated.url}"' in english  # the language switcher


def test_a_draft_version_is_not_served(client, home_page):
    draft = publish_policy_version(home_page, "Unreleased", "x", publish=False)

    assert client.get(draft.get_parent().url + "unreleased/").status_code == 404
