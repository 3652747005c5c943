"""Secretariat staff manage the policies and rounds they are given, one by one (a
django-guardian object permission, mirrored into Wagtail's page permissions), and no
other."""

import datetime

import pytest

from consultations.models import PolicyPage, Submission
from consultations.permissions.stewardship import (
    grant_steward,
    managed_rounds,
    manages_round,
    revoke_steward,
)
from consultations.services.rounds import change_round_state, submit_brief
from organizations.permissions import grant_editor
from tests.consultations.test_rounds import add_round
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_policies(home_page):
    first = publish_policy_version(home_page, "First policy's version", "x").get_parent()
    index = first.get_parent()
    second = index.add_child(instance=PolicyPage(title="Second policy"))
    second.save_revision().publish()
    return first.specific, second


@pytest.fixture
def rounds(two_policies):
    first, second = two_policies
    return {
        "first-a": add_round(first, "First A"),
        "first-b": add_round(first, "First B"),
        "second": add_round(second, "Second"),
    }


def test_a_policy_steward_manages_every_round_of_that_policy_only(rounds, two_policies):
    staff = UserFactory(username="policy-steward")
    grant_steward(staff, two_policies[0])

    assert set(managed_rounds(staff)) == {rounds["first-a"], rounds["first-b"]}
    assert manages_round(staff, rounds["first-a"])
    assert not manages_round(staff, rounds["second"])


def test_a_round_steward_manages_that_round_only(rounds):
    staff = UserFactory(username="round-steward")
    grant_steward(staff, rounds["first-a"])

    assert list(managed_rounds(staff)) == [rounds["first-a"]]
    assert not manages_round(staff, rounds["first-b"])


def test_revoking_takes_both_the_grant_and_the_page_permissions_away(client, rounds, two_policies):
    staff = UserFactory(username="former-steward")
    grant_steward(staff, two_policies[0])
    revoke_steward(staff, two_policies[0])

    assert not manages_round(staff, rounds["first-a"])
    client.force_login(staff)
    response = client.get(f"/admin/pages/{rounds['first-a'].pk}/edit/")
    assert response.status_code == 302


def test_nobody_else_manages_rounds(rounds):
    editor = UserFactory(username="org-editor")
    grant_editor(editor, OrganizationFactory())

    assert not managed_rounds(editor).exists()
    assert not manages_round(editor, rounds["first-a"])


def test_the_page_editor_opens_for_the_stewards_policy_and_not_another(
    client, rounds, two_policies
):
    staff = UserFactory(username="editing-steward")
    grant_steward(staff, two_policies[0])
    client.force_login(staff)

    assert client.get(f"/admin/pages/{rounds['first-a'].pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{two_policies[0].pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{rounds['second'].pk}/edit/").status_code == 302


def test_a_steward_reads_the_unpublished_briefs_of_their_rounds_only(rounds, two_policies):
    opens, during = datetime.date(2000, 1, 1), datetime.date(2000, 2, 1)
    briefs = {}
    for key in ("first-a", "second"):
        round_page = rounds[key]
        round_page.opens_on, round_page.closes_on = opens, datetime.date(2000, 3, 1)
        round_page.save_revision().publish()
        change_round_state(round_page, "open")
        organization = OrganizationFactory()
        editor = UserFactory(username=f"editor-{key}")
        grant_editor(editor, organization)
        briefs[key] = submit_brief(
            round_page, organization, editor, title=f"Brief to {key}", summary="s", today=during
        )
    staff = UserFactory(username="reading-steward")
    grant_steward(staff, two_policies[0])

    visible = set(Submission.objects.visible_to(staff))

    assert briefs["first-a"] in visible
    assert briefs["second"] not in visible


def test_the_command_adds_lists_and_removes_a_steward(rounds, two_policies):
    from io import StringIO

    from django.core.management import call_command

    staff = UserFactory(username="named-steward")
    slug = two_policies[1].slug
    call_command("roles", "grant", "policy-steward", "named-steward", slug, stdout=StringIO())
    assert manages_round(staff, rounds["second"])

    listed = StringIO()
    call_command("roles", "list", "policy-steward", slug, stdout=listed)
    assert listed.getvalue().split() == ["named-steward"]

    call_command("roles", "revoke", "policy-steward", "named-steward", slug, stdout=StringIO())
    assert not manages_round(staff, rounds["second"])


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["grant", "policy-steward", "x", "no-such-page"], "object:"),
        (["grant", "policy-steward", "nobody", "{policy}"], "user:"),
    ],
)
def test_the_command_names_what_is_wrong(two_policies, arguments, named):
    from django.core.management import CommandError, call_command

    arguments = [a.format(policy=two_policies[1].slug) for a in arguments]
    with pytest.raises(CommandError, match=named):
        call_command("roles", *arguments)
