"""The round's report and the government's point-by-point response: when the public sees
them, how the points cite the briefs, and who drafts the points and redacts the briefs in
the admin (the stewards of the round, no one else)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm

from consultations.admin_permissions import RoundStewardPermissionPolicy
from consultations.models import (
    ConsultationRoundPage,
    PolicyPage,
    Redaction,
    ResponsePoint,
    Submission,
)
from consultations.permissions.stewardship import grant_steward
from consultations.services.responses import ResponseOnRecord, delete_point, record_point
from consultations.services.rounds import change_round_state, submit_brief
from tests.consultations.test_rounds import add_round
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version

pytestmark = pytest.mark.django_db

SUBMITTED_ON = datetime.date(2000, 5, 15)
SECTIONS_V1 = [
    ("1", "Scope", "The policy covers community organizations."),
    ("2", "Funding", "Funding is granted by project."),
]
SECTIONS_V2 = [
    ("1", "Scope", "The policy covers community organizations."),
    ("2", "Funding", "Funding is granted for the global mission."),
]
POINTS = "/admin/snippets/consultations/responsepoint/"
SUBMISSIONS = "/admin/snippets/consultations/submission/"


def assert_refused(response) -> None:
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard."""
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def brief(round_page, organization, title: str, publication: str = "named") -> Submission:
    editor = UserFactory(username=f"editor-of-{organization.slug}")
    assign_perm("organizations.change_organization", editor, organization)
    return submit_brief(
        round_page,
        organization,
        editor,
        title=title,
        summary=f"{title}: we ask for core funding.",
        publication=publication,
        today=SUBMITTED_ON,
    )


def advance(round_page, *states: str) -> ConsultationRoundPage:
    for state in states:
        change_round_state(round_page, state)
    return round_page


@pytest.fixture
def policy(home_page) -> PolicyPage:
    return publish_policy_version(home_page, "Version 1", "", sections=SECTIONS_V1).get_parent()


@pytest.fixture
def consulted_round(policy) -> ConsultationRoundPage:
    """A round on version 1 that heard three briefs (named, anonymous, withheld) and has
    closed; its report is written but not published."""
    round_page = add_round(
        policy.specific,
        title="Public consultation 2000",
        version=policy.get_children().specific().get(policyversionpage__number=1),
        report="<p>What we heard: fund the mission.</p>",
    )
    advance(round_page, "open")
    brief(round_page, OrganizationFactory(name="Named group"), "Named brief")
    brief(round_page, OrganizationFactory(name="Shy group"), "Anonymous brief", "anonymous")
    brief(round_page, OrganizationFactory(name="Private group"), "Withheld brief", "withheld")
    return advance(round_page, "closed")


@pytest.fixture
def other_round(home_page, policy) -> ConsultationRoundPage:
    """A round of another policy (B), with one brief."""
    policy_b = policy.get_parent().add_child(instance=PolicyPage(title="Housing policy"))
    round_page = add_round(policy_b, title="Housing roundtable", kind="roundtable_session")
    advance(round_page, "open")
    brief(round_page, OrganizationFactory(name="Housing group"), "Housing brief")
    return round_page


def point(round_page, *, titles=(), **fields) -> ResponsePoint:
    defaults = {"said": "Fund the global mission.", "response": "We agree.", "position": 1}
    cited = Submission.objects.filter(round=round_page, title__in=titles)
    return record_point(ResponsePoint(round=round_page, **{**defaults, **fields}), cited)


def release_version_2(home_page):
    return publish_policy_version(
        home_page, "Version 2", "", sections=SECTIONS_V2, release_date=datetime.date(2001, 3, 1)
    )


def steward_of(page, username: str):
    user = UserFactory(username=username)
    grant_steward(user, page)
    return user


class TestReport:
    def test_hidden_until_published_then_shown_with_its_date(self, client, consulted_round):
        before = client.get(consulted_round.url).content.decode()
        assert "What we heard" not in before

        advance(consulted_round, "report_published")
        after = client.get(consulted_round.url).content.decode()

        assert "What we heard: fund the mission." in after
        assert f'datetime="{consulted_round.report_date:%Y-%m-%d}"' in after


class TestResponse:
    def test_points_are_hidden_while_draft_and_shown_once_published(self, client, consulted_round):
        advance(consulted_round, "report_published")
        point(consulted_round, said="Fund the global mission.", response="We will.")

        draft = client.get(consulted_round.url).content.decode()
        assert "Fund the global mission." not in draft
        assert "Government response" not in draft

        advance(consulted_round, "response_published")
        published = client.get(consulted_round.url).content.decode()

        assert "Government response" in published
        assert "Fund the global mission." in published and "We will." in published
        assert "Not changed" in published
        assert "draft" not in published

    def test_the_rounds_stewards_see_the_drafts_marked(self, client, policy, consulted_round):
        advance(consulted_round, "report_published")
        point(consulted_round, said="A drafted answer.")
        client.force_login(steward_of(policy, "steward-a"))

        body = client.get(consulted_round.url).content.decode()

        assert "A drafted answer." in body
        assert 'class="draft-label">draft<' in body

    def test_another_policys_steward_does_not_see_them(self, client, consulted_round, other_round):
        advance(consulted_round, "report_published")
        point(consulted_round, said="A drafted answer.")
        client.force_login(steward_of(other_round.get_parent(), "steward-b"))

        assert "A drafted answer." not in client.get(consulted_round.url).content.decode()

    def test_the_briefs_are_cited_as_the_public_may_read_them(self, client, consulted_round):
        advance(consulted_round, "report_published")
        point(consulted_round, titles=["Named brief", "Anonymous brief", "Withheld brief"])
        advance(consulted_round, "response_published")
        named, anonymous = (
            Submission.objects.get(title="Named brief"),
            Submission.objects.get(title="Anonymous brief"),
        )

        response = client.get(consulted_round.url)
        body = response.content.decode()
        (item,) = response.context["response_points"]

        assert [(c.submission.title, c.author) for c in item.citations] == [
            ("Named brief", "Named group"),
            ("Anonymous brief", ""),
        ]
        assert f'href="#submission-{named.pk}"' in body
        assert f'href="#submission-{anonymous.pk}"' in body
        assert "published without the submitter's name" in body
        assert "Shy group" not in body
        assert "Withheld brief" not in body and "Private group" not in body

    def test_a_change_links_to_the_section_of_the_comparison(
        self, client, home_page, policy, consulted_round
    ):
        advance(consulted_round, "report_published")
        changed = point(consulted_round, section="2", changed_in_next_version=True)
        point(consulted_round, said="Keep the scope.", response="Kept.", position=2)
        release_version_2(home_page)
        advance(consulted_round, "response_published")

        response = client.get(consulted_round.url)
        items = {item.point.pk: item for item in response.context["response_points"]}

        expected = f"{policy.url}compare/?from=1&to=2#section-2"
        assert items[changed.pk].diff_url == expected
        assert f'href="{expected.replace("&", "&amp;")}"' in response.content.decode()
        comparison = client.get(expected.split("#")[0])
        assert comparison.status_code == 200
        assert 'id="section-2"' in comparison.content.decode()
        assert "global mission" in comparison.content.decode()

    def test_a_change_before_the_next_version_is_out_says_so(self, client, consulted_round):
        advance(consulted_round, "report_published")
        point(consulted_round, section="2", changed_in_next_version=True)
        advance(consulted_round, "response_published")

        body = client.get(consulted_round.url).content.decode()

        assert "Changed in the next version (not released yet)" in body

    def test_the_page_queries_do_not_grow_with_the_points(
        self, client, home_page, policy, consulted_round
    ):
        """Measured as a steward, who sees the draft points (and every brief) through
        the same code as the public sees a published response."""
        advance(consulted_round, "report_published")
        cited = ["Named brief", "Anonymous brief", "Withheld brief"]
        point(consulted_round, titles=cited, section="2", changed_in_next_version=True)
        release_version_2(home_page)
        client.force_login(steward_of(policy, "steward-a"))
        url = consulted_round.url
        client.get(url)  # warm the site-root cache
        with CaptureQueriesContext(connection) as one:
            response = client.get(url)
        assert len(response.context["response_points"]) == 1
        for position in (2, 3):
            point(
                consulted_round,
                titles=cited,
                section="1",
                changed_in_next_version=True,
                position=position,
            )
        with CaptureQueriesContext(connection) as three:
            response = client.get(url)

        assert len(response.context["response_points"]) == 3
        assert all(
            item.diff_url and len(item.citations) == 3
            for item in response.context["response_points"]
        )
        assert len(three) == len(one)


class TestRecordingPoints:
    def test_a_point_cites_only_the_briefs_of_its_round(self, consulted_round, other_round):
        stray = Submission.objects.get(title="Housing brief")
        with pytest.raises(ValidationError) as refused:
            record_point(ResponsePoint(round=consulted_round, said="x", response="y"), [stray])
        assert "Housing brief" in refused.value.message_dict["submissions"][0]
        assert not ResponsePoint.objects.exists()

    def test_a_published_response_is_on_the_record(self, consulted_round):
        advance(consulted_round, "report_published")
        answered = point(consulted_round, said="Fund the mission.")
        advance(consulted_round, "response_published")

        answered.response = "Rewritten afterwards."
        with pytest.raises(ResponseOnRecord) as refused:
            record_point(answered)
        assert "on the record" in refused.value.messages[0]
        with pytest.raises(ResponseOnRecord):
            delete_point(answered)
        with pytest.raises(ResponseOnRecord):
            record_point(ResponsePoint(round=consulted_round, said="Late", response="Late"))
        assert ResponsePoint.objects.get().response == "We agree."

    def test_a_draft_point_is_changed_and_deleted(self, consulted_round):
        advance(consulted_round, "report_published")
        draft = point(consulted_round)
        draft.response = "We agree, from 2002."
        record_point(draft)
        assert ResponsePoint.objects.get().response == "We agree, from 2002."
        delete_point(draft)
        assert not ResponsePoint.objects.exists()


def point_form(round_page, submissions=(), **changes) -> dict:
    return {
        "round": round_page.pk,
        "position": 1,
        "said": "Fund the global mission.",
        "submissions": [s.pk for s in submissions],
        "response": "We agree.",
        "section": "",
        **changes,
    }


def redaction_form(submission, passage: str, reason: str) -> dict:
    return {
        "title": submission.title,
        "redactions-TOTAL_FORMS": 1,
        "redactions-INITIAL_FORMS": 0,
        "redactions-MIN_NUM_FORMS": 0,
        "redactions-MAX_NUM_FORMS": 1000,
        "redactions-0-id": "",
        "redactions-0-passage": passage,
        "redactions-0-reason": reason,
    }


@pytest.fixture
def story(policy, consulted_round, other_round):
    """Policy A's round with a draft point, policy B's round with a draft point, and the
    stewards of each policy."""
    advance(consulted_round, "report_published")
    point_a = point(consulted_round, said="Point of policy A.")
    point_b = point(other_round, said="Point of policy B.")
    return {
        "point_a": point_a,
        "point_b": point_b,
        "steward_a": steward_of(policy, "steward-a"),
        "steward_b": steward_of(other_round.get_parent(), "steward-b"),
    }


@pytest.fixture
def organization_editor():
    """Someone who edits an organization in the admin and manages no round."""
    user = UserFactory(username="org-editor")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assign_perm("organizations.change_organization", user, OrganizationFactory())
    return user


class TestResponsePointsInTheAdmin:
    def test_a_steward_lists_the_points_of_the_rounds_they_manage(self, client, story):
        client.force_login(story["steward_a"])

        response = client.get(POINTS)

        assert response.status_code == 200
        assert list(response.context["object_list"]) == [story["point_a"]]

    def test_the_list_filters_by_round_and_by_change(
        self, client, policy, story, consulted_round, other_round
    ):
        later = add_round(policy.specific, title="Second round")
        changed = point(later, said="Changed later.", section="1", changed_in_next_version=True)
        client.force_login(story["steward_a"])

        by_round = client.get(POINTS, {"round": later.pk})
        by_change = client.get(POINTS, {"changed_in_next_version": "true"})

        assert list(by_round.context["object_list"]) == [changed]
        assert list(by_change.context["object_list"]) == [changed]
        offered = by_round.context["filters"].form.fields["round"].queryset
        assert set(offered) == {consulted_round, later}
        assert "Response points" in client.get("/admin/").content.decode()

    def test_a_steward_edits_a_point_of_their_round(self, client, story, consulted_round):
        client.force_login(story["steward_a"])
        url = f"{POINTS}edit/{story['point_a'].pk}/"
        named = Submission.objects.get(title="Named brief")

        assert client.get(url).status_code == 200
        response = client.post(
            url, point_form(consulted_round, [named], response="We agree, from 2002.")
        )

        assert response.status_code == 302
        story["point_a"].refresh_from_db()
        assert story["point_a"].response == "We agree, from 2002."
        assert list(story["point_a"].submissions.all()) == [named]

    def test_a_steward_adds_a_point_to_their_round(self, client, story, consulted_round):
        client.force_login(story["steward_a"])

        response = client.post(f"{POINTS}add/", point_form(consulted_round, said="A new one."))

        assert response.status_code == 302
        assert ResponsePoint.objects.filter(round=consulted_round, said="A new one.").exists()

    def test_the_form_offers_only_the_rounds_and_briefs_the_steward_manages(
        self, client, story, consulted_round
    ):
        client.force_login(story["steward_a"])

        form = client.get(f"{POINTS}add/").context["form"]

        assert list(form.fields["round"].queryset) == [consulted_round]
        assert {s.title for s in form.fields["submissions"].queryset} == {
            "Named brief",
            "Anonymous brief",
            "Withheld brief",
        }

    def test_a_brief_of_another_round_is_refused_on_its_field(
        self, client, policy, story, consulted_round
    ):
        later = add_round(policy.specific, title="Second round", opens_on=SUBMITTED_ON)
        advance(later, "open")
        stray = brief(later, OrganizationFactory(name="Late group"), "Brief to the second round")
        client.force_login(story["steward_a"])

        response = client.post(
            f"{POINTS}edit/{story['point_a'].pk}/", point_form(consulted_round, [stray])
        )

        assert response.status_code == 200
        errors = response.context["form"].errors["submissions"]
        assert "Brief to the second round" in errors[0]
        assert "another round" in errors[0]
        assert not story["point_a"].submissions.exists()

    def test_a_round_the_steward_does_not_manage_cannot_be_chosen(self, client, story, other_round):
        client.force_login(story["steward_a"])

        response = client.post(f"{POINTS}add/", point_form(other_round, said="Intrusion"))

        assert response.status_code == 200
        assert response.context["form"].errors["round"]
        assert not ResponsePoint.objects.filter(said="Intrusion").exists()

    def test_another_policys_steward_neither_sees_nor_edits_them(self, client, story):
        client.force_login(story["steward_b"])
        url = f"{POINTS}edit/{story['point_a'].pk}/"

        assert list(client.get(POINTS).context["object_list"]) == [story["point_b"]]
        assert_refused(client.get(url))
        assert_refused(client.post(url, point_form(story["point_a"].round, said="Hijacked")))
        assert_refused(client.post(f"{POINTS}delete/{story['point_a'].pk}/"))
        story["point_a"].refresh_from_db()
        assert story["point_a"].said == "Point of policy A."

    def test_an_organization_editor_is_refused(self, client, story, organization_editor):
        client.force_login(organization_editor)

        assert "Response points" not in client.get("/admin/").content.decode()
        assert_refused(client.get(POINTS))
        assert_refused(client.get(f"{POINTS}edit/{story['point_a'].pk}/"))
        assert_refused(client.get(f"{POINTS}add/"))

    def test_an_anonymous_visitor_is_sent_to_log_in(self, client, story):
        response = client.get(f"{POINTS}edit/{story['point_a'].pk}/")

        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]

    def test_a_point_of_a_published_response_is_not_changed(self, client, story, consulted_round):
        advance(consulted_round, "response_published")
        client.force_login(story["steward_a"])
        url = f"{POINTS}edit/{story['point_a'].pk}/"

        shown = client.get(url, follow=True).content.decode()
        response = client.post(url, point_form(consulted_round, said="Rewritten."))

        assert "on the record" in shown
        assert response.status_code == 200
        assert "can no longer be changed or deleted" in response.content.decode()
        story["point_a"].refresh_from_db()
        assert story["point_a"].said == "Point of policy A."

    def test_a_point_of_a_published_response_is_not_deleted(self, client, story, consulted_round):
        advance(consulted_round, "response_published")
        client.force_login(story["steward_a"])

        response = client.post(f"{POINTS}delete/{story['point_a'].pk}/", follow=True)

        assert "on the record" in response.content.decode()
        assert ResponsePoint.objects.filter(pk=story["point_a"].pk).exists()

    def test_a_draft_point_is_deleted_by_its_steward(self, client, story):
        client.force_login(story["steward_a"])

        response = client.post(f"{POINTS}delete/{story['point_a'].pk}/")

        assert response.status_code == 302
        assert not ResponsePoint.objects.filter(pk=story["point_a"].pk).exists()


class TestSubmissionsInTheAdmin:
    def test_a_steward_lists_and_redacts_the_briefs_of_their_round(self, client, story):
        named = Submission.objects.get(title="Named brief")
        client.force_login(story["steward_a"])

        listed = {s.title for s in client.get(SUBMISSIONS).context["object_list"]}
        response = client.post(
            f"{SUBMISSIONS}edit/{named.pk}/",
            redaction_form(named, "core funding", "not yet announced"),
        )

        assert listed == {"Named brief", "Anonymous brief", "Withheld brief"}
        assert response.status_code == 302
        assert Redaction.objects.get(submission=named).reason == "not yet announced"

    def test_another_policys_steward_cannot_redact_them(self, client, story):
        named = Submission.objects.get(title="Named brief")
        client.force_login(story["steward_b"])
        url = f"{SUBMISSIONS}edit/{named.pk}/"

        listed = {s.title for s in client.get(SUBMISSIONS).context["object_list"]}

        assert listed == {"Housing brief"}
        assert_refused(client.get(url))
        assert_refused(client.post(url, redaction_form(named, "core funding", "hijack")))
        assert not Redaction.objects.exists()

    def test_an_organization_editor_and_a_visitor_are_refused(
        self, client, story, organization_editor
    ):
        named = Submission.objects.get(title="Named brief")
        assert client.get(SUBMISSIONS)["Location"].startswith("/admin/login/")

        client.force_login(organization_editor)

        assert_refused(client.get(SUBMISSIONS))
        assert_refused(client.get(f"{SUBMISSIONS}edit/{named.pk}/"))

    def test_briefs_are_never_added_nor_deleted_in_the_admin(self, client, story):
        named = Submission.objects.get(title="Named brief")
        superuser = UserFactory(username="root", is_superuser=True)

        for user in (story["steward_a"], superuser):
            client.force_login(user)
            assert_refused(client.get(f"{SUBMISSIONS}add/"))
            assert_refused(client.post(f"{SUBMISSIONS}delete/{named.pk}/"))
        assert Submission.objects.filter(pk=named.pk).exists()

    def test_the_chooser_lists_only_the_briefs_the_user_manages(self, client, story):
        client.force_login(story["steward_b"])

        response = client.get("/admin/snippets/choose/consultations/submission/")

        assert response.status_code == 200
        body = response.content.decode()
        assert "Housing brief" in body
        assert "Withheld brief" not in body


class TestThePolicy:
    def test_the_stewards_of_a_round_are_its_users(self, story, consulted_round):
        policy = RoundStewardPermissionPolicy(ResponsePoint)

        stewards = set(policy.users_with_permission_for_instance("change", story["point_a"]))

        assert story["steward_a"] in stewards
        assert story["steward_b"] not in stewards
        assert {story["steward_a"], story["steward_b"]} <= set(
            policy.users_with_permission("change")
        )

    def test_an_action_left_out_is_refused_to_everyone(self, story):
        policy = RoundStewardPermissionPolicy(Submission, actions=("change", "view"))
        named = Submission.objects.get(title="Named brief")

        assert policy.user_has_permission_for_instance(story["steward_a"], "change", named)
        assert not policy.user_has_permission(story["steward_a"], "add")
        assert not policy.user_has_permission_for_instance(story["steward_a"], "delete", named)
        assert not policy.user_has_permission(AnonymousUser(), "change")
        assert not policy.instances_user_has_permission_for(AnonymousUser(), "change").exists()
