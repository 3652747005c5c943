"""A visitor's first journey, in headless Chromium against the live site and the real
Elasticsearch: open the home page, search, follow a result."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from concertation.site_setup import ensure_site
from search.index import refresh
from tests.factories import OrganizationFactory, publish_policy_version

CHROMIUM = Path("/usr/bin/chromium")
# As root Chromium needs --no-sandbox; the rest keeps it off the (closed) network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.elasticsearch,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CONCERTATION_REQUIRE_ENGINES") != "1",
        reason="Debian's chromium is not installed",
    ),
]


@pytest.mark.django_db(transaction=True)
def test_visitor_searches_from_the_home_page_and_follows_a_result(
    live_server, archive_index, monkeypatch
):
    # Committed for real (transactional test): the after-commit hooks index both records.
    home = ensure_site()
    publish_policy_version(
        home,
        "Redrafted version",
        "Criteria for recognising an autonomous community organization.",
    )
    OrganizationFactory(name="Regroupement autonome", summary_en="An autonomous coalition.")
    refresh()
    # Playwright's sync API runs an event loop in this thread; the ORM work is done.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{live_server.url}/")
            page.get_by_label("Search the archive").fill("recognising")
            page.get_by_role("button", name="Search").click()

            results = page.locator("ol.results > li")
            results.first.wait_for()
            assert results.count() == 1
            assert page.locator("ol.results mark").first.inner_text().lower() == "recognising"

            # The passage is in the version's first section: the result leads to it.
            results.first.locator("a.result-title").click()
            page.wait_for_url("**/redrafted-version/#section-1")
            assert page.locator("h1").inner_text() == "Redrafted version"
            assert "recognising" in page.locator("#section-1").inner_text().lower()
        finally:
            browser.close()
