"""`manage.py roles`: one command grants, revokes and lists every role the apps declare,
and each role, granted through it, allows what it names and no more; revoked, nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, ManagementUtility, call_command

from concertation.roles import Role, register, roles
from consultations.permissions.stewardship import manages_round
from organizations.funding.models import Programme
from organizations.funding.permissions import manages_programme
from organizations.models import Organization, OrganizationKind
from organizations.permissions import organizations_edited_by
from tests.consultations.test_rounds import add_round
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version

pytestmark = pytest.mark.django_db

ROLE_NAMES = ["organization-editor", "programme-staff", "policy-steward", "round-steward"]


def roles_command(*arguments: str) -> str:
    out = StringIO()
    call_command("roles", *arguments, stdout=out)
    return out.getvalue()


def fresh(user):
    """The user read again, without the permission caches of the old instance."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def policies(home_page):
    first = publish_policy_version(home_page, "First policy's version", "x").get_parent()
    second = first.get_parent().add_child(
        instance=type(first.specific)(title="Second policy", slug="second-policy")
    )
    second.save_revision().publish()
    return first.specific, second


@pytest.fixture
def programmes():
    funder = OrganizationFactory(kind=OrganizationKind.GOVERNMENT, name="Ministry")
    return [
        Programme.objects.create(
            name=name,
            slug=slug,
            funder=funder,
            mode="global_mission",
            first_fiscal_year=2000,
            last_fiscal_year=2005,
        )
        for name, slug in [("Mission", "mission"), ("Youth", "youth")]
    ]


def test_list_names_every_role_and_what_it_allows():
    listed = roles_command("list")

    for name in ROLE_NAMES:
        assert name in listed
    assert "records the programme's allocations" in listed
    assert list(roles()) == ROLE_NAMES


def test_organization_editor_granted_edits_that_organization_only_until_revoked():
    user = UserFactory(username="ed")
    centre, other = OrganizationFactory(slug="centre"), OrganizationFactory(slug="other")

    roles_command("grant", "organization-editor", "ed", "centre")
    assert list(organizations_edited_by(fresh(user))) == [centre]
    assert other not in organizations_edited_by(fresh(user))
    assert roles_command("list", "organization-editor", "centre").split() == ["ed"]
    assert roles_command("list", "organization-editor", "other") == ""

    roles_command("revoke", "organization-editor", "ed", "centre")
    assert not organizations_edited_by(fresh(user)).exists()
    assert roles_command("list", "organization-editor", "centre") == ""
    assert Organization.objects.filter(pk=centre.pk).exists()


def test_programme_staff_granted_manage_that_programme_only_until_revoked(programmes):
    mission, youth = programmes
    user = UserFactory(username="finance")

    roles_command("grant", "programme-staff", "finance", "mission")
    assert manages_programme(fresh(user), mission)
    assert not manages_programme(fresh(user), youth)
    assert roles_command("list", "programme-staff", "mission").split() == ["finance"]

    roles_command("revoke", "programme-staff", "finance", "mission")
    assert not manages_programme(fresh(user), mission)
    assert roles_command("list", "programme-staff", "mission") == ""


def test_policy_steward_granted_manages_its_rounds_only_until_revoked(policies):
    first, second = policies
    mine, theirs = add_round(first, "Mine"), add_round(second, "Theirs")
    user = UserFactory(username="steward")

    roles_command("grant", "policy-steward", "steward", first.slug)
    assert manages_round(fresh(user), mine)
    assert not manages_round(fresh(user), theirs)
    assert roles_command("list", "policy-steward", first.slug).split() == ["steward"]

    roles_command("revoke", "policy-steward", "steward", first.slug)
    assert not manages_round(fresh(user), mine)
    assert roles_command("list", "policy-steward", first.slug) == ""


def test_round_steward_granted_manages_that_round_only_until_revoked(policies):
    first, _second = policies
    mine, sibling = add_round(first, "Mine"), add_round(first, "Sibling")
    user = UserFactory(username="steward")

    roles_command("grant", "round-steward", "steward", mine.slug)
    assert manages_round(fresh(user), mine)
    assert not manages_round(fresh(user), sibling)
    assert roles_command("list", "round-steward", mine.slug).split() == ["steward"]

    roles_command("revoke", "round-steward", "steward", mine.slug)
    assert not manages_round(fresh(user), mine)
    assert roles_command("list", "round-steward", mine.slug) == ""


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["grant", "no-such-role", "ed", "centre"], 'role: unknown role "no-such-role"; one of'),
        (["grant", "organization-editor", "nobody", "centre"], 'user: no user is called "nobody"'),
        (
            ["grant", "organization-editor", "ed", "nowhere"],
            'object: no organization has the slug "nowhere"',
        ),
        (
            ["revoke", "programme-staff", "ed", "nowhere"],
            'object: no funding programme has the slug "nowhere"',
        ),
        (["list", "organization-editor"], "arguments:"),
        (["grant", "organization-editor", "ed"], "object:"),
        (["revoke"], "role:"),
    ],
)
def test_an_error_names_the_argument(arguments, message):
    UserFactory(username="ed")
    OrganizationFactory(slug="centre")

    with pytest.raises(CommandError) as refused:
        roles_command(*arguments)

    assert str(refused.value).startswith(message)


def test_an_error_exits_non_zero(capsys):
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "roles", "grant", "no-such-role", "a", "b"]).execute()

    assert exited.value.code != 0
    assert "role: unknown role" in capsys.readouterr().err


def test_two_apps_cannot_declare_the_same_role():
    existing = roles()["organization-editor"]
    impostor = Role(
        name=existing.name,
        description="",
        model=existing.model,
        lookup="slug",
        grant=existing.grant,
        revoke=existing.revoke,
        holders=existing.holders,
    )

    with pytest.raises(ValueError, match="organization-editor"):
        register(impostor)
    register(existing)  # the same role again is harmless
