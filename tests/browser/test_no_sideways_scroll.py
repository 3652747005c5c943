"""On a phone, nothing scrolls sideways: at 320 and 390 px wide the home page, a policy
page and an open round's page are no wider than the window, in headless Chromium."""

import datetime
import os

import pytest
from playwright.sync_api import sync_playwright

from concertation.site_setup import ensure_site
from consultations.services.rounds import change_round_state
from tests.browser.test_search_journey import CHROMIUM, CHROMIUM_ARGS
from tests.consultations.test_rounds import add_round
from tests.factories import OrganizationFactory, publish_policy_version

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CONCERTATION_REQUIRE_ENGINES") != "1",
        reason="Debian's chromium is not installed",
    ),
]

LONG_WORD = "Anticonstitutionnellementreconnaissancedesorganismescommunautairesautonomes"


@pytest.mark.django_db(transaction=True)
def test_phone_widths_never_scroll_sideways(live_server, monkeypatch):
    home = ensure_site()
    version = publish_policy_version(
        home,
        f"A version with a {LONG_WORD} title",
        f"Text with https://example.org/{LONG_WORD}/{LONG_WORD} in it.",
    )
    policy = version.get_parent().specific
    round_page = add_round(
        policy,
        title=f"Consultation on the {LONG_WORD}",
        opens_on=datetime.date(2000, 5, 1),
        closes_on=datetime.date(2999, 6, 30),
        version=version,
        convenor=OrganizationFactory(name=f"Ministère de la {LONG_WORD}"),
        description=f"Send your brief about {LONG_WORD}.",
    )
    change_round_state(round_page, "open")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    urls = ["/", "/fr/", policy.url, round_page.url, "/consultations/open/"]

    too_wide = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for width in (320, 390):
                page = browser.new_page(viewport={"width": width, "height": 800})
                for url in urls:
                    page.goto(f"{live_server.url}{url}")
                    scroll_width, inner_width = page.evaluate(
                        "[document.documentElement.scrollWidth, window.innerWidth]"
                    )
                    if scroll_width > inner_width:
                        too_wide.append((width, url, scroll_width))
                # The stylesheets were served: the menu sits two links to a row.
                assert (
                    page.evaluate(
                        "getComputedStyle(document.querySelector('.main-nav ul')).display"
                    )
                    == "grid"
                )
                page.close()
        finally:
            browser.close()

    assert too_wide == []
