"""WCAG 2.2 AA in headless Chromium, on the demo's public pages in English and French:
axe-core finds no violation, anonymous, signed in as an organization editor and (where
they see more) as a round steward; no page scrolls sideways at 390 px, nor at 320 px;
and three journeys made with the keyboard alone — send a brief to the open round
(signing in on the way), filter the organization directory, compare two versions of the
policy — with the focus visible at every step.

The demo is loaded once for the module and served by one live server to one browser.
These tests use the database like the non-transactional ones (each in a transaction
rolled back; they run before the transactional tests), so the demo, committed by the
module's fixture, is removed at its end by flushing the database and putting back what
the migrations had left in it.
"""

import os

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from playwright.sync_api import Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.browser.axe import describe, violations
from tests.browser.demo_site import (
    EDITOR,
    LANGUAGES,
    PAGES,
    PASSWORD,
    STAFF,
    DemoSite,
    load_demo_site,
    restore_migrated_state,
)
from tests.browser.keyboard import focused, tab_to
from tests.browser.test_search_journey import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CONCERTATION_REQUIRE_ENGINES") != "1",
        reason="Debian's chromium is not installed",
    ),
]

ANONYMOUS = "anonymous"
ACCOUNTS = {ANONYMOUS: None, "editor": EDITOR, "staff": STAFF}
#: The pages a round steward sees differently from an editor.
STAFF_PAGES = ("home", "open-round", "closed-round", "account", "policy")
#: The pages also checked at 320 px, the narrowest width WCAG's reflow asks for.
NARROWEST_PAGES = (
    "home",
    "directory",
    "organization",
    "cooperative",
    "open-round",
    "brief-form",
    "burden",
    "funding",
)
NOT_FOUND = "not-found"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded, indexed when Elasticsearch is there, and served; afterwards the
    database as the migrations left it."""
    with django_db_blocker.unblock():
        migrated = connection.creation.serialize_db_to_string()
        if settings.ELASTICSEARCH_URL:
            from search.index import drop_all, ensure_index, refresh

            drop_all()
            ensure_index()
        try:
            with transaction.atomic():
                site = load_demo_site()
            if settings.ELASTICSEARCH_URL:
                refresh()
            server = LiveServer("localhost")
            try:
                yield site, server.url
            finally:
                server.stop()
        finally:
            restore_migrated_state(migrated)
            if settings.ELASTICSEARCH_URL:
                drop_all()


@pytest.fixture(scope="module")
def browser(demo):
    # Playwright's sync API runs an event loop in this thread; the ORM work is the
    # fixtures' (and the rolled-back transactions pytest-django opens around each test).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield launched
            finally:
                launched.close()
                # The tests ran while Playwright's loop had the thread: Django gave them
                # a connection of their own (its connections are per context), which
                # would stay open and keep the test database from being dropped.
                connections.close_all()


@pytest.fixture(scope="module")
def tab(browser, demo):
    """One tab per account and window width, kept for the module; `bypass_csp` lets axe's
    script in (tests/browser/axe.py)."""
    site, url = demo
    opened: dict[tuple[str, int], Page] = {}

    def open_tab(account: str, width: int = 1280) -> Page:
        if (account, width) not in opened:
            context = browser.new_context(
                base_url=url,
                bypass_csp=True,
                locale="en-CA",
                viewport={"width": width, "height": 900},
            )
            username = ACCOUNTS[account]
            if username:
                context.add_cookies(
                    [
                        {
                            "name": settings.SESSION_COOKIE_NAME,
                            "value": site.sessions[username],
                            "url": url,
                        }
                    ]
                )
            opened[account, width] = context.new_page()
        return opened[account, width]

    yield open_tab
    for page in opened.values():
        page.context.close()


def visit(tab_page: Page, site: DemoSite, name: str, language: str) -> None:
    response = tab_page.goto(site.url(name, language))
    assert response is not None
    assert response.status == (404 if name == NOT_FOUND else 200), tab_page.url
    assert tab_page.evaluate("document.documentElement.lang").startswith(language)


def cases():
    for name, _address in PAGES:
        for language in LANGUAGES:
            for account in ACCOUNTS:
                if account == "staff" and name not in STAFF_PAGES:
                    continue
                yield pytest.param(name, language, account, id=f"{name}-{language}-{account}")


@pytest.mark.parametrize(("name", "language", "account"), list(cases()))
def test_axe_finds_no_wcag_aa_violation(tab, demo, name, language, account):
    site, _url = demo
    page = tab(account)
    visit(page, site, name, language)
    if account != ANONYMOUS:
        # The session is the account's: its pages are not the sign-in form.
        assert "sign-in" not in page.url and "connexion" not in page.url, page.url
    found = violations(page)
    assert not found, f"{page.url}\n{describe(found)}"


def test_axe_reports_what_it_finds(tab, demo):
    """The check above can fail: a picture without a text alternative and a field
    without a label, added to a page, are reported."""
    site, _url = demo
    page = tab(ANONYMOUS)
    visit(page, site, "home", "en")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        ' \'<img src="/missing.png"><input type="text">\')'
    )
    found = {violation["id"]: violation for violation in violations(page)}
    assert {"image-alt", "label"} <= set(found)
    assert "img" in describe([found["image-alt"]])


def widths():
    for name, _address in PAGES:
        for language in LANGUAGES:
            yield pytest.param(name, language, 390, id=f"{name}-{language}-390")
            if name in NARROWEST_PAGES:
                yield pytest.param(name, language, 320, id=f"{name}-{language}-320")


@pytest.mark.parametrize(("name", "language", "width"), list(widths()))
def test_no_sideways_scroll_on_a_phone(tab, demo, name, language, width):
    site, _url = demo
    page = tab("editor" if name in ("account", "brief-form") else ANONYMOUS, width)
    visit(page, site, name, language)
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, f"{page.url} is {scroll_width} px wide at {width} px"


@pytest.fixture
def keyboard_tab(browser, demo):
    """A fresh anonymous tab for a journey (its own cookies: it signs in itself)."""
    _site, url = demo
    context = browser.new_context(
        base_url=url, locale="en-CA", viewport={"width": 1280, "height": 900}
    )
    yield context.new_page()
    context.close()


def test_a_keyboard_user_filters_the_directory(keyboard_tab, demo):
    site, _url = demo
    page = keyboard_tab
    invisible: list[str] = []
    page.goto(site.url("directory", "en").split("?")[0])

    # The first Tab reaches the skip link, shown; it moves the focus past the menu.
    page.keyboard.press("Tab")
    skip = focused(page)
    assert (skip["href"], skip["visible"]) == ("#main", True)
    assert page.locator(".skip-link").bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    coalitions = tab_to(
        page, lambda el: el["name"] == "kind" and el["value"] == "coalition", invisible=invisible
    )
    page.keyboard.press("Space")
    assert page.locator(f"#{coalitions['id']}").is_checked()
    tab_to(
        page,
        lambda el: (
            el["type"] == "submit"
            and page.evaluate("document.activeElement.form.querySelector('[name=kind]') !== null")
        ),
        invisible=invisible,
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "kind=coalition" in page.url
    assert page.locator(f"#{coalitions['id']}").is_checked()
    assert invisible == []


def test_a_keyboard_user_compares_two_versions(keyboard_tab, demo):
    site, _url = demo
    page = keyboard_tab
    invisible: list[str] = []
    page.goto(site.url("policy", "en"))

    tab_to(page, lambda el: el["text"] == "Compare versions", invisible=invisible)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    before = page.locator("#compare-to").input_value()
    tab_to(page, lambda el: el["id"] == "compare-to", invisible=invisible)
    # Up a version: the comparison of the first version with the second.
    page.keyboard.press("ArrowUp")
    chosen = page.locator("#compare-to").input_value()
    assert chosen != before
    tab_to(page, lambda el: el["type"] == "submit" and el["text"] == "Compare", invisible=invisible)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert f"to={chosen}" in page.url
    assert page.locator(".diff-section").count() > 0
    assert invisible == []


def test_a_keyboard_user_signs_in_and_sends_a_brief(keyboard_tab, demo):
    site, _url = demo
    page = keyboard_tab
    invisible: list[str] = []
    page.goto(site.url("open-round", "en"))

    tab_to(
        page, lambda el: el["tag"] == "a" and el["text"] == "Submit a brief", invisible=invisible
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Anonymous: the contributors' sign-in first, then back to the form.
    assert page.locator("h1").inner_text() == "Contributor sign-in"
    tab_to(page, lambda el: el["name"] == "username", invisible=invisible)
    page.keyboard.type(EDITOR)
    tab_to(page, lambda el: el["name"] == "password", invisible=invisible)
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Submit a brief"

    tab_to(page, lambda el: el["name"] == "title", invisible=invisible)
    page.keyboard.type("Keep the funding of autonomous action")
    tab_to(page, lambda el: el["name"] == "summary", invisible=invisible)
    page.keyboard.type("Our answer to the questions of the consultation.")
    section = tab_to(page, lambda el: el["name"] == "sections", invisible=invisible)
    page.keyboard.press("Space")
    assert page.locator(f"#{section['id']}").is_checked()
    tab_to(page, lambda el: el["type"] == "submit", invisible=invisible)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    notice = page.get_by_role("status")
    assert "Keep the funding of autonomous action" in notice.inner_text(), page.content()
    assert focused(page) is None or focused(page)["visible"]
    assert invisible == []
