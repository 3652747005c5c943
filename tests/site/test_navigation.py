"""The site's shell: the main navigation (every link resolving, in both languages, the
current section marked), breadcrumbs on Wagtail pages and Django views, and the
accessibility statement linked from every page's footer."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from concertation.site_setup import ensure_locales, publish_translation
from tests.factories import OrganizationFactory, publish_policy_version

pytestmark = pytest.mark.django_db


def nav_links(content: str) -> list[tuple[str, str]]:
    """The (href, attributes) of the main navigation's links."""
    nav = re.search(r'<nav class="main-nav".*?</nav>', content, flags=re.S).group(0)
    return re.findall(r'<a href="([^"]+)"([^>]*)>', nav)


def breadcrumb_trail(content: str) -> list[str]:
    """The breadcrumbs' items as text, the current one marked with a leading `*`."""
    nav = re.search(r'<nav class="breadcrumbs".*?</nav>', content, flags=re.S).group(0)
    items = re.findall(r"<li>(.*?)</li>", nav, flags=re.S)
    return [
        ("*" if 'aria-current="page"' in item else "") + re.sub(r"<[^>]+>", "", item).strip()
        for item in items
    ]


@pytest.fixture
def site_in_both_languages(home_page, position_index):
    """A policy with a version, the positions' index, both also in French."""
    version = publish_policy_version(home_page, "First draft", "Scope of the policy.")
    policy = version.get_parent()
    french = ensure_locales()["fr"]
    publish_translation(policy.get_parent(), french, title="Politiques")
    publish_translation(position_index, french, title="Positions (fr)")
    return version


class TestMainNavigation:
    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_every_part_of_the_product_is_linked_and_resolves(
        self, client, site_in_both_languages, language
    ):
        home = "/" if language == "en" else "/fr/"
        links = nav_links(client.get(home).content.decode())

        with translation.override(language):
            expected = [
                reverse(name)
                for name in (
                    "policies",
                    "open_rounds",
                    "positions",
                    "organizations:list",
                    "fora",
                    "burden",
                    "funding_explorer",
                    "search:search",
                )
            ]
        assert [href for href, _ in links] == expected
        for href, _ in links:
            assert href.startswith(home)
            response = client.get(href, follow=True)
            assert response.status_code == 200, href
            assert f'<html lang="{language}">' in response.content.decode()

    def test_the_policies_and_positions_entries_lead_to_their_index_in_the_language(
        self, client, site_in_both_languages
    ):
        assert client.get(reverse("policies"))["Location"] == "/policies/"
        assert client.get(reverse("positions"))["Location"] == "/positions/"
        with translation.override("fr"):
            assert client.get(reverse("policies"))["Location"] == "/fr/policies/"

    def test_the_policies_entry_without_any_index_is_not_found(self, client, home_page):
        assert client.get(reverse("policies")).status_code == 404

    def test_the_current_section_is_marked(self, client, site_in_both_languages):
        organization = OrganizationFactory()

        def current(url: str) -> list[str]:
            links = nav_links(client.get(url).content.decode())
            return [href for href, attributes in links if "aria-current" in attributes]

        assert current(reverse("organizations:list")) == [reverse("organizations:list")]
        assert current(organization.get_absolute_url()) == [reverse("organizations:list")]
        assert current(site_in_both_languages.url) == [reverse("policies")]
        assert current(reverse("open_rounds")) == [reverse("open_rounds")]
        assert current("/") == []
        page = client.get(reverse("fora")).content.decode()
        assert f'<a href="{reverse("fora")}" aria-current="page">' in page


class TestBreadcrumbs:
    def test_a_wagtail_page_shows_its_ancestors_below_the_home_page(
        self, client, site_in_both_languages
    ):
        content = client.get(site_in_both_languages.url).content.decode()

        assert breadcrumb_trail(content) == [
            "Home",
            "Policies",
            "Community action policy",
            "*First draft",
        ]
        assert '<a href="/policies/">Policies</a>' in content

    def test_a_page_route_links_its_page_and_names_itself(self, client, site_in_both_languages):
        publish_policy_version(site_in_both_languages.get_parent().get_parent(), "Second", "x")
        policy = site_in_both_languages.get_parent()

        content = client.get(f"{policy.url}compare/?from=1&to=2").content.decode()

        assert breadcrumb_trail(content) == [
            "Home",
            "Policies",
            "Community action policy",
            "*Compare versions",
        ]

    def test_a_french_page_starts_from_the_french_home(self, client, site_in_both_languages):
        content = client.get("/fr/policies/").content.decode()

        assert '<a href="/fr/">' in content
        assert breadcrumb_trail(content)[-1] == "*Politiques"

    def test_a_django_view_shows_its_trail(self, client, home_page):
        organization = OrganizationFactory(name="Maison des jeunes")

        content = client.get(organization.get_absolute_url()).content.decode()

        assert breadcrumb_trail(content) == ["Home", "Organizations", "*Maison des jeunes"]
        assert f'<a href="{reverse("organizations:list")}">Organizations</a>' in content

    @pytest.mark.parametrize(
        ("name", "trail"),
        [
            ("organizations:list", ["Home", "*Organizations"]),
            ("fora", ["Home", "*Fora"]),
            ("burden", ["Home", "*Representation burden"]),
            ("funding_explorer", ["Home", "*Funding"]),
            ("search:search", ["Home", "*Search"]),
            ("open_rounds", ["Home", "*Rounds open now"]),
            ("accessibility", ["Home", "*Accessibility statement"]),
            ("contributor_sign_in", ["Home", "*Contributor sign-in"]),
        ],
    )
    def test_every_public_view_has_one(self, client, home_page, name, trail):
        assert breadcrumb_trail(client.get(reverse(name)).content.decode()) == trail

    def test_the_home_page_has_none(self, client, home_page):
        assert 'class="breadcrumbs"' not in client.get("/").content.decode()


class TestAccessibilityStatement:
    def test_linked_from_the_footer_of_every_page(self, client, home_page):
        for url in ("/", reverse("organizations:list"), "/fr/"):
            footer = client.get(url).content.decode().split('<footer class="site-footer">')[1]
            with translation.override("fr" if url.startswith("/fr/") else "en"):
                assert f'href="{reverse("accessibility")}"' in footer

    def test_in_english(self, client, home_page):
        content = client.get(reverse("accessibility")).content.decode()

        assert "<h1>Accessibility statement</h1>" in content
        assert "WCAG 2.2" in content and "level AA" in content
        assert 'id="testing"' in content and 'id="limits"' in content
        assert "mailto:" in content

    def test_in_french(self, client, home_page):
        with translation.override("fr"):
            url = reverse("accessibility")

        content = client.get(url).content.decode()

        assert url.startswith("/fr/")
        assert '<html lang="fr">' in content
        assert "<h1>Déclaration d’accessibilité</h1>" in content
        assert "WCAG 2.2" in content and "niveau AA" in content
        assert "Limites connues" in content
        assert "mailto:" in content


class TestLanguageSwitcher:
    def test_a_page_route_switches_to_the_same_route_of_the_translation(
        self, client, site_in_both_languages
    ):
        publish_policy_version(site_in_both_languages.get_parent().get_parent(), "Second", "x")
        policy = site_in_both_languages.get_parent()
        french = publish_translation(policy, ensure_locales()["fr"], title="Politique")

        content = client.get(f"{policy.url}compare/?from=1&to=2").content.decode()

        assert f'href="{french.url}compare/?from=1&amp;to=2" lang="fr"' in content


class TestErrorPages:
    def test_not_found_keeps_the_shell_and_offers_a_way_on(self, client, home_page):
        response = client.get("/no-such-page/")

        content = response.content.decode()
        assert response.status_code == 404
        assert "<h1>Page not found</h1>" in content
        assert 'class="main-nav"' in content
        assert f'href="{reverse("search:search")}"' in content
        assert 'class="breadcrumbs"' not in content

    def test_server_error_renders_without_a_request_in_both_languages(self):
        from django.template.loader import get_template

        content = get_template("500.html").render()

        assert "Server error" in content
        assert '<span lang="fr">Erreur du serveur</span>' in content
        assert "concertation/css/site.css" in content


class TestAccountLink:
    def test_a_visitor_is_offered_the_contributors_sign_in(self, client, home_page):
        content = client.get("/").content.decode()

        assert f'href="{reverse("contributor_sign_in")}">Sign in</a>' in content

    def test_a_signed_in_contributor_is_offered_their_page(
        self, client, home_page, django_user_model
    ):
        client.force_login(django_user_model.objects.create_user("editor"))

        content = client.get(reverse("organizations:list")).content.decode()

        assert f'href="{reverse("contributor")}">Your account</a>' in content
        assert "Sign in</a>" not in content
