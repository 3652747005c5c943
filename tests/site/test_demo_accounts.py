"""The demo's accounts: one a role, created by `load_demo` through the role service, each
password printed once (as `ensure_admin` does) and stored only as a hash; each account
may do what its role allows, and not more."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from concertation.demo_accounts import ACCOUNTS, ensure_demo_accounts
from consultations.models import ConsultationRoundPage, PositionPage
from consultations.permissions.stewardship import manages_round
from consultations.services.rounds import submit_brief
from organizations.funding.models import Programme
from organizations.funding.permissions import manages_programme, programmes_managed_by
from organizations.models import Organization
from organizations.permissions import organizations_edited_by

pytestmark = pytest.mark.django_db

USERNAMES = [account.username for account in ACCOUNTS]


def printed_passwords(output: str) -> dict[str, str]:
    return dict(re.findall(r"^\s+(demo-[\w-]+)\s+(\S+)\s+\(", output, re.MULTILINE))


@pytest.fixture
def passwords(capsys) -> dict[str, str]:
    call_command("load_demo")
    return printed_passwords(capsys.readouterr().out)


def sign_in(client, username: str, password: str) -> None:
    """Through the admin's sign-in form, as a person would."""
    response = client.post("/admin/login/", {"username": username, "password": password})
    assert response.status_code == 302, f"{username} could not sign in"


def user(username: str):
    return get_user_model().objects.get(username=username)


def test_load_demo_twice_creates_the_accounts_once_and_prints_passwords_once(
    passwords, capsys, client
):
    assert sorted(passwords) == sorted(USERNAMES)
    for username, password in passwords.items():
        account = user(username)
        # Stored as a hash, never in clear; the printed one signs in.
        assert password not in account.password
        assert account.check_password(password)
    before = {username: user(username).password for username in USERNAMES}

    call_command("load_demo")
    again = capsys.readouterr().out

    assert printed_passwords(again) == {}
    assert not any(password in again for password in passwords.values())
    assert "already exist" in again
    assert {username: user(username).password for username in USERNAMES} == before
    assert get_user_model().objects.filter(username__startswith="demo-").count() == len(ACCOUNTS)
    # Each signs in to the admin, where their work is.
    for username, password in passwords.items():
        client.logout()
        sign_in(client, username, password)
        assert client.get("/admin/").status_code == 200


def test_each_account_may_do_what_its_role_allows_and_not_more(passwords, client):
    rounds = ConsultationRoundPage.objects.filter(locale__language_code="en")
    open_round = rounds.get(slug="policy-update-consultation")
    past_round = rounds.get(slug="public-consultation-2000")
    steward, moderator, finance = user("demo-steward"), user("demo-moderator"), user("demo-finance")
    editor, coalition_editor = user("demo-editor"), user("demo-coalition-editor")
    organizations = {o.slug: o for o in Organization.objects.all()}
    local_group = organizations["centre-des-femmes-de-montreal-nord"]
    coalition = organizations["coalition-des-tables-regionales-dorganismes-communautaires"]
    member = organizations[
        "table-regionale-des-organismes-communautaires-de-labitibi-temiscamingue"
    ]

    # The steward changes the open round's state, and no other round's.
    assert manages_round(steward, open_round)
    assert not manages_round(steward, past_round)
    sign_in(client, "demo-steward", passwords["demo-steward"])
    assert client.get(f"/admin/consultations/rounds/{open_round.pk}/state/").status_code == 200
    refused = client.get(f"/admin/consultations/rounds/{past_round.pk}/state/")
    # Wagtail sends whoever lacks the permission back to the dashboard.
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")

    # The moderator publishes the position waiting for moderation; manages no round and
    # records no allocation.
    waiting = PositionPage.objects.get(slug="keep-the-provisions-for-advocacy-2000")
    assert waiting.permissions_for_user(moderator).can_publish()
    assert not waiting.permissions_for_user(editor).can_publish()
    assert not manages_round(moderator, open_round)
    assert not programmes_managed_by(moderator).exists()

    # Finance staff record one programme's allocations, not another's.
    programmes = {p.slug: p for p in Programme.objects.all()}
    assert list(programmes_managed_by(finance)) == [programmes["soutien-mission-globale"]]
    assert manages_programme(finance, programmes["soutien-mission-globale"])
    assert not manages_programme(finance, programmes["psoc-sante-services-sociaux"])
    assert not manages_round(finance, open_round)

    # The editor of one organization sends its brief to the open round, not another's.
    assert list(organizations_edited_by(editor)) == [local_group]
    brief = submit_brief(open_round, local_group, editor, title="Our brief", summary="Index it.")
    assert brief.organization == local_group
    with pytest.raises(PermissionDenied):
        submit_brief(open_round, coalition, editor, title="Not ours", summary="No.")

    # The coalition's editor speaks for the coalition and its member table, not others.
    assert set(organizations_edited_by(coalition_editor)) == {coalition, member}
    with pytest.raises(PermissionDenied):
        submit_brief(open_round, local_group, coalition_editor, title="Not ours", summary="No.")
    assert not manages_round(coalition_editor, open_round)
    assert not programmes_managed_by(coalition_editor).exists()


def test_an_account_whose_demo_object_is_missing_is_left_out():
    """A database loaded before the open round existed (or without the demo): the
    accounts of missing objects are left out (`load_demo` names them), the others made."""
    created, missing = ensure_demo_accounts(make_password=lambda: "a-password")

    assert [c.account.username for c in created] == ["demo-moderator"]
    assert [a.username for a in missing] == [
        "demo-steward",
        "demo-finance",
        "demo-editor",
        "demo-coalition-editor",
    ]
    assert not get_user_model().objects.filter(username="demo-steward").exists()
    assert user("demo-moderator").groups.filter(name="Moderators").exists()
