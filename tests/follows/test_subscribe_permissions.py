"""Who may follow what (issue #16, the subscribe part): a record only when it exists, is
published and the reader may open it, by the archive search's rule; a record one may
not open is refused exactly as one that does not exist (no existence leak)."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from wagtail.models import PageViewRestriction

from follows.models import Follow, Subscriber
from follows.permissions import may_follow
from tests.factories import ForumFactory, OrganizationFactory, ProgrammeFactory, UserFactory

pytest_plugins = ["tests.follows.subscribe_fixtures"]
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

FOLLOW = "/follows/follow/"
MISSING = 987654


def restrict(page, group: Group | None = None) -> None:
    if group is None:
        PageViewRestriction.objects.create(page=page, restriction_type="login")
    else:
        restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
        restriction.groups.add(group)


class TestMayFollow:
    def test_public_records_of_every_kind_may_be_followed_by_anyone(self, policy, round_page):
        targets = [
            f"policy:{policy.pk}",
            f"round:{round_page.pk}",
            f"organization:{OrganizationFactory().pk}",
            f"forum:{ForumFactory().pk}",
            f"programme:{ProgrammeFactory().pk}",
            "listing:open_rounds",
            "listing:new_positions",
            "search:" + "a" * 64,
        ]
        user = UserFactory()
        for target in targets:
            assert may_follow(None, target), target
            assert may_follow(AnonymousUser(), target), target
            assert may_follow(user, target), target

    def test_records_that_do_not_exist_and_unknown_targets_may_not(self):
        for kind in ("policy", "round", "organization", "forum", "programme"):
            assert not may_follow(None, f"{kind}:{MISSING}")
            assert not may_follow(None, f"{kind}:abc")
        for target in ("listing:nothing", "search:short", "page:1", "", "policy:", "x" * 500):
            assert not may_follow(None, target)

    def test_an_unpublished_policy_or_round_may_not(self, policy, round_page):
        policy.unpublish()
        round_page.unpublish()
        superuser = UserFactory(is_superuser=True, is_staff=True)
        for target in (f"policy:{policy.pk}", f"round:{round_page.pk}"):
            assert not may_follow(None, target)
            assert not may_follow(superuser, target)

    def test_a_page_restricted_to_signed_in_readers(self, policy, round_page):
        restrict(policy)
        user = UserFactory()
        for target in (f"policy:{policy.pk}", f"round:{round_page.pk}"):
            assert not may_follow(None, target)
            assert may_follow(user, target)

    def test_a_page_restricted_to_a_group(self, round_page):
        group = Group.objects.create(name="Secretariat")
        restrict(round_page, group)
        member, outsider = UserFactory(), UserFactory()
        member.groups.add(group)
        assert may_follow(member, f"round:{round_page.pk}")
        assert not may_follow(outsider, f"round:{round_page.pk}")
        assert not may_follow(None, f"round:{round_page.pk}")

    def test_an_inactive_account_reads_public_records_only(self, round_page):
        restrict(round_page)
        assert not may_follow(UserFactory(is_active=False), f"round:{round_page.pk}")


class TestTheFollowPage:
    def test_a_restricted_record_is_refused_like_a_missing_one(self, client, policy, round_page):
        restrict(round_page)
        hidden = client.get(FOLLOW, {"target": f"round:{round_page.pk}"})
        missing = client.get(FOLLOW, {"target": f"round:{MISSING}"})
        assert hidden.status_code == missing.status_code == 404
        # The same page, but for the key in the language switcher's links.
        hidden_page = hidden.content.decode().replace(str(round_page.pk), "KEY")
        assert hidden_page == missing.content.decode().replace(str(MISSING), "KEY")
        assert "Public consultation" not in hidden.content.decode()

        posted = client.post(
            FOLLOW,
            {"target": f"round:{round_page.pk}", "email": "a@example.org", "cadence": "daily"},
        )
        assert posted.status_code == 404
        assert not Subscriber.objects.exists() and not Follow.objects.exists()

    def test_a_signed_in_reader_outside_the_group_is_refused_too(self, client, round_page):
        group = Group.objects.create(name="Secretariat")
        restrict(round_page, group)
        outsider = UserFactory(email="out@example.org")
        client.force_login(outsider)

        answer = client.post(FOLLOW, {"target": f"round:{round_page.pk}"})

        assert answer.status_code == 404
        assert not Follow.objects.exists()
        outsider.groups.add(group)
        assert client.post(FOLLOW, {"target": f"round:{round_page.pk}"}).status_code == 302
        assert Follow.objects.get().target == f"round:{round_page.pk}"

    def test_an_unpublished_policy_is_refused(self, client, policy):
        policy.unpublish()
        answer = client.get(FOLLOW, {"target": f"policy:{policy.pk}"})
        assert answer.status_code == 404
        assert "Community action policy" not in answer.content.decode()
