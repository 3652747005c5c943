"""API tokens on /api/v1/: a token (Wagtail's `APIToken`, created by staff for a user)
reads what that user sees on the site, no more; anonymous callers read the public record;
a malformed, unknown or revoked token is a 401 naming `Authorization` on every endpoint;
answers to a token are private to it (Vary, Cache-Control, ETag); a token's requests
count against the token."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import override_settings
from django.urls import URLPattern, reverse
from django.utils import timezone
from wagtail.models import APIToken, PageViewRestriction

from concertation.factories import OrganizationFactory
from consultations.services.rounds import change_round_state
from opendata import urls as opendata_urls
from opendata.resources import registry
from organizations.permissions import grant_editor
from tests.consultations.test_rounds import add_round
from tests.factories import publish_policy_version
from tests.opendata.support import ids, refused

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

VERSIONS = "/api/v1/policy-versions/"
POLICIES = "/api/v1/policies/"
ROUNDS = "/api/v1/rounds/"
ORGANIZATIONS = "/api/v1/organizations/"


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def token_for(user, name: str = "A script") -> str:
    return APIToken.create_token(user=user, name=name)[1]


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user("reader")


@pytest.fixture
def cabinet(django_user_model):
    """A group, one member of it, one user outside it."""
    group = Group.objects.create(name="Cabinet")
    member = django_user_model.objects.create_user("member")
    member.groups.add(group)
    outsider = django_user_model.objects.create_user("outsider")
    return group, member, outsider


# --- The token's life -------------------------------------------------------------


def test_a_token_reads_as_its_user_until_revoked(client, reader):
    instance, secret = APIToken.create_token(user=reader, name="Research script")
    OrganizationFactory()

    first = client.get(ORGANIZATIONS, **bearer(secret))
    instance.revoke()
    after = client.get(ORGANIZATIONS, **bearer(secret))

    assert first.status_code == 200
    stored = APIToken.objects.get(pk=instance.pk)
    assert secret not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64
    assert stored.last_used_at is not None
    assert after.status_code == 401
    assert refused_header(after) == "Authorization"


def refused_header(response) -> str:
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"].startswith("Bearer")
    return response.json()["error"]["parameter"]


def test_the_last_use_is_written_at_most_once_a_minute(client, reader):
    instance, secret = APIToken.create_token(user=reader, name="Script")
    client.get(ORGANIZATIONS, **bearer(secret))
    first = APIToken.objects.get(pk=instance.pk).last_used_at

    client.get(ORGANIZATIONS, **bearer(secret))
    unchanged = APIToken.objects.get(pk=instance.pk).last_used_at
    APIToken.objects.filter(pk=instance.pk).update(
        last_used_at=first - datetime.timedelta(minutes=2)
    )
    client.get(ORGANIZATIONS, **bearer(secret))

    assert unchanged == first
    assert APIToken.objects.get(pk=instance.pk).last_used_at > first - datetime.timedelta(minutes=1)


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer not-a-token",
        "Bearer wagtail_tooShort",
        "Basic cmVhZGVyOnB3",
        "Token {secret}",
        "{secret}",
        "Bearer {secret}x",
        "Bearer {unknown}",
    ],
)
def test_a_malformed_or_unknown_token_is_a_401_never_anonymous(client, reader, header):
    OrganizationFactory()
    secret = token_for(reader)
    value = header.format(secret=secret, unknown=APIToken.generate_token())

    response = client.get(ORGANIZATIONS, HTTP_AUTHORIZATION=value)

    assert refused_header(response) == "Authorization"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_deactivated_users_token_is_refused(client, reader):
    secret = token_for(reader)
    reader.is_active = False
    reader.save()

    assert refused_header(client.get(ORGANIZATIONS, **bearer(secret))) == "Authorization"


def test_the_session_cookie_is_not_read(client, home_page, django_user_model):
    """A signed-in superuser's browser session gives the API nothing: without a token,
    the answer is the anonymous one."""
    hidden = publish_policy_version(home_page, "Cabinet draft", "x")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    client.force_login(django_user_model.objects.create_superuser("s", "s@example.org", "pw"))

    assert client.get(f"{VERSIONS}{hidden.pk}/").status_code == 404
    assert hidden.pk not in ids(client.get(VERSIONS))


# --- Every endpoint ---------------------------------------------------------------


# Not read with a caller: the documentation page (for people), and the bulk downloads
# (the public record's files, the same for everyone: opendata.downloads).
CALLERLESS = {"index", "downloads", "download"}


def endpoints() -> list[str]:
    """Every address of /api/v1/ that answers a caller, its path parameters filled in
    (a record that does not exist: the token is read first)."""
    addresses = []
    for pattern in opendata_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name in CALLERLESS:
            continue
        route = re.sub(r"<int:[a-z_]+>", "1", str(pattern.pattern))
        addresses.append("/api/v1/" + re.sub(r"<(?:[a-z]+:)?[a-z_]+>", "x", route))
    return addresses


@pytest.mark.parametrize("address", endpoints())
def test_a_bad_token_is_a_401_on_every_endpoint(client, reader, address):
    secret = token_for(reader)
    APIToken.objects.update(revoked_at=timezone.now())

    for value in ("Bearer nope", f"Bearer {secret}"):
        response = client.get(address, HTTP_AUTHORIZATION=value)
        assert refused_header(response) == "Authorization", address
        assert "Authorization" in response["Vary"]


@pytest.mark.parametrize("name", [resource.name for resource in registry])
def test_each_resource_answers_a_token_its_list_and_records(client, reader, name):
    """A user with no role reads every resource (the public record, at least)."""
    secret = token_for(reader)

    listing = client.get(f"/api/v1/{name}/", **bearer(secret))
    missing = client.get(f"/api/v1/{name}/999999999/", **bearer(secret))

    assert listing.status_code == 200, listing.content[:300]
    assert listing["Cache-Control"] == "private"
    assert missing.status_code == 404


# --- Caching and CORS -------------------------------------------------------------


def test_answers_vary_on_authorization_and_a_tokens_are_private(client, reader):
    OrganizationFactory()

    anonymous = client.get(ORGANIZATIONS)
    with_token = client.get(ORGANIZATIONS, **bearer(token_for(reader)))

    for response in (anonymous, with_token):
        vary = {name.strip() for name in response["Vary"].split(",")}
        assert {"Authorization", "Accept-Language"} <= vary
    assert "private" not in anonymous.get("Cache-Control", "")
    assert with_token["Cache-Control"] == "private"


def test_a_304_never_answers_another_callers_copy(client, reader, django_user_model):
    """The same body for anonymous and two users: three ETags, each validating only its
    own caller's copy; a date (If-Modified-Since) never validates a token's."""
    organization = OrganizationFactory()
    url = f"{ORGANIZATIONS}{organization.pk}/"
    first, second = token_for(reader), token_for(django_user_model.objects.create_user("b"))

    anonymous = client.get(url)
    mine = client.get(url, **bearer(first))
    theirs = client.get(url, **bearer(second))

    assert anonymous.content == mine.content == theirs.content
    assert len({anonymous["ETag"], mine["ETag"], theirs["ETag"]}) == 3
    assert client.get(url, HTTP_IF_NONE_MATCH=mine["ETag"], **bearer(first)).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH=mine["ETag"], **bearer(second)).status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH=mine["ETag"]).status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH=anonymous["ETag"], **bearer(first)).status_code == 200
    since = mine["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=since, **bearer(first)).status_code == 200


def test_a_preflight_allows_the_authorization_header(client):
    response = client.options(
        ORGANIZATIONS,
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )

    assert response.status_code == 204
    allowed = {name.strip() for name in response["Access-Control-Allow-Headers"].split(",")}
    assert "Authorization" in allowed


@override_settings(RATELIMIT_OPEN_DATA="2/h")
def test_a_tokens_requests_count_against_the_token(client, reader, django_user_model):
    mine, theirs = token_for(reader), token_for(django_user_model.objects.create_user("b"))

    answers = [client.get(ORGANIZATIONS, **bearer(mine)) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert "with this API token" in answers[2].json()["error"]["message"]
    assert client.get(ORGANIZATIONS, **bearer(theirs)).status_code == 200
    assert client.get(ORGANIZATIONS).status_code == 200  # the address's own count


# --- Allow and deny: pages behind view restrictions, internal versions --------------


@pytest.fixture
def policy(home_page):
    return publish_policy_version(home_page, "Version one", "x").get_parent().specific


def test_a_version_for_signed_in_users_is_read_by_any_users_token(client, home_page, reader):
    public = publish_policy_version(home_page, "Public", "x")
    hidden = publish_policy_version(home_page, "Signed in only", "x")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    secret = token_for(reader)

    assert hidden.pk not in ids(client.get(VERSIONS))
    assert client.get(f"{VERSIONS}{hidden.pk}/").status_code == 404
    assert ids(client.get(VERSIONS, **bearer(secret))) == [public.pk, hidden.pk]
    assert client.get(f"{VERSIONS}{hidden.pk}/", **bearer(secret)).status_code == 200
    policy = public.get_parent()
    assert client.get(f"{POLICIES}{policy.pk}/", **bearer(secret)).json()["versions"] == [
        public.pk,
        hidden.pk,
    ]
    diff = client.get(f"{VERSIONS}{public.pk}/diff/", {"to": hidden.pk}, **bearer(secret))
    assert diff.status_code == 200
    assert refused(client.get(f"{VERSIONS}{public.pk}/diff/", {"to": hidden.pk})) == "to"


def test_a_groups_restriction_lets_in_its_members_tokens_only(client, home_page, cabinet):
    group, member, outsider = cabinet
    hidden = publish_policy_version(home_page, "Cabinet text", "x")
    restriction = PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)

    assert client.get(f"{VERSIONS}{hidden.pk}/", **bearer(token_for(member))).status_code == 200
    assert client.get(f"{VERSIONS}{hidden.pk}/", **bearer(token_for(outsider))).status_code == 404
    assert client.get(f"{VERSIONS}{hidden.pk}/").status_code == 404


def test_a_restricted_policy_its_pages_and_its_filter(client, policy, cabinet):
    """A member's token reads the policy, its round and the round's policy and version
    (behind the same restriction); anonymous and an outsider's token read none."""
    group, member, outsider = cabinet
    version = policy.get_children().first().specific
    round_page = add_round(policy, title="Private consultation", version=version)
    change_round_state(round_page, "open")
    restriction = PageViewRestriction.objects.create(
        page=policy, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    allowed, denied = bearer(token_for(member)), bearer(token_for(outsider))

    for headers in ({}, denied):
        assert ids(client.get(POLICIES, **headers)) == []
        assert ids(client.get(ROUNDS, **headers)) == []
        assert refused(client.get(ROUNDS, {"policy": policy.pk}, **headers)) == "policy"
    assert ids(client.get(POLICIES, **allowed)) == [policy.pk]
    assert ids(client.get(ROUNDS, {"policy": policy.pk}, **allowed)) == [round_page.pk]
    answer = client.get(f"{ROUNDS}{round_page.pk}/", **allowed).json()
    assert answer["state"]["id"] == "open"
    assert (answer["policy"], answer["version"]) == (policy.pk, version.pk)


def test_a_password_never_opens_to_a_token_not_even_a_superusers(client, policy, django_user_model):
    round_page = add_round(policy, title="Password round")
    PageViewRestriction.objects.create(
        page=round_page, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    superuser = django_user_model.objects.create_superuser("s", "s@example.org", "pw")

    answer = client.get(f"{ROUNDS}{round_page.pk}/", **bearer(token_for(superuser)))

    assert answer.status_code == 404


def test_an_internal_version_is_read_by_those_who_may_edit_it_only(
    client, home_page, reader, django_user_model
):
    internal = publish_policy_version(home_page, "Internal", "x", status="internal")
    superuser = django_user_model.objects.create_superuser("s", "s@example.org", "pw")

    assert client.get(f"{VERSIONS}{internal.pk}/").status_code == 404
    assert client.get(f"{VERSIONS}{internal.pk}/", **bearer(token_for(reader))).status_code == 404
    editor = client.get(f"{VERSIONS}{internal.pk}/", **bearer(token_for(superuser)))
    assert editor.status_code == 200 and editor.json()["status"]["id"] == "internal"


def test_organizations_and_fora_answer_a_token_what_they_answer_anyone(client, reader):
    """Their pages show a signed-in user nothing more: the same records, the same body."""
    OrganizationFactory.create_batch(2)
    secret = token_for(reader)

    for url in (ORGANIZATIONS, "/api/v1/fora/", "/api/v1/popolo/fora.json"):
        assert client.get(url, **bearer(secret)).content == client.get(url).content


# --- Staff create and revoke tokens in the admin -----------------------------------


def staff_with(django_user_model, name: str, *codenames: str):
    user = django_user_model.objects.create_user(name, password="pw")
    group = Group.objects.create(name=f"{name} group")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(codename__in=codenames),
    )
    user.groups.add(group)
    return user


def test_secretariat_staff_create_a_token_shown_once_and_revoke_it(
    client, reader, django_user_model
):
    staff = staff_with(
        django_user_model, "secretariat", "add_apitoken", "delete_apitoken", "change_user"
    )
    client.force_login(staff)

    index = client.get(reverse("wagtailusers_api_tokens:index"))
    created = client.post(
        reverse("wagtailusers_api_tokens:add"), {"name": "Journalist", "user": reader.pk}
    )

    assert index.status_code == 200
    token = APIToken.objects.get(user=reader)
    [secret] = re.findall(r'value="(wagtail_[A-Za-z0-9]+)"', created.content.decode())
    assert secret.startswith(token.prefix) and secret not in token.key_hash
    assert (
        client.get(reverse("wagtailusers_api_tokens:edit", args=[token.pk]))
        .content.decode()
        .count(secret)
        == 0
    )
    assert client.get(ORGANIZATIONS, **bearer(secret)).status_code == 200

    client.post(reverse("wagtailusers_api_tokens:delete", args=[token.pk]))

    assert APIToken.objects.get(pk=token.pk).revoked_at is not None
    assert client.get(ORGANIZATIONS, **bearer(secret)).status_code == 401


def test_a_superuser_creates_a_token_for_another_user(client, reader, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("s", "s@example.org", "pw"))

    client.post(reverse("wagtailusers_api_tokens:add"), {"name": "Coalition", "user": reader.pk})

    assert APIToken.objects.filter(user=reader, name="Coalition").exists()


def test_an_organization_editor_and_a_researcher_may_not(client, reader, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="pw")
    grant_editor(editor, OrganizationFactory())

    for user in (editor, reader):
        client.force_login(user)
        index = client.get(reverse("wagtailusers_api_tokens:index"))
        client.post(reverse("wagtailusers_api_tokens:add"), {"name": "Mine", "user": user.pk})
        assert index.status_code == 302
    assert not APIToken.objects.exists()


def test_staff_may_not_make_a_token_standing_for_a_superuser(client, django_user_model):
    staff = staff_with(
        django_user_model, "secretariat", "add_apitoken", "delete_apitoken", "change_user"
    )
    superuser = django_user_model.objects.create_superuser("s", "s@example.org", "pw")
    client.force_login(staff)

    client.post(reverse("wagtailusers_api_tokens:add"), {"name": "Escalate", "user": superuser.pk})

    assert not APIToken.objects.filter(user=superuser).exists()


def test_the_description_offers_the_token_and_its_401_on_every_operation(client):
    description = client.get("/api/v1/openapi.json").json()

    scheme = description["components"]["securitySchemes"]["apiToken"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for path, operations in description["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        assert "401" in operations["get"]["responses"], path
        assert {"apiToken": []} in operations["get"]["security"], path
        assert {} in operations["get"]["security"], path  # anonymous too
