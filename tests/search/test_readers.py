"""Restricted records are found only by those who may read them, for every kind of
record: the index stores who may read each restricted document (reader tokens) and the
query keeps what the visitor's own tokens allow. Hits, facet counts, the API, the export,
"more like this" and the database fallback all follow the one rule. Real engines."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from wagtail.models import PageViewRestriction

from consultations.models import PositionIndexPage, PositionPage, ResponsePoint
from consultations.permissions.stewardship import grant_steward
from consultations.services.rounds import change_round_state
from organizations.permissions import grant_editor
from search import engine
from search.index import alias_name, refresh
from search.readers import principals
from search.registry import registry
from tests.factories import (
    ForumFactory,
    OrganizationFactory,
    ProgrammeFactory,
    UserFactory,
    publish_policy_version,
)

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]


def signed_in(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def titles(client, user, text: str, **params) -> list[str]:
    body = signed_in(client, user).get("/api/search/", {"q": text, **params}).json()
    return [result["title"] for result in body["results"]]


def stored(kind: str, pk) -> dict:
    refresh()
    document_id = registry.get(kind).document_id(pk)
    return engine.get_client().get(index=alias_name(), id=document_id)["_source"]


@pytest.fixture
def unpublished_brief(consultation, brief, index_on_commit):
    """A brief sent to an open round: its editors and the round's stewards read it on
    the round's page; nobody else does until the round publishes briefs."""
    with index_on_commit():
        return brief("Unpublished brief", "Our draft on autonomy of community action.")


@pytest.fixture
def people(consultation, unpublished_brief):
    round_steward = UserFactory(username="round-steward")
    grant_steward(round_steward, consultation)
    policy_steward = UserFactory(username="policy-steward")
    grant_steward(policy_steward, consultation.get_parent())
    other_editor = UserFactory(username="other-editor")
    grant_editor(other_editor, OrganizationFactory(name="Another organization"))
    return {
        "editor": User.objects.get(username=f"editor-{unpublished_brief.organization.slug}"),
        "round steward": round_steward,
        "policy steward": policy_steward,
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
        "other editor": other_editor,
        "signed in": UserFactory(username="anyone"),
        "anonymous": None,
    }


def test_each_role_has_the_tokens_of_its_grants(consultation, unpublished_brief, people):
    organization = unpublished_brief.organization

    assert principals(people["editor"])[:2] == ("login", f"user:{people['editor'].pk}")
    assert f"org:{organization.pk}" in principals(people["editor"])
    assert f"round:{consultation.pk}" in principals(people["round steward"])
    assert f"policy:{consultation.get_parent().pk}" in principals(people["policy steward"])
    assert f"org:{organization.pk}" not in principals(people["other editor"])
    assert "superuser" in principals(people["superuser"])
    # A superuser carries no per-record token: every restricted document names them.
    assert not any(t.startswith("org:") for t in principals(people["superuser"]))
    assert principals(people["anonymous"]) == ()
    people["editor"].is_active = False
    assert principals(people["editor"]) == ()


@pytest.mark.parametrize(
    ("role", "finds"),
    [
        ("editor", True),
        ("round steward", True),
        ("policy steward", True),
        ("superuser", True),
        ("other editor", False),
        ("signed in", False),
        ("anonymous", False),
    ],
)
def test_an_unpublished_brief_is_found_by_those_who_read_it_on_its_round_only(
    client, unpublished_brief, people, role, finds
):
    document = stored("submission", unpublished_brief.pk)
    assert document["visibility"] == "restricted"

    assert (titles(client, people[role], "autonomy") == ["Unpublished brief"]) is finds
    response = signed_in(client, people[role]).get("/search/", {"q": "autonomy"})
    assert ("Unpublished brief" in response.content.decode()) is finds


def test_a_restricted_result_says_it_is_not_public(client, unpublished_brief, people):
    body = signed_in(client, people["editor"]).get("/api/search/", {"q": "autonomy"}).json()
    assert [result["restricted"] for result in body["results"]] == [True]
    page = signed_in(client, people["editor"]).get("/search/", {"q": "autonomy"})
    assert "Not public" in page.content.decode()

    public = signed_in(client, None).get("/api/search/", {"q": "consultation"}).json()
    assert public["results"] and not any(r["restricted"] for r in public["results"])
    assert "Not public" not in client.get("/search/", {"q": "consultation"}).content.decode()


def test_a_withheld_brief_stays_with_its_editors_after_the_round_publishes(
    client, consultation, brief, index_on_commit
):
    with index_on_commit():
        withheld = brief("Withheld brief", "Quiet remarks on funding.", publication="withheld")
        brief("Named brief", "Open remarks on funding.")
        change_round_state(consultation, "closed")
    editor = User.objects.get(username=f"editor-{withheld.organization.slug}")
    assert editor.has_perm("organizations.change_organization", withheld.organization)

    assert titles(client, None, "remarks") == ["Named brief"]
    assert sorted(titles(client, editor, "remarks")) == ["Named brief", "Withheld brief"]


def test_facet_counts_count_only_what_the_visitor_may_read(client, unpublished_brief, people):
    def kind_counts(user) -> dict[str, int]:
        body = signed_in(client, user).get("/api/search/", {"q": "autonomy"}).json()
        return {bucket["value"]: bucket["count"] for bucket in body["facets"]["kind"]}

    assert kind_counts(people["editor"]) == {"submission": 1}
    assert kind_counts(people["other editor"]) == {}
    assert kind_counts(None) == {}


def test_the_export_holds_only_what_the_visitor_may_read(client, unpublished_brief, people):
    def exported(user) -> str:
        response = signed_in(client, user).get("/api/search/export.csv", {"q": "autonomy"})
        assert response.status_code == 200
        return b"".join(response.streaming_content).decode()

    assert "Unpublished brief" in exported(people["editor"])
    assert "Unpublished brief" not in exported(people["other editor"])
    assert "Unpublished brief" not in exported(None)


def test_more_like_this_needs_the_right_to_read_the_record(
    client, unpublished_brief, people, index_on_commit
):
    with index_on_commit():
        OrganizationFactory(
            name="Autonomy watch", summary_en="On the autonomy of community action."
        )
    like = f"submission:{unpublished_brief.pk}"

    assert "Autonomy watch" in titles(client, people["editor"], "", like=like)
    # Its words would otherwise steer the results of someone who may not read it.
    assert titles(client, people["other editor"], "", like=like) == []
    assert titles(client, None, "", like=like) == []


def test_the_database_fallback_applies_the_same_rule(client, unpublished_brief, people, settings):
    settings.ELASTICSEARCH_URL = ""

    def fallback(user) -> list[str]:
        response = signed_in(client, user).get("/search/", {"q": "autonomy"})
        assert response.context["results"].backend == "database"
        return [hit.title for hit in response.context["results"].hits]

    assert fallback(people["editor"]) == ["Unpublished brief"]
    assert fallback(people["round steward"]) == ["Unpublished brief"]
    assert fallback(people["other editor"]) == []
    assert fallback(None) == []


def test_a_private_round_and_its_response_points_are_found_by_its_group_only(
    client, consultation, index_on_commit
):
    secretariat = Group.objects.create(name="Secretariat")
    member, outsider = UserFactory(username="member"), UserFactory(username="outsider")
    member.groups.add(secretariat)
    with index_on_commit():
        ResponsePoint.objects.create(
            round=consultation, said="Fund advocacy.", response="A distinct envelope."
        )
        for state in ("closed", "report_published", "response_published"):
            change_round_state(consultation, state)
        restriction = PageViewRestriction.objects.create(
            page=consultation, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.add(secretariat)

    assert titles(client, member, "envelope") == [f"{consultation.title} — Fund advocacy."]
    assert titles(client, outsider, "envelope") == []
    assert titles(client, None, "envelope") == []

    assert stored("consultation_round", consultation.pk)["readers"] == [
        "superuser",
        f"group:{secretariat.pk}",
    ]
    assert consultation.title in titles(client, member, consultation.title)
    assert consultation.title not in titles(client, outsider, consultation.title)
    assert consultation.title not in titles(client, None, consultation.title)


def test_a_private_policy_version_and_its_sections_are_found_by_signed_in_visitors_only(
    client, home_page, archive_index, index_on_commit
):
    with index_on_commit():
        version = publish_policy_version(home_page, "Working version", "A working text.")
        PageViewRestriction.objects.create(page=version, restriction_type=PageViewRestriction.LOGIN)

    member = UserFactory(username="member")
    assert sorted(titles(client, member, "working")) == [
        "Working version",
        "Working version — Scope",
    ]
    assert titles(client, None, "working") == []


def test_a_signed_in_only_position_is_found_by_signed_in_visitors_only(
    client, home_page, archive_index, index_on_commit
):
    version = publish_policy_version(home_page, "Version one", "Text.")
    index = home_page.add_child(instance=PositionIndexPage(title="Positions"))
    index.save_revision().publish()
    with index_on_commit():
        position = index.add_child(
            instance=PositionPage(
                title="Members' position",
                organization=OrganizationFactory(name="Coalition"),
                policy=version.get_parent().specific,
                version=version,
                stated_on=datetime.date(1999, 9, 1),
                body="<p>Shared with members before the assembly.</p>",
            )
        )
        position.save_revision().publish()
        PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)

    assert stored("position", position.pk)["readers"] == ["superuser", "login"]
    assert titles(client, UserFactory(username="member"), "assembly") == ["Members' position"]
    assert titles(client, None, "assembly") == []


@pytest.mark.parametrize("kind", ["organization", "forum", "programme"])
def test_catalogue_records_have_no_restricted_state_and_are_found_by_everyone(
    client, archive_index, index_on_commit, kind
):
    """Organizations, fora and programmes are public records of the catalogue: nothing
    about them is unpublished (draft allocations are not search documents)."""
    with index_on_commit():
        convenor = OrganizationFactory(name="Regional table", slug="regional-table")
        record = {
            "organization": lambda: convenor,
            "forum": lambda: ForumFactory(name="Health board committee", convenor=convenor),
            "programme": lambda: ProgrammeFactory(name="Mission support", funder=convenor),
        }[kind]()

    document = stored(kind, record.pk)
    assert (document["visibility"], document["readers"]) == ("public", [])
    assert str(record) in titles(client, None, str(record))
