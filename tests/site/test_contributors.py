"""Contributors sign in on the public site, not at the Wagtail admin's login: the brief
form sends an anonymous visitor there and back, failed sign-ins are throttled as at the
admin's, and the contributor page lists the user's own organizations, briefs and
positions — never another organization's."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from consultations.models import PositionPage
from consultations.services.rounds import change_round_state, submit_brief
from organizations.permissions import grant_editor
from tests.consultations.test_rounds import add_round
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version

pytestmark = pytest.mark.django_db

SIGN_IN = "/account/sign-in/"
CONTRIBUTOR = "/account/"
PASSWORD = "correct horse battery staple"  # UserFactory's
ADDRESS = "203.0.113.7"


@pytest.fixture
def open_round(home_page):
    """A round open to briefs, on a one-version policy."""
    policy = publish_policy_version(home_page, "Consultation document", "x").get_parent()
    round_page = add_round(
        policy.specific, opens_on=datetime.date(2000, 5, 1), closes_on=datetime.date(2999, 6, 30)
    )
    change_round_state(round_page, "open")
    return round_page


def sign_in(client, username: str, password: str = PASSWORD, next_url: str | None = None):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(SIGN_IN, data, REMOTE_ADDR=ADDRESS)


def editor_of(organization, username: str):
    user = UserFactory(username=username)
    grant_editor(user, organization)
    return user


def brief(round_page, organization, user, title: str):
    return submit_brief(
        round_page,
        organization,
        user,
        title=title,
        summary="We ask for core funding.",
        today=datetime.date(2000, 6, 1),
    )


def test_the_sign_in_is_a_public_page_in_both_languages(client):
    assert reverse("contributor_sign_in") == SIGN_IN
    with translation.override("fr"):
        assert reverse("contributor_sign_in").startswith("/fr/")

    response = client.get(SIGN_IN)

    assert response.status_code == 200
    body = response.content.decode()
    assert 'for="id_username"' in body and 'for="id_password"' in body
    assert "wagtailadmin" not in response.templates[0].name


def test_anonymous_submit_leads_to_the_sign_in_and_back(client, open_round):
    OrganizationFactory(name="Ours")
    editor = editor_of(OrganizationFactory(name="Form group"), "editor")
    submit_url = f"{open_round.url}submit/"

    response = client.get(submit_url)

    location = urlsplit(response["Location"])
    assert (location.path, parse_qs(location.query)) == (SIGN_IN, {"next": [submit_url]})
    form = client.get(response["Location"]).content.decode()
    assert f'name="next" value="{submit_url}"' in form

    signed_in = sign_in(client, editor.username, next_url=submit_url)

    assert signed_in.status_code == 302
    assert signed_in["Location"] == submit_url
    assert client.get(submit_url).status_code == 200


def test_without_next_the_sign_in_leads_to_the_contributor_page(client):
    user = UserFactory(username="someone")

    response = sign_in(client, user.username)

    assert response["Location"] == CONTRIBUTOR


def test_an_outside_next_is_ignored(client):
    user = UserFactory(username="someone")

    response = sign_in(client, user.username, next_url="https://evil.example/")

    assert response["Location"] == CONTRIBUTOR


def test_a_wrong_password_is_named_in_the_error_summary(client):
    UserFactory(username="someone")

    response = sign_in(client, "someone", "wrong")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="error-summary" role="alert"' in body
    assert "Please enter a correct username and password" in body
    assert "_auth_user_id" not in client.session


def test_failed_sign_ins_are_locked_out_as_at_the_admin(client):
    user = UserFactory(username="someone")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, user.username, "wrong guess")

    response = sign_in(client, user.username)

    assert response.status_code == 429
    body = response.content.decode()
    assert "even with the right password" in body
    assert "_auth_user_id" not in client.session


def test_the_contributor_page_asks_to_sign_in(client):
    response = client.get(CONTRIBUTOR)

    location = urlsplit(response["Location"])
    assert (location.path, parse_qs(location.query)) == (SIGN_IN, {"next": [CONTRIBUTOR]})


def test_the_contributor_page_shows_the_editors_briefs_and_not_others(
    client, open_round, position_index
):
    ours, theirs = OrganizationFactory(name="Our group"), OrganizationFactory(name="Their group")
    editor, other = editor_of(ours, "editor"), editor_of(theirs, "other")
    brief(open_round, ours, editor, "Our own brief")
    brief(open_round, theirs, other, "Their secret brief")
    policy = open_round.get_parent().specific
    for organization, title in ((ours, "Our draft position"), (theirs, "Their draft position")):
        page = PositionPage(
            title=title,
            organization=organization,
            policy=policy,
            stated_on=datetime.date(2000, 6, 1),
            body="<p>Text.</p>",
            live=False,
        )
        position_index.add_child(instance=page)
    sign_in(client, editor.username)

    body = client.get(CONTRIBUTOR).content.decode()

    assert "Our group" in body and "Our own brief" in body and "Our draft position" in body
    assert "Their secret brief" not in body and "Their draft position" not in body
    assert "Their group" not in body
    assert f"{open_round.url}submit/" in body
    assert "Not published" in body and "Open" in body and "Draft" in body
    assert "Our group · English · Draft" in body


def test_the_contributor_page_costs_the_same_whatever_the_number_of_briefs(
    client, open_round, django_assert_num_queries
):
    organization = OrganizationFactory(name="Our group")
    editor = editor_of(organization, "editor")
    client.force_login(editor)
    brief(open_round, organization, editor, "First")
    client.get(CONTRIBUTOR)  # warms the site's root paths cache
    with CaptureQueriesContext(connection) as one:
        client.get(CONTRIBUTOR)
    for number in range(3):
        brief(open_round, organization, editor, f"More {number}")
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(CONTRIBUTOR).content.decode()
    assert "More 2" in body


def test_someone_who_edits_no_organization_is_told_so(client):
    client.force_login(UserFactory(username="nobody"))

    body = client.get(CONTRIBUTOR).content.decode()

    assert "You do not edit any organization" in body


def test_signing_out_is_a_post(client):
    client.force_login(UserFactory(username="someone"))

    response = client.post("/account/sign-out/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_contributor_page_answers_in_french(client):
    client.force_login(UserFactory(username="someone"))
    with translation.override("fr"):
        url = reverse("contributor")

    response = client.get(url)

    assert url.startswith("/fr/")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()
