"""Writing a position in the admin: the organization is chosen in a short list of the
editor's own organizations (not Wagtail's chooser paging through all of them), the
co-signers in checkboxes a type-ahead narrows, and a draft Wagtail's autosave created
mid-fill is resumed by the next "create" instead of failing on its slug."""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from wagtail.models import Revision

from consultations.models import PositionPage
from consultations.position_autosave import RESUME_WITHIN
from organizations.permissions import grant_editor
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(home_page):
    return publish_policy_version(home_page, "First version (1999)", "x").get_parent().specific


@pytest.fixture
def coalition():
    return OrganizationFactory(name="Coalition of community groups")


def editor_of(*organizations, username: str = "editor"):
    user = UserFactory(username=username)
    for organization in organizations:
        grant_editor(user, organization)
    return user


def add_url(index) -> str:
    return f"/admin/pages/add/consultations/positionpage/{index.pk}/"


def position_form(organization, policy, **changes) -> dict:
    from wagtail.test.utils.form_data import rich_text

    data = {
        "title": "Recognize autonomous community action",
        "slug": "recognize-autonomous-community-action",
        "organization": organization.pk,
        "stated_on": "1999-09-15",
        "policy": policy.pk,
        "version": "",
        "body": rich_text("<p>The first version treats every non-profit alike.</p>"),
    }
    return {**data, **changes}


def autosave(client, index, data):
    """What Wagtail's autosave sends from the create view: the form, asking for JSON."""
    return client.post(add_url(index), data, HTTP_ACCEPT="application/json")


class TestAutosaveThenCreate:
    def test_the_create_after_an_autosave_resumes_the_draft(
        self, client, position_index, policy, coalition
    ):
        client.force_login(editor_of(coalition))
        saved = autosave(client, position_index, position_form(coalition, policy))
        assert saved.status_code == 200 and json.loads(saved.content)["success"]

        response = client.post(
            add_url(position_index),
            position_form(
                coalition, policy, title="Recognize it, at last", **{"action-submit": "1"}
            ),
        )

        assert response.status_code == 302
        position = PositionPage.objects.get()
        assert position.title == "Recognize it, at last"
        assert position.workflow_in_progress
        notes = [str(message) for message in get_messages(response.wsgi_request)]
        assert any("already been saved as a draft" in note for note in notes), notes

    def test_a_second_autosave_from_the_create_form_updates_the_same_draft(
        self, client, position_index, policy, coalition
    ):
        client.force_login(editor_of(coalition))
        first = json.loads(
            autosave(client, position_index, position_form(coalition, policy)).content
        )

        second = autosave(
            client, position_index, position_form(coalition, policy, title="Longer title")
        )

        assert second.status_code == 200
        assert json.loads(second.content)["success"]
        position = PositionPage.objects.get()
        assert position.pk == first["pk"]
        assert position.get_latest_revision_as_object().title == "Longer title"

    def test_someone_elses_draft_with_that_slug_is_a_refusal_naming_the_slug(
        self, client, position_index, policy, coalition
    ):
        client.force_login(editor_of(coalition, username="first"))
        autosave(client, position_index, position_form(coalition, policy))
        client.force_login(editor_of(coalition, username="second"))

        response = client.post(add_url(position_index), position_form(coalition, policy))

        assert response.status_code == 200
        assert "slug" in response.context["form"].errors
        assert PositionPage.objects.get().owner.username == "first"

    def test_an_old_draft_is_not_overwritten(self, client, position_index, policy, coalition):
        client.force_login(editor_of(coalition))
        autosave(client, position_index, position_form(coalition, policy))
        draft = PositionPage.objects.get()
        long_ago = datetime.datetime.now(datetime.UTC) - RESUME_WITHIN * 2
        PositionPage.objects.filter(pk=draft.pk).update(latest_revision_created_at=long_ago)

        response = client.post(
            add_url(position_index), position_form(coalition, policy, title="Another one")
        )

        assert response.status_code == 200
        assert "slug" in response.context["form"].errors
        assert Revision.objects.filter(object_id=str(draft.pk)).count() == 1


class TestTheOrganizationChoice:
    def test_an_editor_of_one_organization_has_it_chosen(self, client, position_index, coalition):
        OrganizationFactory.create_batch(3)
        client.force_login(editor_of(coalition))

        body = client.get(add_url(position_index)).content.decode()

        select = re.search(r'<select name="organization".*?</select>', body, re.S).group(0)
        assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == [coalition.name]
        assert "selected" in select
        assert "---------" not in select

    def test_an_editor_sees_only_their_organizations(self, client, position_index):
        first, second = OrganizationFactory(name="A first"), OrganizationFactory(name="B second")
        OrganizationFactory(name="C not ours")
        client.force_login(editor_of(first, second))

        body = client.get(add_url(position_index)).content.decode()

        select = re.search(r'<select name="organization".*?</select>', body, re.S).group(0)
        assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == [
            "Choose the organization",
            "A first",
            "B second",
        ]

    def test_a_moderator_sees_their_own_organizations_first(self, client, position_index):
        ours = OrganizationFactory(name="Zeta, ours")
        OrganizationFactory(name="Alpha, not ours")
        moderator = editor_of(ours, username="moderator")
        moderator.groups.add(Group.objects.get(name="Moderators"))
        client.force_login(moderator)

        body = client.get(add_url(position_index)).content.decode()

        select = re.search(r'<select name="organization".*?</select>', body, re.S).group(0)
        groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
        assert [label for label, _options in groups] == [
            "Your organizations",
            "Other organizations",
        ]
        assert "Zeta, ours" in groups[0][1] and "Alpha, not ours" in groups[1][1]

    def test_co_signers_are_checkboxes_with_a_type_ahead(self, client, position_index, coalition):
        partner = OrganizationFactory(name="Partner")
        client.force_login(editor_of(coalition))

        body = client.get(add_url(position_index)).content.decode()

        assert f'type="checkbox" name="co_signers" value="{partner.pk}"' in body
        assert "concertation/js/checkbox-filter.js" in body
