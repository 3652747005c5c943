"""Co-signatures need consent: naming an organization as co-signer of a brief or a
position only asks it. Until one of its editors confirms, nothing public names it — the
round page, the position page (its preview and published revisions included), search
hits, the organization facet counted by the real Elasticsearch, the search API, the
export and the organization's profile; a declined request never does. Only the named
organization's editors answer: the editors of a third organization, the record's own
editors and staff with the model-wide permission are refused. PostgreSQL and the real
Elasticsearch."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page

from consultations.cosigning_admin import ANSWER_URL_NAME, LIST_URL_NAME
from consultations.models import CoSignatureState, PositionPage, Submission
from consultations.services.cosigning import name_brief_co_signers
from consultations.services.rounds import change_round_state, submit_brief
from search import engine
from search.index import alias_name, refresh
from tests.consultations.test_positions import add_url, approve, position_form
from tests.consultations.test_rounds import add_round
from tests.cosigning import editor_of
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]

NAMED = "Zinnia food bank"
NAMED_SLUG = "zinnia-food-bank"
DURING_THE_ROUND = datetime.date(2000, 5, 15)
BRIEF = "Fund the tenants"
POSITION = "Recognize autonomous community action"


@pytest.fixture
def people(db):
    author = OrganizationFactory(name="Tenants' coalition", slug="tenants-coalition")
    named = OrganizationFactory(name=NAMED, slug=NAMED_SLUG)
    third = OrganizationFactory(name="Third party group", slug="third-party-group")
    staff = UserFactory(username="secretariat")
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(codename="change_organization"),
    )
    return SimpleNamespace(
        author=author,
        named=named,
        author_editor=editor_of(author, "author-editor"),
        named_editor=editor_of(named, "named-editor"),
        third_editor=editor_of(third, "third-editor"),
        staff=staff,
    )


@pytest.fixture
def round_page(home_page, archive_index, index_on_commit):
    with index_on_commit():
        version = publish_policy_version(home_page, "Consultation document", "Some text.")
        page = add_round(
            version.get_parent().specific,
            version=version,
            opens_on=datetime.date(2000, 5, 1),
            closes_on=datetime.date(2000, 6, 30),
        )
        change_round_state(page, "open")
    return page


@pytest.fixture
def brief(round_page, people, index_on_commit) -> Submission:
    """A brief published with its author's name, its author's editor naming the food bank
    as co-signer; the round has closed, so the brief is public."""
    with index_on_commit():
        submission = submit_brief(
            round_page,
            people.author,
            people.author_editor,
            title="Fund the tenants' committees",
            summary="Core funding for tenants' committees.",
            co_signers=[people.named],
            today=DURING_THE_ROUND,
        )
        change_round_state(round_page, "closed")
    return submission


def answer_url(kind: str, co_signature, decision: str) -> str:
    return reverse(ANSWER_URL_NAME, args=(kind, co_signature.pk, decision))


def answer(client, user, kind: str, co_signature, decision: str, index_on_commit):
    client.force_login(user)
    with index_on_commit():
        response = client.post(answer_url(kind, co_signature, decision))
    client.logout()
    return response


def stored(kind: str, pk) -> dict:
    refresh()
    return engine.get_client().get(index=alias_name(), id=f"{kind}:{pk}")["_source"]


def organization_count(client, kind: str) -> int:
    """The food bank's bucket in the organization facet, as the real engine counts it
    for the public."""
    body = client.get("/api/search/", {"kind": kind, "facet": "organization"}).json()
    buckets = {bucket["value"]: bucket["count"] for bucket in body["facets"]["organization"]}
    return buckets.get(NAMED_SLUG, 0)


def public_view(client, kind: str, record_pk, page_url: str, title: str) -> dict:
    """Everything public that could name the food bank beside the record (`title`, a
    part of its title, shows whether the search page found it by the food bank's name)."""
    client.logout()
    document = stored(kind, record_pk)
    api = client.get("/api/search/", {"q": "Zinnia", "kind": kind}).json()
    filtered = client.get("/api/search/", {"organization": NAMED_SLUG, "kind": kind}).json()
    export = client.get("/api/search/export.csv", {"organization": NAMED_SLUG, "kind": kind})
    return {
        "page": NAMED in client.get(page_url).content.decode(),
        "search page": title in client.get("/search/", {"q": "Zinnia", "kind": kind}).text,
        "document body": NAMED in document["body"],
        "document facet": NAMED_SLUG in document["organization"],
        "facet count": organization_count(client, kind),
        "api hits": api["total"],
        "api filter": filtered["total"],
        "export": f"{kind},{record_pk}," in b"".join(export.streaming_content).decode(),
    }


NOWHERE = {
    "page": False,
    "search page": False,
    "document body": False,
    "document facet": False,
    "facet count": 0,
    "api hits": 0,
    "api filter": 0,
    "export": False,
}
EVERYWHERE = {
    "page": True,
    "search page": True,
    "document body": True,
    "document facet": True,
    "facet count": 1,
    "api hits": 1,
    "api filter": 1,
    "export": True,
}


class TestBriefs:
    def test_a_named_organization_appears_nowhere_until_one_of_its_editors_confirms(
        self, client, round_page, brief, people, index_on_commit
    ):
        assert public_view(client, "submission", brief.pk, round_page.url, BRIEF) == NOWHERE
        profile = client.get(people.named.get_absolute_url()).content.decode()
        assert BRIEF not in profile

        co_signature = brief.co_signatures.get()
        response = answer(
            client, people.named_editor, "brief", co_signature, "confirm", index_on_commit
        )

        assert response.status_code == 302
        co_signature.refresh_from_db()
        assert co_signature.state == CoSignatureState.CONFIRMED
        assert co_signature.decided_by == people.named_editor
        assert public_view(client, "submission", brief.pk, round_page.url, BRIEF) == EVERYWHERE

    def test_a_declined_organization_never_appears_and_is_not_asked_again(
        self, client, round_page, brief, people, index_on_commit
    ):
        co_signature = brief.co_signatures.get()
        answer(client, people.named_editor, "brief", co_signature, "decline", index_on_commit)

        co_signature.refresh_from_db()
        assert co_signature.state == CoSignatureState.DECLINED
        assert public_view(client, "submission", brief.pk, round_page.url, BRIEF) == NOWHERE
        # A decline is final: it cannot be confirmed afterwards, nor asked again.
        answer(client, people.named_editor, "brief", co_signature, "confirm", index_on_commit)
        co_signature.refresh_from_db()
        assert co_signature.state == CoSignatureState.DECLINED
        with pytest.raises(ValidationError) as refused:
            name_brief_co_signers(brief, [people.named], people.author_editor)
        assert "co_signers" in refused.value.message_dict

    def test_a_withdrawn_confirmation_leaves_every_public_output(
        self, client, round_page, brief, people, index_on_commit
    ):
        co_signature = brief.co_signatures.get()
        answer(client, people.named_editor, "brief", co_signature, "confirm", index_on_commit)
        answer(client, people.named_editor, "brief", co_signature, "decline", index_on_commit)

        assert public_view(client, "submission", brief.pk, round_page.url, BRIEF) == NOWHERE

    def test_only_the_named_organizations_editors_may_answer(
        self, client, brief, people, index_on_commit
    ):
        """Allowed: the named organization's editor sees the request on the screen.
        Refused (404, as if it did not exist): an editor of a third organization, the
        brief's own editor and staff holding the model-wide permission."""
        co_signature = brief.co_signatures.get()
        client.force_login(people.named_editor)
        screen = client.get(reverse(LIST_URL_NAME)).content.decode()
        assert BRIEF in screen
        assert answer_url("brief", co_signature, "confirm") in screen

        for intruder in (people.third_editor, people.author_editor, people.staff):
            client.force_login(intruder)
            screen = client.get(reverse(LIST_URL_NAME))
            assert BRIEF not in screen.content.decode()
            for decision in ("confirm", "decline"):
                with index_on_commit():
                    response = client.post(answer_url("brief", co_signature, decision))
                assert response.status_code == 404, intruder
        client.logout()
        response = client.post(answer_url("brief", co_signature, "confirm"))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        co_signature.refresh_from_db()
        assert co_signature.state == CoSignatureState.REQUESTED

    def test_a_get_never_answers(self, client, brief, people):
        co_signature = brief.co_signatures.get()
        client.force_login(people.named_editor)

        assert client.get(answer_url("brief", co_signature, "confirm")).status_code == 405
        co_signature.refresh_from_db()
        assert co_signature.state == CoSignatureState.REQUESTED

    def test_only_the_authors_editors_see_the_pending_request_on_the_round_page(
        self, client, round_page, brief, people
    ):
        client.force_login(people.author_editor)
        assert f"{NAMED} — Awaiting confirmation" in client.get(round_page.url).content.decode()

        for visitor in (people.third_editor, people.named_editor, None):
            client.logout()
            if visitor is not None:
                client.force_login(visitor)
            assert NAMED not in client.get(round_page.url).content.decode()


@pytest.fixture
def positions(position_index):
    return position_index


@pytest.fixture
def moderator(db):
    from django.contrib.auth.models import Group

    user = UserFactory(username="moderator")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def position(client, positions, round_page, people, moderator, index_on_commit) -> PositionPage:
    """A position its organization's editor wrote in the admin naming the food bank as
    co-signer, submitted, and published by a moderator."""
    policy = round_page.get_parent().specific
    client.force_login(people.author_editor)
    with index_on_commit():
        response = client.post(
            add_url(positions),
            position_form(
                people.author, policy, co_signers=[people.named.pk], **{"action-submit": "1"}
            ),
        )
        assert response.status_code == 302
        page = PositionPage.objects.get()
        approve(client, moderator, page)
    client.logout()
    page.refresh_from_db()
    assert page.live
    return page


class TestPositions:
    def test_a_named_organization_appears_nowhere_until_one_of_its_editors_confirms(
        self, client, position, people, index_on_commit
    ):
        assert public_view(client, "position", position.pk, position.url, POSITION) == NOWHERE

        co_signature = position.co_signatures.get()
        assert co_signature.requested_by == people.author_editor
        answer(client, people.named_editor, "position", co_signature, "confirm", index_on_commit)

        # No new revision, no republishing: the consent alone makes it public.
        assert public_view(client, "position", position.pk, position.url, POSITION) == EVERYWHERE

    def test_a_declined_organization_never_appears(self, client, position, people, index_on_commit):
        co_signature = position.co_signatures.get()
        answer(client, people.named_editor, "position", co_signature, "decline", index_on_commit)

        assert public_view(client, "position", position.pk, position.url, POSITION) == NOWHERE
        client.force_login(people.author_editor)
        edit = reverse("wagtailadmin_pages:edit", args=(position.pk,))
        policy = position.policy
        response = client.post(
            edit, position_form(people.author, policy, co_signers=[people.named.pk])
        )
        assert response.status_code == 200
        assert "declined to co-sign" in response.content.decode()

    def test_a_preview_or_a_published_revision_never_names_an_unconfirmed_co_signer(
        self, client, position, people, moderator, index_on_commit
    ):
        """The editor names a further co-signer in a new draft; neither its preview nor
        the revision a moderator publishes names it."""
        further = OrganizationFactory(name="Yarrow housing group", slug="yarrow")
        edit_data = position_form(
            people.author, position.policy, co_signers=[people.named.pk, further.pk]
        )
        client.force_login(people.author_editor)
        preview = reverse("wagtailadmin_pages:preview_on_edit", args=(position.pk,))
        assert client.post(preview, edit_data).json()["is_valid"]
        rendered = client.get(preview).content.decode()
        assert "Recognize autonomous community action" in rendered
        assert "Yarrow" not in rendered and NAMED not in rendered

        edit = reverse("wagtailadmin_pages:edit", args=(position.pk,))
        assert client.post(edit, edit_data).status_code == 302
        assert set(position.co_signatures.values_list("organization__slug", "state")) == {
            (NAMED_SLUG, "requested"),
            ("yarrow", "requested"),
        }
        client.force_login(moderator)
        with index_on_commit():
            response = client.post(edit, {**edit_data, "action-publish": "1"})
        assert response.status_code == 302
        assert Page.objects.get(pk=position.pk).specific.has_unpublished_changes is False
        client.logout()

        page = client.get(position.url).content.decode()
        assert "Yarrow" not in page and NAMED not in page
        document = stored("position", position.pk)
        assert document["organization"] == [people.author.slug]

    def test_only_the_named_organizations_editors_may_answer(
        self, client, position, people, index_on_commit
    ):
        co_signature = position.co_signatures.get()
        for intruder in (people.third_editor, people.author_editor, people.staff):
            client.force_login(intruder)
            with index_on_commit():
                response = client.post(answer_url("position", co_signature, "confirm"))
            assert response.status_code == 404
        co_signature.refresh_from_db()
        assert co_signature.state == CoSignatureState.REQUESTED

        client.force_login(people.named_editor)
        screen = client.get(reverse(LIST_URL_NAME)).content.decode()
        assert "Recognize autonomous community action" in screen
