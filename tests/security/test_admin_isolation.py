"""Drafts and moderation stay with their organization: an organization's editors find
their own positions in draft and in moderation on every screen of the admin, a moderator
finds every organization's, and another organization's editor finds none of them — not
the title, not the state, not the dates — in listings, searches, reports, the admin API,
the page chooser, or on the screens about one page (refused, as any page one may not
edit is)."""

import json
import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import rich_text

from consultations.models import PositionPage
from organizations.permissions import grant_editor, revoke_editor
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version

pytestmark = pytest.mark.django_db

SECRET = "Zephyrine"  # in every title the outsider must never see
PENDING = f"{SECRET} pending position"
DRAFT = f"{SECRET} draft position"
CHANGE = f"{SECRET} unapproved change"
PUBLISHED = "Published position on autonomy"


def editor_of(organization, username: str):
    user = UserFactory(username=username)
    grant_editor(user, organization)
    return user


def position_form(organization, policy, title: str, **extra) -> dict:
    return {
        "title": title,
        "slug": title.lower().replace(" ", "-"),
        "organization": organization.pk,
        "stated_on": "2000-03-01",
        "policy": policy.pk,
        "version": "",
        "body": rich_text(f"<p>{title}.</p>"),
        **extra,
    }


@pytest.fixture
def index(position_index):
    return position_index


@pytest.fixture
def policy(home_page):
    return publish_policy_version(home_page, "First version", "All non-profits.").get_parent()


@pytest.fixture
def coalition():
    return OrganizationFactory(name="Coalition")


@pytest.fixture
def author(coalition):
    return editor_of(coalition, "author")


@pytest.fixture
def colleague(coalition):
    return editor_of(coalition, "colleague")


@pytest.fixture
def outsider():
    return editor_of(OrganizationFactory(name="Another organization"), "outsider")


@pytest.fixture
def moderator():
    user = UserFactory(username="moderator")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def positions(client, index, policy, coalition, author, moderator):
    """The coalition's work in progress, written through the admin as its editors do: a
    position in moderation, a draft, and a published position whose change waits for a
    moderator."""
    add = reverse("wagtailadmin_pages:add", args=("consultations", "positionpage", index.pk))
    client.force_login(author)
    client.post(add, position_form(coalition, policy, PENDING, **{"action-submit": "1"}))
    client.post(add, position_form(coalition, policy, DRAFT))
    client.post(add, position_form(coalition, policy, PUBLISHED, **{"action-submit": "1"}))
    published = PositionPage.objects.get(title=PUBLISHED)
    client.force_login(moderator)
    task_state = published.current_workflow_task_state
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action", args=(published.pk, "approve", task_state.pk)
        ),
        {"comment": ""},
    )
    client.force_login(author)
    edit = reverse("wagtailadmin_pages:edit", args=(published.pk,))
    client.post(
        edit, position_form(coalition, policy, CHANGE, slug="published", **{"action-submit": "1"})
    )
    client.logout()
    pending = PositionPage.objects.get(title=PENDING)
    draft = PositionPage.objects.get(title=DRAFT)
    published.refresh_from_db()
    assert pending.workflow_in_progress and not pending.live
    assert not draft.live and not draft.workflow_in_progress
    assert published.live and published.workflow_in_progress
    return {"pending": pending, "draft": draft, "published": published}


def body_for(client, user, url: str, **params) -> str:
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def assert_sees_none(body: str) -> None:
    """Nothing of the coalition's positions: neither a title of its work in progress nor,
    since their disappearance would tell when a change is pending, its published one."""
    assert SECRET not in body
    assert PUBLISHED not in body


# --- listings -------------------------------------------------------------------------

EVERY_TITLE = (PENDING, DRAFT, CHANGE)
NEVER_PUBLISHED = (PENDING, DRAFT)  # a search finds a live page by its published title
IN_MODERATION = (PENDING, CHANGE)


def explorer(index):
    return reverse("wagtailadmin_explore", args=(index.pk,))


# screen: (its URL, its query, the titles the coalition's editors and a moderator see)
LISTINGS = {
    "explorer": (explorer, {}, EVERY_TITLE),
    "explorer search": (explorer, {"q": "position"}, NEVER_PUBLISHED),
    "explorer filter": (explorer, {"has_child_pages": "false", "search_all": "1"}, EVERY_TITLE),
    "admin search": (
        lambda index: reverse("wagtailadmin_pages:search"),
        {"q": "position"},
        NEVER_PUBLISHED,
    ),
    "pages of a type": (
        lambda index: reverse(
            "wagtailadmin_pages:type_use", args=("consultations", "positionpage")
        ),
        {},
        EVERY_TITLE,
    ),
    "site history": (
        lambda index: reverse("wagtailadmin_reports:site_history"),
        {},
        NEVER_PUBLISHED,  # an entry is labelled with the live title
    ),
    "workflows report": (
        lambda index: reverse("wagtailadmin_reports:workflow"),
        {},
        IN_MODERATION,
    ),
    "workflow tasks report": (
        lambda index: reverse("wagtailadmin_reports:workflow_tasks"),
        {},
        IN_MODERATION,
    ),
    "chooser": (
        lambda index: reverse("wagtailadmin_choose_page_child", args=(index.pk,)),
        {},
        EVERY_TITLE,
    ),
    "chooser search": (
        lambda index: reverse("wagtailadmin_choose_page_search"),
        {"q": "position", "page_type": "consultations.positionpage"},
        NEVER_PUBLISHED,
    ),
}


@pytest.mark.parametrize("screen", LISTINGS)
class TestListings:
    def test_the_organizations_editors_see_their_work_in_progress(
        self, client, index, positions, colleague, screen
    ):
        url, params, titles = LISTINGS[screen]

        body = body_for(client, colleague, url(index), **params)

        assert all(title in body for title in titles)

    def test_a_moderator_sees_every_organizations(
        self, client, index, positions, moderator, screen
    ):
        url, params, titles = LISTINGS[screen]

        body = body_for(client, moderator, url(index), **params)

        assert all(title in body for title in titles)

    def test_another_organizations_editor_sees_none(
        self, client, index, positions, outsider, screen
    ):
        url, params, _titles = LISTINGS[screen]

        assert_sees_none(body_for(client, outsider, url(index), **params))


class TestThePageTypesReport:
    url = "wagtailadmin_reports:page_types_usage"

    def test_the_last_edited_position_is_shown_to_its_organization(
        self, client, positions, colleague
    ):
        assert CHANGE in body_for(client, colleague, reverse(self.url))

    def test_another_organizations_editor_sees_neither_title_nor_count(
        self, client, positions, outsider
    ):
        body = body_for(client, outsider, reverse(self.url))

        assert_sees_none(body)
        client.force_login(outsider)
        response = client.get(reverse(self.url))
        row = next(r for r in response.context["object_list"] if r.model == "positionpage")
        assert row.count == 0 and row.last_edited_page is None


class TestTheAdminApi:
    def listing(self, client, user, index) -> list[dict]:
        client.force_login(user)
        url = reverse("wagtailadmin_api:pages:listing")
        response = client.get(url, {"child_of": index.pk})
        assert response.status_code == 200
        return json.loads(response.content)["items"]

    def test_the_organizations_editors_and_moderators_list_them(
        self, client, index, positions, colleague, moderator
    ):
        for user in (colleague, moderator):
            titles = {item["admin_display_title"] for item in self.listing(client, user, index)}
            assert {PENDING, DRAFT, CHANGE} <= titles

    def test_another_organizations_editor_lists_none_and_gets_404(
        self, client, index, positions, outsider
    ):
        assert self.listing(client, outsider, index) == []
        for position in positions.values():
            detail = reverse("wagtailadmin_api:pages:detail", args=(position.pk,))
            assert client.get(detail).status_code == 404


# --- the screens of one page ------------------------------------------------------------


def page_urls(position: Page) -> dict[str, str]:
    revision = position.latest_revision
    task_state = position.current_workflow_task_state
    urls = {
        "explore": reverse("wagtailadmin_explore", args=(position.pk,)),
        "history": reverse("wagtailadmin_pages:history", args=(position.pk,)),
        "history results": reverse("wagtailadmin_pages:history_results", args=(position.pk,)),
        "workflow history": reverse("wagtailadmin_pages:workflow_history", args=(position.pk,)),
        "usage": reverse("wagtailadmin_pages:usage", args=(position.pk,)),
        "view draft": reverse("wagtailadmin_pages:view_draft", args=(position.pk,)),
        "revision": reverse("wagtailadmin_pages:revisions_view", args=(position.pk, revision.pk)),
        "compare": reverse(
            "wagtailadmin_pages:revisions_compare", args=(position.pk, "earliest", "latest")
        ),
        "chooser parent": reverse("wagtailadmin_choose_page_child", args=(position.pk,)),
        "chosen": reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={position.pk}",
        "confirm cancellation": reverse(
            "wagtailadmin_pages:confirm_workflow_cancellation", args=(position.pk,)
        ),
    }
    if task_state is not None:
        urls["workflow action"] = reverse(
            "wagtailadmin_pages:workflow_action", args=(position.pk, "approve", task_state.pk)
        )
        urls["workflow preview"] = reverse(
            "wagtailadmin_pages:workflow_preview", args=(position.pk, task_state.task_id)
        )
        urls["workflow history detail"] = reverse(
            "wagtailadmin_pages:workflow_history_detail",
            args=(position.pk, position.current_workflow_state.pk),
        )
    return urls


OWN_SCREENS = ("explore", "history", "workflow history", "usage", "view draft", "compare")


class TestTheScreensOfOnePage:
    def test_the_organizations_editors_open_them(self, client, positions, colleague):
        client.force_login(colleague)
        for name, position in positions.items():
            urls = page_urls(position)
            for screen in OWN_SCREENS:
                response = client.get(urls[screen])
                assert response.status_code == 200, (name, screen)

    def test_a_moderator_opens_them(self, client, positions, moderator):
        client.force_login(moderator)
        pending = positions["pending"]
        for screen, url in page_urls(pending).items():
            if screen in ("chooser parent", "chosen"):
                continue
            assert client.get(url).status_code == 200, screen

    @pytest.mark.parametrize("name", ["pending", "draft", "published"])
    def test_another_organizations_editor_is_refused(self, client, positions, outsider, name):
        client.force_login(outsider)
        position = positions[name]
        for screen, url in page_urls(position).items():
            response = client.get(url)
            assert_refused(response, screen)
        assert_refused(client.post(page_urls(position)["explore"]), "explore")


def assert_refused(response, screen: str) -> None:
    """Wagtail's refusal — a redirect to the dashboard, or 403 to a script — says nothing
    of the page; and the dashboard it leads to shows nothing of it either."""
    assert (response.status_code, response.get("Location")) in ((302, "/admin/"), (403, None)), (
        screen,
        response.status_code,
    )
    assert SECRET not in response.content.decode(), screen


class TestBulkActions:
    """Wagtail's page bulk actions list the chosen pages the user may not act on by title;
    hidden positions are left out, whether chosen by id or as "all" under the index."""

    def url(self, action: str, index, ids: list) -> str:
        query = urlencode([*(("id", pk) for pk in ids), ("childOf", index.pk)])
        return reverse("wagtail_bulk_action", args=("wagtailcore", "page", action)) + "?" + query

    def test_the_organizations_editors_see_the_pages_they_chose(
        self, client, index, positions, colleague
    ):
        ids = [positions["pending"].pk, positions["draft"].pk]

        body = body_for(client, colleague, self.url("delete", index, ids))

        assert PENDING in body and DRAFT in body

    @pytest.mark.parametrize("action", ["delete", "move", "publish", "unpublish"])
    def test_another_organizations_editor_sees_none(
        self, client, index, positions, outsider, action
    ):
        chosen = [position.pk for position in positions.values()]
        for ids in (chosen, ["all"]):
            assert_sees_none(body_for(client, outsider, self.url(action, index, ids)))
        assert PositionPage.objects.filter(pk__in=chosen).count() == 3


class TestTheDashboard:
    """The dashboard's count of pages grew with every draft another organization started."""

    def page_count(self, body: str) -> int:
        return int(re.search(r"(\d+) Pages? <span", body).group(1))

    def test_the_organizations_editors_and_a_moderator_count_every_position(
        self, client, positions, colleague, moderator
    ):
        home = reverse("wagtailadmin_home")

        assert self.page_count(body_for(client, colleague, home)) == 4  # the index, three
        assert self.page_count(body_for(client, moderator, home)) == Page.objects.count() - 1

    def test_another_organizations_editor_counts_none_and_reads_none(
        self, client, positions, outsider
    ):
        body = body_for(client, outsider, reverse("wagtailadmin_home"))

        assert self.page_count(body) == 1  # the positions index
        assert_sees_none(body)

    def test_the_author_finds_their_work_in_progress_on_it(self, client, positions, author):
        body = body_for(client, author, reverse("wagtailadmin_home"))

        assert PENDING in body and CHANGE in body  # in moderation; recently edited

    def test_an_author_who_left_the_organization_finds_none_of_it(
        self, client, positions, author, coalition
    ):
        """Their panels of their own work (submitted, edited, locked) kept showing the
        organization's positions with their current titles and states."""
        grant_editor(author, OrganizationFactory(name="Their new organization"))
        revoke_editor(author, coalition)

        assert_sees_none(body_for(client, author, reverse("wagtailadmin_home")))
