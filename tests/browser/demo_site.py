"""The demo data set served to the browser tests, and the public pages they visit.

The accessibility tests look at pages full of real content (the demo's 65 organizations,
its policy story, fora, funding, accounts), so they load it once with the demo loader
rather than building a thinner copy with factories. The pages are named here, with their
address in each language, so that a failure names its page.
"""

import dataclasses
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

LANGUAGES = ("en", "fr")
PASSWORD = "a-long-demo-password-for-tests"
EDITOR = "demo-editor"
STAFF = "demo-steward"
#: The organization the demo editor speaks for.
EDITOR_ORGANIZATION = "centre-des-femmes-de-montreal-nord"
#: The demo's round open on the day it is loaded.
OPEN_ROUND = "policy-update-consultation"
FORUM = "comite-aviseur-action-communautaire-autonome"
#: A co-operative with its facts and the service agreements it holds.
COOPERATIVE = "cooperative-dhabitation-les-cedres"


@dataclasses.dataclass(frozen=True)
class DemoSite:
    """The loaded demo: each page's address per language, and a signed-in session per
    account (the cookie a browser context carries)."""

    pages: dict[str, dict[str, str]]
    sessions: dict[str, str]

    def url(self, page: str, language: str) -> str:
        return self.pages[page][language]


def load_demo_site() -> DemoSite:
    """Load the demo (data and accounts, with a known password), and return its pages
    and the sessions of the accounts the tests sign in with."""
    from concertation.demo import load_demo
    from concertation.demo_accounts import ensure_demo_accounts

    load_demo()
    ensure_demo_accounts(make_password=lambda: PASSWORD)
    # The bulk downloads, as `make run` builds them beside the server: the page lists them.
    call_command("build_open_data", "--no-progress")
    pages = {name: {lang: _in(lang, address) for lang in LANGUAGES} for name, address in PAGES}
    return DemoSite(pages=pages, sessions={user: _session(user) for user in (EDITOR, STAFF)})


def _session(username: str) -> str:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _in(language: str, address: Callable[[], str]) -> str:
    with translation.override(language):
        return address()


def _page(model: str, **filters) -> Page:
    """The demo's page of that model (the English one), shown in the active language."""
    found = (
        apps.get_model("consultations", model)
        .objects.live()
        .filter(locale__language_code="en", **filters)
        .first()
    )
    assert found is not None, f"the demo has no {model} {filters}"
    return found.localized


def _open_round() -> Page:
    return _page("ConsultationRoundPage", slug=OPEN_ROUND)


def _not_found() -> str:
    prefix = "" if translation.get_language() == settings.LANGUAGE_CODE else "/fr"
    return f"{prefix}/no-such-page/"


def _policy_compare() -> str:
    policy = _page("PolicyPage")
    return policy.url + policy.reverse_subpage("compare") + "?from=1&to=2"


# Every public page the accessibility tests visit, in the order of the product's menu.
PAGES: list[tuple[str, Callable[[], str]]] = [
    ("home", lambda: _page_url_of_home()),
    ("policies", lambda: _page("PolicyIndexPage").url),
    ("policy", lambda: _page("PolicyPage").url),
    ("version", lambda: _page("PolicyVersionPage", slug="consultation-document-2000").url),
    ("compare", _policy_compare),
    ("open-rounds", lambda: reverse("open_rounds")),
    ("open-round", lambda: _open_round().url),
    ("closed-round", lambda: _page("ConsultationRoundPage", slug="public-consultation-2000").url),
    ("brief-form", lambda: _open_round().url + _open_round().reverse_subpage("submit")),
    ("sign-in", lambda: reverse("contributor_sign_in")),
    ("account", lambda: reverse("contributor")),
    ("positions", lambda: _page("PositionIndexPage").url),
    ("position", lambda: _page("PositionPage").url),
    ("directory", lambda: reverse("organizations:list") + "?kind=coalition&page=1"),
    (
        "organization",
        lambda: reverse("organizations:detail", kwargs={"slug": EDITOR_ORGANIZATION}),
    ),
    ("cooperative", lambda: reverse("organizations:detail", kwargs={"slug": COOPERATIVE})),
    (
        "organization-seats",
        lambda: reverse("organization_seats", kwargs={"slug": EDITOR_ORGANIZATION}),
    ),
    ("fora", lambda: reverse("fora")),
    ("forum", lambda: reverse("forum", kwargs={"slug": FORUM})),
    ("burden", lambda: reverse("burden")),
    ("funding", lambda: reverse("funding_explorer")),
    (
        "organization-funding",
        lambda: reverse("organization_funding", kwargs={"slug": EDITOR_ORGANIZATION}),
    ),
    ("new-and-moved", lambda: reverse("funding_new_and_moved")),
    ("search", lambda: reverse("search:search") + "?q=communautaire"),
    ("follow", lambda: reverse("follows_follow") + "?target=listing:open_rounds"),
    ("check-inbox", lambda: reverse("follows_check_inbox")),
    ("follows-manage", lambda: _follower_link("follows_manage", "manage")),
    ("account-follows", lambda: reverse("follows_account")),
    ("unsubscribe", lambda: _follower_link("follows_unsubscribe", "unsubscribe")),
    ("accessibility", lambda: reverse("accessibility")),
    # Outside the /fr/ prefix: its language is `lang=`.
    ("open-data", lambda: reverse("opendata:index") + f"?lang={translation.get_language()}"),
    (
        "open-data-downloads",
        lambda: reverse("opendata:downloads") + f"?lang={translation.get_language()}",
    ),
    ("not-found", _not_found),
]


def _follower_link(name: str, purpose: str) -> str:
    """A page of the demo follower's e-mails (its signed link), in the active language."""
    from follows.demo import EMAIL
    from follows.models import Subscriber
    from follows.tokens import make_token

    subscriber = Subscriber.objects.get(email=EMAIL)
    return reverse(name, kwargs={"token": make_token(subscriber, purpose)})


def _page_url_of_home() -> str:
    from concertation.models import HomePage

    return HomePage.objects.get(locale__language_code="en").localized.url


def restore_migrated_state(serialized: str) -> None:
    """Empty the test database and put back what the migrations had left in it (the
    taxonomies, Wagtail's root page and groups), as a transactional test's rollback
    emulation does, so the tests after these find the database they expect."""
    from django.core.management import call_command

    # Without post_migrate's handlers: the content types and permissions come back with
    # the rest, under their first primary keys.
    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(serialized)
    # The rows came back with their primary keys: the sequences start after them again.
    models = [model for config in apps.get_app_configs() for model in config.get_models()]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
