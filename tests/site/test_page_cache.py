"""The public page cache (concertation/page_cache.py): anonymous visitors get a stored
copy per address and language; any committed write makes every copy stale; signed-in
visitors, and anything restricted, never go through it."""

import html

import pytest
from django.core.cache import cache
from django.db import connection
from wagtail.models import PageViewRestriction

from concertation import page_cache
from organizations.models import Organization
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version

pytestmark = pytest.mark.django_db

DIRECTORY = "/organizations/"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """The test settings turn the cache off; these tests turn it on, from empty."""
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


# Writes are made inside `run_on_commit` blocks: the test's transaction never commits,
# and the cache forgets on commit, as it does in production.


def get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:500]
    return response


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_an_anonymous_visitor_gets_the_stored_copy_without_a_query(
    client, django_assert_num_queries
):
    """The second visit answers from the cache: the same page, no database query (the
    test cache is in memory)."""
    OrganizationFactory(name="Centre des femmes de Laval")
    first = get(client, DIRECTORY)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = get(client, DIRECTORY)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Centre des femmes de Laval" in text(second)
    # The headers the middlewares around the cache add are there on a stored copy too.
    assert second["Content-Language"] == "en"
    assert "Content-Security-Policy" in second
    assert "Cookie" in second["Vary"]


def test_each_language_has_its_own_copy(client):
    OrganizationFactory(name="Maison des jeunes")
    english = get(client, DIRECTORY)
    french = get(client, "/fr" + DIRECTORY)
    assert french["X-Page-Cache"] == "miss"
    assert '<html lang="fr">' in french.content.decode()
    assert get(client, "/fr" + DIRECTORY).content == french.content
    assert get(client, DIRECTORY).content == english.content


def test_each_query_string_has_its_own_copy(client):
    OrganizationFactory(name="Alpha coop", kind="cooperative")
    OrganizationFactory(name="Beta group", kind="community")
    get(client, DIRECTORY)
    filtered = get(client, DIRECTORY + "?kind=cooperative")
    assert filtered["X-Page-Cache"] == "miss"
    assert "Alpha coop" in text(filtered)
    assert "Beta group" not in text(filtered)


def test_an_edit_shows_at_once_after_its_commit(client, run_on_commit):
    """An organization renamed: the directory and its profile show the new name on the
    next visit, not after the entry expires."""
    with run_on_commit():
        organization = OrganizationFactory(name="Old name of the centre")
    profile = organization.get_absolute_url()
    get(client, DIRECTORY)
    get(client, profile)
    assert get(client, profile)["X-Page-Cache"] == "hit"
    with run_on_commit():
        organization.name = "New name of the centre"
        organization.save()
    for url in (DIRECTORY, profile):
        response = get(client, url)
        assert response["X-Page-Cache"] == "miss"
        assert "New name of the centre" in text(response)
        assert "Old name of the centre" not in text(response)


def test_a_bulk_update_makes_the_pages_stale_too(client, run_on_commit):
    """`QuerySet.update()` sends no signal; the write watch sees it all the same."""
    with run_on_commit():
        OrganizationFactory(name="Before the update")
    get(client, DIRECTORY)
    with run_on_commit():
        Organization.objects.update(name="After the update")
    response = get(client, DIRECTORY)
    assert "After the update" in text(response)
    assert "Before the update" not in text(response)


def test_a_rolled_back_write_keeps_the_copies(client):
    """Nothing committed, nothing changed: the token stays (the callback is dropped)."""
    OrganizationFactory(name="Stays")
    get(client, DIRECTORY)
    token = cache.get(page_cache.TOKEN_KEY)
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        Organization.objects.update(name="Never committed")
        raise RuntimeError
    assert cache.get(page_cache.TOKEN_KEY) == token


def test_publishing_and_unpublishing_a_page_show_at_once(client, home_page, run_on_commit):
    """Wagtail's publish and unpublish: the policy's page lists the new version on the
    next visit, and forgets it as soon as it is unpublished."""
    with run_on_commit():
        first = publish_policy_version(home_page, "Version one of the policy", "Scope one.")
    policy_url = first.get_parent().url
    assert "Version one of the policy" in text(get(client, policy_url))
    assert get(client, policy_url)["X-Page-Cache"] == "hit"
    with run_on_commit():
        second = publish_policy_version(home_page, "Version two of the policy", "Scope two.")
    assert "Version two of the policy" in text(get(client, policy_url))
    second_url = second.url
    assert get(client, second_url)["X-Page-Cache"] == "miss"
    with run_on_commit():
        second.unpublish()
    assert "Version two of the policy" not in text(get(client, policy_url))
    get(client, second_url, status=404)


def test_a_signed_in_visitor_never_gets_the_anonymous_copy_and_vice_versa(client):
    """The header says "Sign in" to the public and "Your account" to a signed-in
    visitor: neither ever gets the other's page."""
    OrganizationFactory(name="Table de concertation")
    anonymous = get(client, DIRECTORY)
    assert "Sign in" in text(anonymous)
    get(client, DIRECTORY)  # stored

    client.force_login(UserFactory())
    signed_in = get(client, DIRECTORY)
    assert "X-Page-Cache" not in signed_in
    assert "Your account" in text(signed_in)

    client.logout()
    cache.clear()
    client.force_login(UserFactory())
    get(client, DIRECTORY)  # a signed-in visit first: nothing stored
    client.logout()
    client.cookies.clear()
    again = get(client, DIRECTORY)
    assert again["X-Page-Cache"] == "miss"
    assert "Your account" not in text(again)
    assert "Sign in" in text(again)


def test_a_page_restricted_to_signed_in_visitors_never_reaches_the_public(
    client, home_page, run_on_commit
):
    """A staff member reads a page kept to signed-in visitors; the public still gets
    the sign-in redirect, never the page."""
    with run_on_commit():
        version = publish_policy_version(home_page, "Confidential draft notes", "Secret text.")
        PageViewRestriction.objects.create(page=version, restriction_type=PageViewRestriction.LOGIN)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert "Secret text." in text(get(client, version.url))
    client.logout()
    client.cookies.clear()
    for _visit in range(2):
        response = client.get(version.url)
        assert response.status_code == 302
        assert "Secret text." not in response.content.decode()


def test_a_password_passed_in_one_session_is_not_shared(client, home_page, run_on_commit):
    """A password-protected page opened by an anonymous visitor who typed the password
    (a session cookie, no account) is neither stored nor served to another visitor."""
    from django.test import Client

    with run_on_commit():
        version = publish_policy_version(home_page, "Protected version", "Protected text.")
        restriction = PageViewRestriction.objects.create(
            page=version, restriction_type=PageViewRestriction.PASSWORD, password="opensesame"
        )
    session = client.session
    session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.id]
    session.save()
    passed = get(client, version.url)
    assert "Protected text." in text(passed)
    assert "X-Page-Cache" not in passed
    stranger = Client()
    for _visit in range(2):
        response = stranger.get(version.url)
        assert "Protected text." not in response.content.decode()


def test_a_page_with_a_form_token_is_never_stored(client):
    """The contributors' sign-in form carries a CSRF token: every visitor gets their
    own."""
    from django.urls import reverse

    url = reverse("contributor_sign_in")
    first = get(client, url)
    assert "csrfmiddlewaretoken" in first.content.decode()
    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in get(client, url)


def test_a_visitor_with_a_message_waiting_is_not_served_a_copy(client):
    OrganizationFactory(name="Un organisme")
    get(client, DIRECTORY)
    client.cookies["messages"] = "anything"
    assert "X-Page-Cache" not in get(client, DIRECTORY)


def test_the_cache_is_off_at_zero_seconds(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    get(client, DIRECTORY)
    assert "X-Page-Cache" not in get(client, DIRECTORY)


def test_writes_that_no_page_shows_keep_the_copies(client, run_on_commit):
    """A session saved (a sign-in) or a search outbox row: the token stays."""
    with run_on_commit():
        OrganizationFactory(name="Unchanged")
    get(client, DIRECTORY)
    token = cache.get(page_cache.TOKEN_KEY)
    with run_on_commit():
        session = client.session
        session["something"] = 1
        session.save()
    assert cache.get(page_cache.TOKEN_KEY) == token
    with run_on_commit():
        Organization.objects.filter(pk=0).update(name="x")  # a write, though of no row
    assert cache.get(page_cache.TOKEN_KEY) != token


@pytest.mark.parametrize(
    ("sql", "changes"),
    [
        ('SELECT "organizations_organization"."id" FROM "organizations_organization"', False),
        ("  (SELECT 1) UNION (SELECT 2)", False),
        ('UPDATE "organizations_organization" SET "name" = %s', True),
        ('INSERT INTO "organizations_organization" ("name") VALUES (%s)', True),
        ('DELETE FROM "wagtailcore_page" WHERE "id" = %s', True),
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
        ('UPDATE "search_pendingchange" SET "claimed_at" = %s', False),
        ('INSERT INTO "django_tasks_database_dbtaskresult" ("id") VALUES (%s)', False),
        ('UPDATE "wagtailadmin_editingsession" SET "last_seen_at" = %s', False),
        ('INSERT INTO "fora_burdenmonth" ("id") VALUES (%s)', True),
        ('UPDATE "wagtailcore_apitoken" SET "last_used_at" = %s', False),
        ('UPDATE "wagtailcore_pagelogentry" SET "label" = %s', True),
        ("WITH x AS (SELECT 1) SELECT * FROM x", False),
        ('WITH gone AS (DELETE FROM "search_pendingchange" RETURNING 1) SELECT 1', False),
        ('WITH moved AS (UPDATE "wagtailcore_page" SET "live" = false) SELECT 1', True),
        ("TRUNCATE organizations_organization", True),
        ("SAVEPOINT s1", False),
    ],
)
def test_which_statements_change_content(sql, changes):
    assert page_cache.changes_content(sql) is changes


def test_the_watch_is_on_this_connection():
    connection.ensure_connection()
    assert page_cache._watch_writes in connection.execute_wrappers


def kind_total(response) -> int:
    """The organizations the kind facet counts, from the page's context."""
    (kind,) = (facet for facet in response.context["result"].facets if facet.parameter == "kind")
    return sum(option.count for option in kind.options)


def test_the_directory_counts_are_remembered_across_pages_until_a_write(
    client, run_on_commit, django_assert_num_queries
):
    """The facets' counts are the same on every page of a selection and for every
    visitor: the second page, and a signed-in visitor's page, count and read only their
    page; a write makes them count afresh."""
    with run_on_commit():
        for number in range(26):
            OrganizationFactory(name=f"Organisme {number:02}")
    assert kind_total(get(client, DIRECTORY)) == 26
    with django_assert_num_queries(3):  # the count, the page, the page's sectors
        second = get(client, DIRECTORY + "?page=2")
    assert second["X-Page-Cache"] == "miss"
    assert kind_total(second) == 26

    with run_on_commit():
        OrganizationFactory(name="Organisme 99")
    assert kind_total(get(client, DIRECTORY + "?page=2")) == 27

    client.force_login(UserFactory())
    signed_in = get(client, DIRECTORY)
    assert "X-Page-Cache" not in signed_in
    assert kind_total(signed_in) == 27
