"""The positions of /api/v1/: what a position's page shows (whose voice, confirmed
co-signers only, the policy and version, the day, the text), only positions the site
serves the caller (never a draft, one awaiting moderation or one behind a restriction
the caller does not pass), a position and its French translation as one record, the
filters and their refusals, constant queries per page, and answers matching the
description."""

import datetime

import jsonschema
import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from wagtail.models import APIToken, Locale, PageViewRestriction

from concertation.site_setup import publish_translation
from consultations.models import PositionCoSignature, PositionPage
from consultations.models.cosignature import CoSignatureState
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version
from tests.opendata.support import body_schema, ids, queries_per_page, refused

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

POSITIONS = "/api/v1/positions/"


def as_user(user, url: str, params: dict | None = None) -> tuple[int, dict]:
    """The API's answer to a token standing for `user`."""
    secret = APIToken.create_token(user=user, name="A script")[1]
    response = Client().get(url, params or {}, HTTP_AUTHORIZATION=f"Bearer {secret}")
    return response.status_code, response.json()


def add_position(index, organization, policy, *, publish=True, **fields) -> PositionPage:
    fields.setdefault("title", "Our position")
    fields.setdefault("stated_on", datetime.date(1999, 9, 15))
    fields.setdefault("body", "<p>Our position.</p>")
    page = index.add_child(
        instance=PositionPage(organization=organization, policy=policy, live=False, **fields)
    )
    revision = page.save_revision()
    if publish:
        revision.publish()
    return PositionPage.objects.get(pk=page.pk)


def co_sign(position, organization, state=CoSignatureState.CONFIRMED) -> None:
    decided = timezone.now() if state == CoSignatureState.CONFIRMED else None
    PositionCoSignature.objects.create(
        position=position, organization=organization, state=state, decided_at=decided
    )


@pytest.fixture
def story(position_index, home_page):
    """A coalition's position on the first version of a policy (1999), co-signed by one
    organization and asked of another; a network's position on the policy (2000)."""
    v1 = publish_policy_version(home_page, "First version", "All non-profits.")
    v2 = publish_policy_version(home_page, "Second version", "Autonomy.")
    policy = v1.get_parent().specific

    class Story:
        coalition = OrganizationFactory(name="Coalition")
        network = OrganizationFactory(name="Network")
        co_signer = OrganizationFactory(name="Co-signer")
        asked = OrganizationFactory(name="Asked only")
        first = add_position(
            position_index,
            coalition,
            policy,
            version=v1,
            title="Recognize autonomy",
            body="<p>The first version treats every non-profit alike.</p>",
        )
        second = add_position(
            position_index,
            network,
            policy,
            title="Fund the mission",
            stated_on=datetime.date(2000, 5, 2),
        )

    Story.policy, Story.v1, Story.v2, Story.index = policy, v1, v2, position_index
    co_sign(Story.first, Story.co_signer)
    co_sign(Story.first, Story.asked, CoSignatureState.REQUESTED)
    return Story


def test_a_position_with_what_its_page_shows(client, story):
    record = client.get(f"{POSITIONS}{story.first.pk}/").json()

    assert record == {
        "id": story.first.pk,
        "title": "Recognize autonomy",
        "language": "en",
        "url": f"http://testserver{story.first.url}",
        "organization": {"id": story.coalition.pk, "name": "Coalition"},
        "co_signers": [{"id": story.co_signer.pk, "name": "Co-signer"}],
        "policy": story.policy.pk,
        "version": story.v1.pk,
        "stated_on": "1999-09-15",
        "body": "<p>The first version treats every non-profit alike.</p>",
    }
    assert ids(client.get(POSITIONS)) == [story.first.pk, story.second.pk]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2000"}, ["second"]),
        ({"year": "1999"}, ["first"]),
        ({"version": "v1"}, ["first"]),
        ({"version": "v2"}, []),
        ({"policy": "policy"}, ["first", "second"]),
        ({"organization": "network"}, ["second"]),
        ({"organization": "co_signer"}, ["first"]),
        ({"organization": "asked"}, []),
    ],
)
def test_positions_by_year_policy_version_and_organization(client, story, params, expected):
    given = {
        name: value if value.isdigit() else getattr(story, value).pk
        for name, value in params.items()
    }

    assert ids(client.get(POSITIONS, given)) == [getattr(story, name).pk for name in expected]


def test_a_position_not_served_is_never_answered(client, story, home_page):
    """A draft, a position awaiting its first publication's moderation, an unpublished
    one and one behind a login restriction: in no list, no record, no filter."""
    draft = add_position(story.index, story.network, story.policy, publish=False, title="Draft")
    unpublished = add_position(story.index, story.network, story.policy, title="Withdrawn")
    unpublished.unpublish()
    members = add_position(story.index, story.network, story.policy, title="Members only")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    internal = publish_policy_version(home_page, "Internal", "x", status="internal")

    assert ids(client.get(POSITIONS)) == [story.first.pk, story.second.pk]
    assert ids(client.get(POSITIONS, {"organization": story.network.pk})) == [story.second.pk]
    for hidden in (draft, unpublished, members):
        assert client.get(f"{POSITIONS}{hidden.pk}/").status_code == 404
    assert refused(client.get(POSITIONS, {"version": internal.pk})) == "version"


def test_a_signed_in_caller_gets_what_the_site_serves_them(story):
    """A login restriction is passed by anyone signed in, a groups one by its members
    only, a password by nobody here; a draft is served to nobody."""
    network, policy, index = story.network, story.policy, story.index
    members = add_position(index, network, policy, title="Members only")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    board = add_position(index, network, policy, title="Board only")
    group = Group.objects.create(name="Board")
    restriction = PageViewRestriction.objects.create(
        page=board, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    secret = add_position(index, network, policy, title="Password")
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    draft = add_position(index, network, policy, publish=False, title="Draft")
    reader = UserFactory(username="reader")
    board_member = UserFactory(username="board-member")
    board_member.groups.add(group)
    public = [story.first.pk, story.second.pk]

    assert [r["id"] for r in as_user(reader, POSITIONS)[1]["results"]] == [*public, members.pk]
    assert [r["id"] for r in as_user(board_member, POSITIONS)[1]["results"]] == [
        *public,
        members.pk,
        board.pk,
    ]
    assert as_user(reader, f"{POSITIONS}{board.pk}/")[0] == 404
    for user in (reader, board_member):
        assert as_user(user, f"{POSITIONS}{secret.pk}/")[0] == 404
        assert as_user(user, f"{POSITIONS}{draft.pk}/")[0] == 404


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"year": "99"}, "year"),
        ({"organization": "999999"}, "organization"),
        ({"organization": "coalition"}, "organization"),
        ({"policy": "999999"}, "policy"),
        ({"version": "0"}, "version"),
        ({"round": "1"}, "round"),
        ({"fields": "id,author"}, "fields"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(client, story, params, parameter):
    assert refused(client.get(POSITIONS, params)) == parameter


def test_a_position_and_its_french_translation_are_one_record(client, story):
    french = Locale.objects.get(language_code="fr")
    publish_translation(story.index, french, title="Positions", slug="positions-fr")
    publish_translation(story.first, french, title="Reconnaître l’autonomie", slug="autonomie")

    records = client.get(POSITIONS, {"lang": "fr"}).json()["results"]
    english = client.get(f"{POSITIONS}{story.first.pk}/").json()

    assert [(r["id"], r["title"], r["language"]) for r in records] == [
        (story.first.pk, "Reconnaître l’autonomie", "fr"),
        (story.second.pk, "Fund the mission", "en"),
    ]
    assert records[0]["url"].startswith("http://testserver/fr/")
    assert records[0]["co_signers"] == [{"id": story.co_signer.pk, "name": "Co-signer"}]
    assert records[1]["url"] == f"http://testserver/fr{story.second.url}"
    assert english["title"] == "Recognize autonomy" and english["language"] == "en"


def test_a_page_of_5_and_a_page_of_25_cost_the_same_queries(client, story):
    for number in range(30):
        position = add_position(
            story.index, story.network, story.policy, version=story.v2, title=f"Position {number}"
        )
        co_sign(position, story.co_signer)

    counts = queries_per_page(client, POSITIONS)

    assert counts[5] == counts[25]


def test_the_answers_are_the_bodies_described(client, story):
    description = client.get("/api/v1/openapi.json").json()
    answers = [
        (POSITIONS, client.get(POSITIONS, {"lang": "fr"})),
        ("/api/v1/positions/{id}/", client.get(f"{POSITIONS}{story.first.pk}/")),
    ]

    for path, response in answers:
        assert response.status_code == 200, (path, response.content)
        jsonschema.validate(response.json(), body_schema(description, path, 200))
    jsonschema.validate(
        client.get(POSITIONS, {"year": "99"}).json(), body_schema(description, POSITIONS, 400)
    )
    query = {p["name"] for p in description["paths"][POSITIONS]["get"]["parameters"]}
    assert {"organization", "policy", "version", "year"} <= query
