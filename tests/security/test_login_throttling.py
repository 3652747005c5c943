"""Login throttling: wrong passwords for one account from one address lock that account
out from that address — with a clear message, the right password refused too — until the
cool-off has passed or staff unlock it; other addresses and other accounts are not
affected. Before, fifty wrong admin passwords in a row met no delay at all."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Group, Permission

from organizations.permissions import grant_editor
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
LOCKED_LOGINS = "/admin/locked-logins/"
PASSWORD = "correct horse battery staple"  # UserFactory's
ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


@pytest.fixture
def admin_access():
    return Permission.objects.get(codename="access_admin")


@pytest.fixture
def target(admin_access):
    """A secretariat account worth guessing: it may use the admin."""
    user = UserFactory(username="secretariat-lead")
    user.user_permissions.add(admin_access)
    return user


def log_in(client, username: str, password: str, address: str = ATTACKER):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def lock_out(client, username: str, address: str = ATTACKER) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, username, "wrong guess", address)


def assert_signed_in(response) -> None:
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == "/admin/"


def assert_locked_out(response) -> None:
    assert response.status_code == 429
    content = response.content.decode()
    assert "Sign-in locked" in content
    assert "even with the right password" in content


def test_wrong_passwords_lock_the_account_out_even_for_the_right_password(client, target):
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(1, limit):
        response = log_in(client, target.username, f"guess {attempt}")
        assert response.status_code == 200, f"attempt {attempt} already refused"

    assert_locked_out(log_in(client, target.username, f"guess {limit}"))
    assert_locked_out(log_in(client, target.username, PASSWORD))
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith(LOGIN)


def test_the_lockout_is_per_account_and_address(client, target):
    """Someone guessing from one address locks out neither the account's owner at
    another address nor the other accounts at theirs."""
    other = UserFactory(username="another-staff")
    lock_out(client, target.username)

    assert_signed_in(log_in(client, target.username, PASSWORD, address=ELSEWHERE))
    client.logout()
    assert_signed_in(log_in(client, other.username, PASSWORD))


def test_a_success_before_the_limit_starts_the_count_again(client, target):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, target.username, "wrong guess")
    assert_signed_in(log_in(client, target.username, PASSWORD))
    client.logout()

    response = log_in(client, target.username, "one more wrong guess")

    assert response.status_code == 200


def test_the_lockout_ends_by_itself_after_the_cool_off(client, target):
    """The cool-off runs from the last failure, as recorded by django-axes: moving that
    record back past the cool-off stands for the wait."""
    lock_out(client, target.username)
    assert_locked_out(log_in(client, target.username, PASSWORD))
    last_failure = AccessAttempt.objects.get(username=target.username).attempt_time

    AccessAttempt.objects.filter(username=target.username).update(
        attempt_time=last_failure - settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1)
    )

    assert_signed_in(log_in(client, target.username, PASSWORD))


def test_staff_see_the_locked_out_login_and_unlock_it(client, target, admin_access):
    staff = UserFactory(username="security-staff")
    group = Group.objects.create(name="Account security")
    group.permissions.add(admin_access, Permission.objects.get(codename="delete_accessattempt"))
    staff.groups.add(group)
    lock_out(client, target.username)

    client.force_login(staff)
    listing = client.get(LOCKED_LOGINS)
    assert listing.status_code == 200
    assert target.username in listing.content.decode()
    assert ATTACKER in listing.content.decode()
    response = client.post(LOCKED_LOGINS, {"username": target.username, "ip_address": ATTACKER})
    assert response.status_code == 302
    client.logout()

    assert_signed_in(log_in(client, target.username, PASSWORD))


def test_an_organization_editor_cannot_unlock_a_login(client, target, admin_access):
    editor = UserFactory(username="coalition-editor")
    editor.user_permissions.add(admin_access)
    grant_editor(editor, OrganizationFactory())
    lock_out(client, target.username)

    client.force_login(editor)
    listing = client.get(LOCKED_LOGINS)
    response = client.post(LOCKED_LOGINS, {"username": target.username, "ip_address": ATTACKER})
    client.logout()

    for refused in (listing, response):
        assert refused.status_code == 302
        assert refused["Location"] == "/admin/"
    assert_locked_out(log_in(client, target.username, PASSWORD))
