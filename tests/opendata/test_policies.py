"""The policies, policy versions (with the diff between two) and rounds of /api/v1/: what
the public pages show and nothing more (drafts, internal versions, restricted pages,
unpublished rounds never answered), their filters, a page and its French translation as
one record, and answers matching the OpenAPI description."""

import datetime

import jsonschema
import pytest
from django.utils import translation
from wagtail.models import Locale, PageViewRestriction

from concertation.site_setup import publish_translation
from consultations.models import PolicyPage, VersionStatus
from consultations.services.rounds import change_round_state
from tests.consultations.test_rounds import add_round
from tests.factories import publish_policy_version
from tests.opendata.support import body_schema, ids, queries_per_page, refused

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

POLICIES = "/api/v1/policies/"
VERSIONS = "/api/v1/policy-versions/"
ROUNDS = "/api/v1/rounds/"


def french(page, **fields):
    return publish_translation(page, Locale.objects.get(language_code="fr"), **fields)


@pytest.fixture
def story(home_page):
    """A policy with two released versions (v2 rewrites section 1 and adds section 2) and
    a round on v1 whose report is published."""

    class Story:
        v1 = publish_policy_version(
            home_page,
            "Version one",
            "",
            release_date=datetime.date(1998, 3, 1),
            sections=[("1", "Scope", "Groups that serve the community.")],
        )
        v2 = publish_policy_version(
            home_page,
            "Version two",
            "",
            release_date=datetime.date(2000, 6, 1),
            summary_of_changes="Wider scope.",
            sections=[
                ("1", "Scope", "Autonomous groups that serve the community."),
                ("2", "Funding", "Mission funding."),
            ],
        )
        policy = v1.get_parent().specific
        round = add_round(
            policy,
            title="Consultation 1998",
            version=v1,
            opens_on=datetime.date(1998, 4, 1),
            closes_on=datetime.date(1998, 6, 1),
            report="<p>What we heard.</p>",
        )

    for state in ("open", "closed", "report_published"):
        change_round_state(Story.round, state)
    return Story


def test_a_policy_with_its_languages_and_versions(client, story):
    response = client.get(f"{POLICIES}{story.policy.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": story.policy.pk,
        "title": "Community action policy",
        "language": "en",
        "url": f"http://testserver{story.policy.url}",
        "summary": "",
        "languages": ["en"],
        "versions": [story.v1.pk, story.v2.pk],
    }


def test_a_version_with_its_sections_as_plain_text(client, story):
    body = client.get(f"{VERSIONS}{story.v2.pk}/").json()

    assert body["policy"] == story.policy.pk
    assert body["number"] == 2
    assert body["status"] == {"id": "released", "label": "Released"}
    assert body["release_date"] == "2000-06-01"
    assert body["summary_of_changes"] == "Wider scope."
    assert body["sections"] == [
        {"anchor": "1", "heading": "Scope", "text": "Autonomous groups that serve the community."},
        {"anchor": "2", "heading": "Funding", "text": "Mission funding."},
    ]
    assert body["url"] == f"http://testserver{story.v2.url}"
    assert ids(client.get(VERSIONS)) == [story.v1.pk, story.v2.pk]


def test_a_round_with_its_policy_version_state_and_report(client, story):
    body = client.get(f"{ROUNDS}{story.round.pk}/").json()

    assert body["policy"] == story.policy.pk
    assert body["version"] == story.v1.pk
    assert body["state"] == {"id": "report_published", "label": "Report published"}
    assert (body["opens_on"], body["closes_on"]) == ("1998-04-01", "1998-06-01")
    assert body["report_published"] is True and body["report_date"]
    assert body["report_url"] == f"http://testserver{story.round.url}#report"
    assert body["response_published"] is False
    assert body["response_date"] is None and body["response_url"] is None
    assert body["state_changed"]


def test_a_report_not_yet_published_has_no_date_nor_link(client, story):
    planned = add_round(story.policy, title="Later", report_date=datetime.date(2001, 1, 1))

    body = client.get(f"{ROUNDS}{planned.pk}/").json()

    assert body["state"]["id"] == "planned"
    assert (body["report_published"], body["report_date"], body["report_url"]) == (
        False,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("params", "expected"), [({"year": "1998"}, "v1"), ({"year": "2000"}, "v2")]
)
def test_versions_by_release_year(client, story, params, expected):
    assert ids(client.get(VERSIONS, params)) == [getattr(story, expected).pk]


def test_versions_and_rounds_of_one_policy(client, story, home_page):
    index = story.policy.get_parent()
    other = index.add_child(instance=PolicyPage(title="Housing policy"))
    other.save_revision().publish()
    elsewhere = add_round(other, title="Housing round")

    assert ids(client.get(VERSIONS, {"policy": story.policy.pk})) == [story.v1.pk, story.v2.pk]
    assert ids(client.get(VERSIONS, {"policy": other.pk})) == []
    assert ids(client.get(ROUNDS, {"policy": other.pk})) == [elsewhere.pk]
    assert ids(client.get(ROUNDS, {"policy": story.policy.pk})) == [story.round.pk]


def test_rounds_by_state_and_opening_year(client, story):
    planned = add_round(
        story.policy,
        title="Later",
        opens_on=datetime.date(2001, 2, 1),
        closes_on=datetime.date(2001, 3, 1),
    )

    assert ids(client.get(ROUNDS, {"state": "planned"})) == [planned.pk]
    assert ids(client.get(ROUNDS, {"state": "report_published"})) == [story.round.pk]
    assert ids(client.get(ROUNDS, {"year": "2001"})) == [planned.pk]
    assert ids(client.get(ROUNDS, {"state": "planned", "year": "1998"})) == []


@pytest.mark.parametrize(
    ("url", "params", "parameter"),
    [
        (ROUNDS, {"state": "finished"}, "state"),
        (ROUNDS, {"state": ["open", "closed"]}, "state"),
        (ROUNDS, {"year": "98"}, "year"),
        (VERSIONS, {"year": "next"}, "year"),
        (VERSIONS, {"policy": "abc"}, "policy"),
        (VERSIONS, {"policy": "999999"}, "policy"),
        (ROUNDS, {"policy": "0"}, "policy"),
        (POLICIES, {"policy": "1"}, "policy"),
        (POLICIES, {"fields": "id,body"}, "fields"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(client, story, url, params, parameter):
    assert refused(client.get(url, params)) == parameter


def test_a_version_not_public_is_never_answered(client, story, home_page):
    """A draft, an internal version and one behind a view restriction: in no list, each
    record a 404, not a policy's version either; a restricted policy's filter is refused."""
    draft = publish_policy_version(home_page, "Draft", "x", publish=False)
    internal = publish_policy_version(home_page, "Internal", "x", status="internal")
    hidden = publish_policy_version(home_page, "Cabinet", "x")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)

    assert ids(client.get(VERSIONS)) == [story.v1.pk, story.v2.pk]
    assert client.get(f"{POLICIES}{story.policy.pk}/").json()["versions"] == [
        story.v1.pk,
        story.v2.pk,
    ]
    for version in (draft, internal, hidden):
        assert client.get(f"{VERSIONS}{version.pk}/").status_code == 404
        assert refused(client.get(f"{VERSIONS}{story.v1.pk}/diff/", {"to": version.pk})) == "to"


def test_a_round_not_public_and_its_internal_version_are_never_answered(client, story, home_page):
    internal = publish_policy_version(home_page, "Internal", "x", status="internal")
    on_internal = add_round(story.policy, title="On the internal text", version=internal)
    unpublished = add_round(story.policy, title="Unpublished round")
    unpublished.unpublish()
    restricted = add_round(story.policy, title="Restricted round")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )

    assert ids(client.get(ROUNDS)) == [story.round.pk, on_internal.pk]
    assert client.get(f"{ROUNDS}{on_internal.pk}/").json()["version"] is None
    for round_page in (unpublished, restricted):
        assert client.get(f"{ROUNDS}{round_page.pk}/").status_code == 404


def test_a_policy_behind_a_view_restriction_hides_it_and_its_pages(client, story):
    PageViewRestriction.objects.create(
        page=story.policy, restriction_type=PageViewRestriction.LOGIN
    )

    for url in (POLICIES, VERSIONS, ROUNDS):
        assert ids(client.get(url)) == []
    assert client.get(f"{POLICIES}{story.policy.pk}/").status_code == 404
    assert client.get(f"{VERSIONS}{story.v1.pk}/").status_code == 404
    assert client.get(f"{ROUNDS}{story.round.pk}/").status_code == 404
    assert refused(client.get(VERSIONS, {"policy": story.policy.pk})) == "policy"


def test_the_diff_is_the_comparison_page_s(client, story):
    response = client.get(f"{VERSIONS}{story.v1.pk}/diff/", {"to": story.v2.pk})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["from"] == {"id": story.v1.pk, "number": 1, "title": "Version one"}
    assert body["to"] == {"id": story.v2.pk, "number": 2, "title": "Version two"}
    scope, funding = body["sections"]
    assert scope["change"] == "changed"
    assert scope["runs"] == [
        {"change": "delete", "text": "Groups "},
        {"change": "insert", "text": "Autonomous groups "},
        {"change": "equal", "text": "that serve the community."},
    ]
    assert funding["change"] == "added"
    assert funding["runs"] == [{"change": "insert", "text": "Mission funding."}]
    # The site's comparison page shows the same words.
    page = client.get(f"{story.policy.url}compare/", {"from": 1, "to": 2}).content.decode()
    assert "Autonomous" in page and "Mission funding." in page


def test_the_diff_refuses_a_version_of_another_policy_or_the_same_one(client, story):
    index = story.policy.get_parent()
    other = index.add_child(instance=PolicyPage(title="Housing policy"))
    elsewhere = other.add_child(
        instance=type(story.v1)(
            title="Housing v1", number=1, status="released", release_date=datetime.date(2000, 1, 1)
        )
    )
    elsewhere.save_revision().publish()
    other.save_revision().publish()
    url = f"{VERSIONS}{story.v1.pk}/diff/"

    assert refused(client.get(url, {"to": elsewhere.pk})) == "to"
    assert refused(client.get(url, {"to": story.v1.pk})) == "to"
    assert refused(client.get(url)) == "to"
    assert refused(client.get(url, {"to": "two"})) == "to"
    assert refused(client.get(url, {"to": story.v2.pk, "from": "1"})) == "from"
    assert client.get(f"{VERSIONS}999999/diff/", {"to": story.v2.pk}).status_code == 404


def test_french_translations_are_served_as_the_same_records(client, story):
    french(story.policy.get_parent().specific, title="Politiques", slug="politiques")
    french(story.policy, title="Politique d’action communautaire", slug="politique")
    french(story.v1, title="Version un", slug="version-un")
    french(story.round, title="Consultation de 1998", slug="consultation-1998")

    policy = client.get(f"{POLICIES}{story.policy.pk}/", {"lang": "fr"}).json()
    versions = client.get(VERSIONS, HTTP_ACCEPT_LANGUAGE="fr").json()["results"]
    [round_page] = client.get(ROUNDS, {"lang": "fr"}).json()["results"]
    english = client.get(f"{POLICIES}{story.policy.pk}/").json()

    assert policy["title"] == "Politique d’action communautaire"
    assert policy["language"] == "fr" and policy["languages"] == ["en", "fr"]
    assert policy["url"].startswith("http://testserver/fr/")
    assert policy["versions"] == [story.v1.pk, story.v2.pk]
    assert [(v["id"], v["title"], v["language"]) for v in versions] == [
        (story.v1.pk, "Version un", "fr"),
        (story.v2.pk, "Version two", "en"),
    ]
    # The untranslated version at its French address, as the site shows it (with a notice).
    assert versions[1]["url"] == f"http://testserver/fr{story.v2.url}"
    with translation.override("fr"):
        assert versions[0]["status"]["label"] == str(VersionStatus.RELEASED.label)
    assert versions[0]["status"]["label"] != "Released"
    assert round_page["id"] == story.round.pk and round_page["title"] == "Consultation de 1998"
    assert round_page["state"]["id"] == "report_published"
    # The records' ids, not their French pages' (a translation group is one record).
    assert [v["policy"] for v in versions] == [story.policy.pk, story.policy.pk]
    assert (round_page["policy"], round_page["version"]) == (story.policy.pk, story.v1.pk)
    assert english["title"] == "Community action policy" and english["language"] == "en"


@pytest.mark.parametrize("url", [POLICIES, VERSIONS, ROUNDS])
def test_a_page_of_5_and_a_page_of_25_cost_the_same_queries(client, home_page, url):
    index = None
    for number in range(30):
        version = publish_policy_version(home_page, f"Version {number}", "text")
        policy = version.get_parent()
        index = policy.get_parent()
        add_round(policy.specific, title=f"Round {number}", version=version)
        # A policy of its own for each, so the policies' list has 30 too.
        other = index.add_child(instance=PolicyPage(title=f"Policy {number}"))
        other.save_revision().publish()

    counts = queries_per_page(client, url)

    assert counts[5] == counts[25]


def test_the_answers_are_the_bodies_described(client, story):
    description = client.get("/api/v1/openapi.json").json()
    answers = [
        (POLICIES, client.get(POLICIES)),
        (VERSIONS, client.get(VERSIONS, {"lang": "fr"})),
        (ROUNDS, client.get(ROUNDS)),
        ("/api/v1/rounds/{id}/", client.get(f"{ROUNDS}{story.round.pk}/")),
        ("/api/v1/policy-versions/{id}/", client.get(f"{VERSIONS}{story.v1.pk}/")),
        (
            "/api/v1/policy-versions/{id}/diff/",
            client.get(f"{VERSIONS}{story.v1.pk}/diff/", {"to": story.v2.pk}),
        ),
    ]

    for path, response in answers:
        assert response.status_code == 200, (path, response.content)
        jsonschema.validate(response.json(), body_schema(description, path, 200))
    refusal = client.get(ROUNDS, {"state": "finished"})
    jsonschema.validate(refusal.json(), body_schema(description, ROUNDS, 400))
    query = {p["name"] for p in description["paths"][ROUNDS]["get"]["parameters"]}
    assert {"policy", "state", "year"} <= query
    state = next(
        p for p in description["paths"][ROUNDS]["get"]["parameters"] if p["name"] == "state"
    )
    assert "abandoned" in state["schema"]["enum"]
