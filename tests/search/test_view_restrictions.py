"""A page made private (a Wagtail view restriction on it or on an ancestor) is found only
by those the restriction lets in, with its sections, and by everyone again once it is
public; on the real Elasticsearch."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from search import engine
from search.index import alias_name, refresh
from search.registry import registry
from tests.factories import UserFactory, publish_policy_version

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]


def total(client, text: str, user=None) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get("/search/", {"q": text}).context["results"].total


def stored(version) -> dict:
    refresh()
    document_id = registry.get("policy_version").document_id(version.pk)
    return engine.get_client().get(index=alias_name(), id=document_id)["_source"]


@pytest.fixture
def member():
    return UserFactory(username="member")


@pytest.fixture
def superuser():
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


def test_a_password_on_the_parent_hides_the_version_from_everyone_until_removed(
    client, home_page, archive_index, index_on_commit, member, superuser
):
    with index_on_commit():
        version = publish_policy_version(home_page, "Version confidentielle", "A guarded text.")
    assert total(client, "guarded") == 1

    with index_on_commit():
        restriction = PageViewRestriction.objects.create(
            page=version.get_parent(),
            restriction_type=PageViewRestriction.PASSWORD,
            password="shared-secret",
        )

    # A password is asked of every visitor, superusers too: the search cannot check it.
    assert (stored(version)["visibility"], stored(version)["readers"]) == ("restricted", [])
    assert total(client, "guarded") == 0
    assert total(client, "guarded", member) == 0
    assert total(client, "guarded", superuser) == 0

    with index_on_commit():
        restriction.delete()

    assert stored(version)["visibility"] == "public"
    assert total(client, "guarded") == 1


def test_signed_in_only_version_is_found_with_its_sections_by_signed_in_visitors(
    client, home_page, archive_index, index_on_commit, member
):
    with index_on_commit():
        version = publish_policy_version(home_page, "Members only", "A text for members.")
        publish_policy_version(home_page, "Open version", "A text for everyone.")

    with index_on_commit():
        restriction = PageViewRestriction.objects.create(
            page=version, restriction_type=PageViewRestriction.LOGIN
        )

    assert total(client, "members") == 0
    assert total(client, "members", member) == 2  # the version and its section
    assert total(client, "text") == 1  # the open version's section only
    assert total(client, "text", member) == 2

    with index_on_commit():
        restriction.restriction_type = PageViewRestriction.PASSWORD
        restriction.password = "shared-secret"
        restriction.save()

    assert total(client, "members", member) == 0


def test_a_groups_restriction_lets_its_members_in_and_no_one_else(
    client, home_page, archive_index, index_on_commit, member, superuser
):
    board = Group.objects.create(name="Board")
    member.groups.add(board)
    outsider = UserFactory(username="outsider")
    with index_on_commit():
        version = publish_policy_version(home_page, "Board version", "A confidential draft.")
        restriction = PageViewRestriction.objects.create(
            page=version.get_parent(), restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.add(board)

    assert total(client, "confidential", member) == 1
    assert total(client, "confidential", superuser) == 1
    assert total(client, "confidential", outsider) == 0
    assert total(client, "confidential") == 0

    # Membership is read at query time: no re-indexing needed either way.
    member.groups.remove(board)
    outsider.groups.add(board)
    assert total(client, "confidential", member) == 0
    assert total(client, "confidential", outsider) == 1


def test_nested_restrictions_keep_what_every_one_of_them_allows(
    client, home_page, archive_index, index_on_commit, member
):
    """Signed in on the policy and a group on the version: only the group's members.
    Removing one of two restrictions leaves the page as private as the other says."""
    board = Group.objects.create(name="Board")
    with index_on_commit():
        version = publish_policy_version(home_page, "Doubly guarded", "A nested text.")
        outer = PageViewRestriction.objects.create(
            page=version.get_parent(), restriction_type=PageViewRestriction.LOGIN
        )
        inner = PageViewRestriction.objects.create(
            page=version, restriction_type=PageViewRestriction.GROUPS
        )
        inner.groups.add(board)

    assert stored(version)["readers"] == ["superuser", f"group:{board.pk}"]
    assert total(client, "nested", member) == 0

    with index_on_commit():
        inner.delete()
    assert total(client, "nested") == 0
    assert total(client, "nested", member) == 1

    with index_on_commit():
        outer.delete()
    assert total(client, "nested") == 1


def test_two_groups_restrictions_let_in_only_the_groups_both_name(
    client, home_page, archive_index, index_on_commit, member
):
    """A member of one group of each would pass both, which reader tokens cannot say:
    the search then errs on the side of fewer readers, never more."""
    shared, policy_only, version_only = (
        Group.objects.create(name=name) for name in ("Shared", "Policy", "Version")
    )
    with index_on_commit():
        version = publish_policy_version(home_page, "Twice guarded", "A guarded draft.")
        on_policy = PageViewRestriction.objects.create(
            page=version.get_parent(), restriction_type=PageViewRestriction.GROUPS
        )
        on_policy.groups.add(shared, policy_only)
        on_version = PageViewRestriction.objects.create(
            page=version, restriction_type=PageViewRestriction.GROUPS
        )
        on_version.groups.add(shared, version_only)

    assert stored(version)["readers"] == ["superuser", f"group:{shared.pk}"]
    member.groups.add(policy_only)
    assert total(client, "guarded", member) == 0
    member.groups.add(shared)
    assert total(client, "guarded", member) == 2  # the version and its section
