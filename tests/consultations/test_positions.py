"""Positions: organizations' editors write them in the admin for their own organization,
submit them to Wagtail's moderation workflow, and a moderator publishes them; until
then the public never sees them."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupApprovalTask, Locale, Page, Workflow, WorkflowPage
from wagtail.test.utils.form_data import rich_text

from concertation.site_setup import ensure_site
from consultations.demo import load_policy_story, load_positions
from consultations.models import (
    PolicyPage,
    PolicyVersionPage,
    PositionCoSignature,
    PositionIndexPage,
    PositionPage,
)
from organizations.demo import load_organizations
from organizations.models import Organization
from organizations.permissions import ORGANIZATION_EDITORS_GROUP, grant_editor, revoke_editor
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(position_index):
    return position_index


@pytest.fixture
def versions(home_page):
    """Two public versions of one policy, and an internal third."""
    first = publish_policy_version(home_page, "First version (1999)", "All non-profits.")
    second = publish_policy_version(home_page, "Consultation document (2000)", "Autonomy.")
    internal = publish_policy_version(home_page, "Internal draft", "Not yet.", status="internal")
    return first, second, internal


@pytest.fixture
def policy(versions):
    return versions[0].get_parent().specific


@pytest.fixture
def coalition():
    return OrganizationFactory(name="Comité aviseur de l'action communautaire autonome")


@pytest.fixture
def other_organization():
    return OrganizationFactory(name="Someone else's organization")


def editor_of(organization, username: str):
    user = UserFactory(username=username)
    grant_editor(user, organization)
    return user


@pytest.fixture
def moderator():
    user = UserFactory(username="moderator")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def add_url(index) -> str:
    return reverse("wagtailadmin_pages:add", args=("consultations", "positionpage", index.pk))


def position_form(organization, policy, version=None, **changes) -> dict:
    """The admin's page form as the browser posts it."""
    data = {
        "title": "Recognize autonomous community action",
        "slug": "recognize-autonomous-community-action",
        "organization": organization.pk,
        "stated_on": "1999-09-15",
        "policy": policy.pk,
        "version": version.pk if version else "",
        "body": rich_text("<p>The first version treats every non-profit alike.</p>"),
    }
    return {**data, **changes}


def add_position(index, organization, policy, version=None, **fields) -> PositionPage:
    """A position saved as a draft, as an editor leaves it before submitting."""
    defaults = {
        "title": "Our position",
        "stated_on": datetime.date(1999, 9, 15),
        "body": "<p>Our position.</p>",
    }
    page = PositionPage(
        organization=organization, policy=policy, version=version, live=False, **defaults
    )
    for name, value in fields.items():
        setattr(page, name, value)
    index.add_child(instance=page)
    page.save_revision()
    return page


def assert_refused(response) -> None:
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard."""
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def approve(client, moderator, page) -> None:
    page.refresh_from_db()
    task_state = page.current_workflow_task_state
    client.force_login(moderator)
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)),
        {"comment": ""},
    )
    assert response.status_code == 302


class TestTheModerationWorkflow:
    def test_wagtails_default_workflow_moderates_the_whole_tree(self, index):
        workflow = Workflow.objects.get(name="Moderators approval", active=True)
        task = GroupApprovalTask.objects.get(workflow_tasks__workflow=workflow)

        assert list(task.groups.values_list("name", flat=True)) == ["Moderators"]
        assert WorkflowPage.objects.get(workflow=workflow).page == Page.get_first_root_node()
        assert index.get_workflow() == workflow

    def test_an_editor_submits_and_a_moderator_publishes(
        self, client, index, policy, versions, coalition, moderator
    ):
        editor = editor_of(coalition, "editor")
        client.force_login(editor)
        assert client.get(reverse("wagtailadmin_explore", args=(index.pk,))).status_code == 200
        assert client.get(add_url(index)).status_code == 200

        response = client.post(
            add_url(index), position_form(coalition, policy, versions[0], **{"action-submit": "1"})
        )

        assert response.status_code == 302
        position = PositionPage.objects.get()
        assert (position.organization, position.version) == (coalition, versions[0])
        assert position.owner == editor
        assert not position.live
        assert position.workflow_in_progress
        client.logout()
        assert client.get(position.url).status_code == 404
        assert "Recognize autonomous" not in client.get(index.url).content.decode()
        assert "Recognize autonomous" not in client.get(policy.url).content.decode()

        approve(client, moderator, position)
        client.logout()

        position.refresh_from_db()
        assert position.live and not position.workflow_in_progress
        page = client.get(position.url).content.decode()
        assert coalition.name.replace("'", "&#x27;") in page
        assert versions[0].title in page and policy.title in page
        assert "Recognize autonomous" in client.get(index.url).content.decode()
        on_policy = client.get(policy.url).content.decode()
        assert "Positions on this policy" in on_policy
        assert "Recognize autonomous" in on_policy

    def test_an_editor_cannot_publish(self, client, index, policy, coalition):
        editor = editor_of(coalition, "editor")
        client.force_login(editor)

        client.post(add_url(index), position_form(coalition, policy, **{"action-publish": "1"}))
        position = PositionPage.objects.get()
        assert not position.live
        assert not position.permissions_for_user(editor).can_publish()

        edit = reverse("wagtailadmin_pages:edit", args=(position.pk,))
        client.post(edit, position_form(coalition, policy, **{"action-publish": "1"}))
        position.refresh_from_db()
        assert not position.live
        assert client.get(position.url).status_code == 404

    def test_a_moderator_may_publish(self, client, index, policy, coalition, moderator):
        client.force_login(moderator)

        client.post(add_url(index), position_form(coalition, policy, **{"action-publish": "1"}))

        assert PositionPage.objects.get().live


class TestWhoWrites:
    def test_anonymous_visitors_are_sent_to_log_in(self, client, index, policy, coalition):
        position = add_position(index, coalition, policy)

        for url in (
            add_url(index),
            reverse("wagtailadmin_pages:edit", args=(position.pk,)),
            reverse("wagtailadmin_pages:delete", args=(position.pk,)),
        ):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/admin/login/")

    def test_someone_who_edits_no_organization_may_not_add_positions(self, client, index):
        user = UserFactory(username="nobody")
        user.groups.add(Group.objects.get(name="Editors"))
        client.force_login(user)

        assert_refused(client.get(add_url(index)))

    def test_an_editor_may_not_choose_an_organization_they_do_not_edit(
        self, client, index, policy, coalition, other_organization
    ):
        client.force_login(editor_of(coalition, "editor"))

        response = client.post(
            add_url(index), position_form(other_organization, policy, **{"action-submit": "1"})
        )

        assert response.status_code == 200
        assert "organization" in response.context["form"].errors
        assert "only for an organization you edit" in str(response.context["form"].errors)
        assert not PositionPage.objects.exists()

    def test_a_moderator_may_choose_any_organization(
        self, client, index, policy, other_organization, moderator
    ):
        client.force_login(moderator)

        client.post(add_url(index), position_form(other_organization, policy))

        assert PositionPage.objects.get().organization == other_organization

    def test_a_version_of_another_policy_is_refused(
        self, client, index, home_page, policy, coalition
    ):
        other_policy = PolicyPage(title="Another policy", slug="another-policy")
        policy.get_parent().add_child(instance=other_policy)
        other_policy.save_revision().publish()
        their_version = PolicyVersionPage(
            title="Their version",
            slug="their-version",
            number=1,
            status="released",
            release_date=datetime.date(2000, 1, 1),
            live=False,
        )
        other_policy.add_child(instance=their_version)
        their_version.save_revision().publish()
        client.force_login(editor_of(coalition, "editor"))

        response = client.post(add_url(index), position_form(coalition, policy, their_version))

        assert response.status_code == 200
        assert "another policy" in str(response.context["form"].errors["version"])
        assert not PositionPage.objects.exists()

    def test_an_internal_version_cannot_be_answered(
        self, client, index, policy, versions, coalition
    ):
        client.force_login(editor_of(coalition, "editor"))

        response = client.post(add_url(index), position_form(coalition, policy, versions[2]))

        assert "version" in response.context["form"].errors
        assert not PositionPage.objects.exists()


class TestEditingAndDeleting:
    def test_editors_of_the_organization_edit_and_delete_its_draft(
        self, client, index, policy, coalition
    ):
        author = editor_of(coalition, "author")
        colleague = editor_of(coalition, "colleague")
        position = add_position(index, coalition, policy, owner=author)
        position.save()
        client.force_login(colleague)
        edit = reverse("wagtailadmin_pages:edit", args=(position.pk,))

        assert client.get(edit).status_code == 200
        response = client.post(edit, position_form(coalition, policy, title="Amended position"))
        assert response.status_code == 302
        position.refresh_from_db()
        assert position.get_latest_revision_as_object().title == "Amended position"

        response = client.post(reverse("wagtailadmin_pages:delete", args=(position.pk,)))
        assert response.status_code == 302
        assert not PositionPage.objects.exists()

    @pytest.mark.parametrize("also_in_wagtails_editors", [False, True])
    def test_an_editor_of_another_organization_may_not_edit_or_delete(
        self, client, index, policy, coalition, other_organization, also_in_wagtails_editors
    ):
        position = add_position(index, coalition, policy, title="Their position")
        outsider = editor_of(other_organization, "outsider")
        if also_in_wagtails_editors:  # "change" on the whole tree is not a voice either
            outsider.groups.add(Group.objects.get(name="Editors"))
        client.force_login(outsider)
        edit = reverse("wagtailadmin_pages:edit", args=(position.pk,))
        delete = reverse("wagtailadmin_pages:delete", args=(position.pk,))

        assert_refused(client.get(edit))
        assert_refused(client.post(edit, position_form(other_organization, policy, title="Ours")))
        assert_refused(client.get(delete))
        assert_refused(client.post(delete))
        assert_refused(client.get(reverse("wagtailadmin_pages:view_draft", args=(position.pk,))))
        position.refresh_from_db()
        assert position.get_latest_revision_as_object().title == "Their position"

    def test_the_author_loses_the_position_with_the_organization(
        self, client, index, policy, coalition, other_organization
    ):
        author = editor_of(coalition, "author")
        grant_editor(author, other_organization)
        position = add_position(index, coalition, policy, owner=author)
        position.save()
        revoke_editor(author, coalition)
        client.force_login(author)

        assert_refused(client.get(reverse("wagtailadmin_pages:edit", args=(position.pk,))))
        assert_refused(client.post(reverse("wagtailadmin_pages:delete", args=(position.pk,))))
        assert PositionPage.objects.filter(pk=position.pk).exists()

    def test_a_published_position_is_deleted_only_by_a_moderator(
        self, client, index, policy, coalition, moderator
    ):
        editor = editor_of(coalition, "editor")
        position = add_position(index, coalition, policy)
        position.get_latest_revision().publish()
        position.refresh_from_db()

        assert position.permissions_for_user(editor).can_edit()
        assert not position.permissions_for_user(editor).can_delete()
        assert position.permissions_for_user(moderator).can_delete()


class TestTheEditorsGroup:
    def test_granting_joins_the_group_and_the_last_revocation_leaves_it(self, coalition):
        user = UserFactory(username="editor")
        second = OrganizationFactory(name="Second organization")
        grant_editor(user, coalition)
        grant_editor(user, second)

        revoke_editor(user, coalition)
        assert user.groups.filter(name=ORGANIZATION_EDITORS_GROUP).exists()
        revoke_editor(user, second)
        assert not user.groups.filter(name=ORGANIZATION_EDITORS_GROUP).exists()

    def test_a_positions_index_added_anywhere_gets_the_groups_permission(self, home_page):
        page = PositionIndexPage(title="Positions", slug="positions")
        home_page.add_child(instance=page)

        group = Group.objects.get(name=ORGANIZATION_EDITORS_GROUP)
        assert list(
            group.page_permissions.filter(page=page).values_list("permission__codename", flat=True)
        ) == ["add_page"]


class TestPublicPages:
    def test_drafts_and_positions_in_moderation_stay_hidden(self, client, index, policy, coalition):
        draft = add_position(index, coalition, policy, title="A draft position")
        pending = add_position(index, coalition, policy, title="A pending position", slug="p")
        pending.get_workflow().start(pending, None)
        published = add_position(index, coalition, policy, title="A public position", slug="q")
        published.get_latest_revision().publish()
        # A live position with changes waiting for a moderator shows its published text.
        published.title = "Changed but not approved"
        published.save_revision()

        for url in (index.url, policy.url):
            body = client.get(url).content.decode()
            assert "A public position" in body
            assert "A draft position" not in body and "A pending position" not in body
            assert "Changed but not approved" not in body
        assert client.get(draft.url).status_code == 404
        assert client.get(pending.url).status_code == 404
        assert client.get(published.url).status_code == 200
        assert list(policy.public_positions()) == [published]


def test_the_demo_positions_load(client):
    home = ensure_site()
    load_organizations()
    policy = load_policy_story(home)
    organizations = {o.name: o for o in Organization.objects.all()}

    index = load_positions(home, policy, organizations)

    published, pending = PositionPage.objects.child_of(index).order_by("stated_on")
    assert published.live and published.version.number == 1
    assert published.organization.name == "Comité aviseur de l'action communautaire autonome"
    assert published.co_signatures.count() == 2
    assert [o.name for o in published.confirmed_co_signers()] == [
        "Coalition des tables régionales d'organismes communautaires"
    ]
    assert not pending.live and pending.workflow_in_progress
    french = published.get_translation(Locale.objects.get(language_code="fr"))
    assert french.live
    # Confirmed co-signers show in every language; the pending request in none.
    for page in (published, french):
        body = client.get(page.url).content.decode()
        assert "Coalition des tables" in body and "centres de femmes" not in body
    assert published.title in client.get(policy.url).content.decode()
    assert pending.title not in client.get(policy.url).content.decode()
    french_title = "Reconnaître l&#x27;action communautaire autonome"
    # The English slugs under /fr/ lead to the French pages (French slugs, decision 011).
    assert french_title in client.get("/fr" + policy.url, follow=True).content.decode()
    assert french_title in client.get("/fr" + index.url, follow=True).content.decode()
    french_page = client.get("/fr" + published.url, follow=True).content.decode()
    assert "Politique de reconnaissance et de soutien" in french_page
    assert "Première version (1999)" in french_page
    assert client.get(pending.url).status_code == 404


def test_positions_search_documents_read_their_co_signers_in_constant_queries(
    position_index, home_page
):
    """Building the documents of a chunk of positions reads their confirmed co-signers
    in one query, not one per position (a rebuild reads thousands)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from consultations.services.cosigning import answer_co_signature, name_position_co_signers
    from search.registry import registry

    policy = publish_policy_version(home_page, "Version", "Text.").get_parent().specific
    admin = UserFactory(username="admin-co-signing", is_superuser=True)
    searchable = registry.get("position")

    def add_positions(count: int) -> None:
        for _ in range(count):
            author = OrganizationFactory()
            page = position_index.add_child(
                instance=PositionPage(
                    title=f"Position of {author.name}",
                    organization=author,
                    policy=policy,
                    stated_on=datetime.date(1999, 9, 1),
                    body="<p>Our position.</p>",
                )
            )
            name_position_co_signers(page, [OrganizationFactory()], admin)
            answer_co_signature(page.co_signatures.get(), admin, confirm=True)

    def build() -> tuple[int, list[str]]:
        with CaptureQueriesContext(connection) as captured:
            positions = list(searchable.get_queryset())
            searchable.prepare(positions)
            bodies = [searchable.body(position) for position in positions]
        return len(captured.captured_queries), bodies

    add_positions(1)
    one, _bodies = build()
    add_positions(3)
    four, bodies = build()

    assert four == one
    co_signers = [
        co_signature.organization.name
        for co_signature in PositionCoSignature.objects.select_related("organization")
    ]
    assert len(co_signers) == len(bodies) == 4
    assert all(any(name in body for body in bodies) for name in co_signers)
