"""The briefs and the government's response points of /api/v1/: what the round page shows
and nothing more. Each promise is tried from every side: an unpublished brief is in no
list, record, filter or page; a redacted passage is in no field; an anonymous brief's
organization is nowhere (fields, files, addresses) and its filter does not find it; a
file still waiting for staff is not answered, nor its name or size; response points
are absent before the response is published."""

import datetime

import jsonschema
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm
from wagtail.documents import get_document_model
from wagtail.models import APIToken, Locale, Page, PageViewRestriction

from concertation.site_setup import publish_translation
from consultations.models import (
    CopyState,
    PolicyPage,
    Publication,
    PublicCopy,
    Redaction,
    ResponsePoint,
    SubmissionDocument,
)
from consultations.permissions.stewardship import grant_steward
from consultations.public_copies.service import neutral_title
from consultations.services.cosigning import answer_co_signature
from consultations.services.responses import record_point
from consultations.services.rounds import change_round_state, submit_brief
from opendata.briefs import brief_records
from opendata.responses import response_point_records
from tests.consultations.test_rounds import add_round
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version
from tests.opendata.support import body_schema, ids, queries_per_page, refused

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

BRIEFS = "/api/v1/briefs/"
POINTS = "/api/v1/response-points/"
SENT_ON = datetime.date(2000, 5, 15)
SECRET = "our treasurer Marie Tremblay"
SHY = "Comité logement Rive-Sud"


def editor_of(organization, username: str):
    user = UserFactory(username=username)
    assign_perm("organizations.change_organization", user, organization)
    return user


def brief(round_page, organization, title: str, **fields):
    defaults = {"summary": f"{title}: we ask for core funding.", "today": SENT_ON}
    user = editor_of(organization, f"editor-{organization.pk}-{title[:10]}")
    return submit_brief(round_page, organization, user, title=title, **{**defaults, **fields})


ORIGINAL = b"%PDF-1.4 the original, with its metadata"
COPY = b"%PDF-1.4 the copy"


def stored(title: str, filename: str, content: bytes):
    """A Wagtail document as the site stores one (`public_copies.service._store`)."""
    document = get_document_model()(title=title, file=ContentFile(content, name=filename))
    document._set_document_file_metadata()
    document.save()
    return document


def attach(submission, original_name: str, *, ready: bool, public_title: str = ""):
    """A file attached to the brief and its public copy, as `consultations.public_copies`
    leaves them: ready with its title, or waiting for staff (no public document)."""
    original = stored(original_name, f"{original_name}.pdf", ORIGINAL)
    attachment = SubmissionDocument.objects.create(submission=submission, document=original)
    copy = None
    if ready:
        number = submission.documents.count()
        copy = stored(public_title, f"brief-{submission.pk}-document-{number}.pdf", COPY)
    PublicCopy.objects.create(
        attachment=attachment,
        document=copy,
        state=CopyState.READY if ready else CopyState.WAITING,
        reason="" if ready else "A scanned page: staff must upload a redacted copy.",
    )
    return copy


@pytest.fixture
def story(home_page):
    """A policy, a round on its version that heard four briefs — named (co-signed, one
    confirmed co-signer and one still asked, a redacted passage, a public file and a
    file waiting for staff), anonymous (with a file), withheld, and one sent to a round
    still open — then closed."""
    version = publish_policy_version(
        home_page, "Version 1", "", sections=[("1", "Scope", "x"), ("2", "Funding", "y")]
    )
    policy = version.get_parent().specific
    consulted = add_round(
        policy,
        title="Consultation 2000",
        version=version,
        opens_on=datetime.date(2000, 5, 1),
        closes_on=datetime.date(2000, 6, 30),
        report="<p>What we heard.</p>",
    )
    change_round_state(consulted, "open")
    coalition = OrganizationFactory(name="Regroupement des groupes")
    member, asked = OrganizationFactory(name="Member group"), OrganizationFactory(name="Slow")
    shy = OrganizationFactory(name=SHY)
    private = OrganizationFactory(name="Private group")
    named = brief(
        consulted,
        coalition,
        "Core funding",
        summary=f"We ask for core funding. Call {SECRET} for details.",
        sections="1, 2",
        co_signers=[member, asked],
    )
    answer_co_signature(
        named.co_signatures.get(organization=member),
        editor_of(member, "member-editor"),
        confirm=True,
    )
    Redaction.objects.create(submission=named, passage=SECRET, reason="personal information")
    attach(named, "coalition brief", ready=True, public_title="Our brief on funding")
    attach(named, "scanned annex of the coalition", ready=False)
    anonymous = brief(consulted, shy, "Housing needs", publication="anonymous")
    attach(anonymous, f"Memoire {SHY}", ready=True, public_title=neutral_title(anonymous, 1))
    withheld = brief(consulted, private, "Private thoughts", publication="withheld")
    change_round_state(consulted, "closed")

    still_open = add_round(
        policy,
        title="Consultation 2001",
        opens_on=datetime.date(2000, 5, 1),
        closes_on=datetime.date(2999, 6, 30),
    )
    change_round_state(still_open, "open")
    early = brief(still_open, coalition, "Early brief")

    class Story:
        pass

    Story.policy, Story.version, Story.round, Story.open_round = (
        policy,
        version,
        consulted,
        still_open,
    )
    Story.named, Story.anonymous, Story.withheld, Story.early = named, anonymous, withheld, early
    Story.coalition, Story.member, Story.asked, Story.shy, Story.private = (
        coalition,
        member,
        asked,
        shy,
        private,
    )
    return Story


def test_a_named_brief_as_its_round_page_shows_it(client, story):
    response = client.get(f"{BRIEFS}{story.named.pk}/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["round"] == story.round.pk and body["policy"] == story.policy.pk
    assert body["title"] == "Core funding"
    assert body["summary"] == (
        "We ask for core funding. Call [redacted: personal information] for details."
    )
    assert body["language"] == "en" and body["sections"] == ["1", "2"]
    assert body["published"] is True
    assert body["publication"] == {"id": "named", "label": "Publish it with our name"}
    assert body["organization"] == {"id": story.coalition.pk, "name": "Regroupement des groupes"}
    # The confirmed co-signer only: the one still asked is not public.
    assert body["co_signers"] == [{"id": story.member.pk, "name": "Member group"}]
    [public_file] = body["files"]
    copy = PublicCopy.objects.get(attachment__submission=story.named, state="ready").document
    assert public_file == {
        "name": "Our brief on funding",
        "size": len(COPY),
        "content_type": "application/pdf",
        "url": f"http://testserver{copy.url}",
    }
    assert body["url"] == f"http://testserver{story.round.url}#submission-{story.named.pk}"
    # The page says the same.
    page = client.get(story.round.url).content.decode()
    assert "Member group" in page and "Slow" not in page and "Our brief on funding" in page


def test_the_list_answers_the_published_briefs_only(client, story):
    """The withheld brief, and the brief of a round still open (not publishing yet),
    are in no list, no record and no filter."""
    assert ids(client.get(BRIEFS)) == [story.named.pk, story.anonymous.pk]
    for hidden in (story.withheld, story.early):
        assert client.get(f"{BRIEFS}{hidden.pk}/").status_code == 404
        assert hidden.pk not in ids(client.get(BRIEFS, {"organization": hidden.organization_id}))
    assert ids(client.get(BRIEFS, {"round": story.open_round.pk})) == []
    assert ids(client.get(BRIEFS, {"organization": story.private.pk})) == []
    # The year it was sent.
    type(story.named).objects.filter(pk=story.named.pk).update(
        submitted_at=datetime.datetime(2000, 5, 15, 12, tzinfo=datetime.UTC)
    )
    this_year = str(story.anonymous.submitted_at.year)
    assert ids(client.get(BRIEFS, {"year": "2000", "page_size": "100"})) == [story.named.pk]
    assert ids(client.get(BRIEFS, {"year": this_year})) == [story.anonymous.pk]


def test_a_redacted_passage_is_in_no_field(client, story):
    """Not in the summary, nor the title when typed there too, in either language."""
    Redaction.objects.create(submission=story.named, passage="Core", reason="internal")

    for language in ("en", "fr"):
        text = client.get(f"{BRIEFS}{story.named.pk}/", {"lang": language}).content.decode()
        listing = client.get(BRIEFS, {"lang": language}).content.decode()
        for answer in (text, listing):
            assert "Marie" not in answer and "Tremblay" not in answer
            assert "Core funding" not in answer


def test_an_anonymous_brief_names_its_organization_nowhere(client, story):
    """Not in its fields, its file's name or address, nor through the organization
    filter, which finds the organization's named briefs only."""
    body = client.get(f"{BRIEFS}{story.anonymous.pk}/").json()
    raw = client.get(BRIEFS, {"page_size": 100}).content.decode()

    assert body["organization"] is None and body["co_signers"] == []
    assert body["publication"]["id"] == "anonymous"
    assert body["files"][0]["name"] == f"Brief {story.anonymous.pk}, document 1"
    for shown in (str(body), raw):
        assert "Rive-Sud" not in shown and "Comit" not in shown and "Memoire" not in shown
    assert ids(client.get(BRIEFS, {"organization": story.shy.pk})) == []
    assert ids(client.get(BRIEFS, {"organization": story.coalition.pk})) == [story.named.pk]
    # A confirmed co-signer finds the named brief; one still asked does not.
    assert ids(client.get(BRIEFS, {"organization": story.member.pk})) == [story.named.pk]
    assert ids(client.get(BRIEFS, {"organization": story.asked.pk})) == []


def test_a_file_waiting_for_staff_is_not_answered_nor_its_name_or_size(client, story):
    raw = client.get(f"{BRIEFS}{story.named.pk}/").content.decode()
    original = SubmissionDocument.objects.filter(submission=story.named).first().document

    assert "scanned annex" not in raw and "coalition brief" not in raw
    assert f'"size": {len(ORIGINAL)}' not in raw and f'"size":{len(ORIGINAL)}' not in raw
    assert original.url not in raw
    assert len(client.get(f"{BRIEFS}{story.named.pk}/").json()["files"]) == 1


def test_a_round_s_briefs_vanish_with_its_page(client, story):
    """A round unpublished, or put behind a view restriction, takes its briefs along,
    however published they are; its id is then refused by the filter."""
    PageViewRestriction.objects.create(page=story.round, restriction_type="login")

    assert ids(client.get(BRIEFS)) == []
    assert client.get(f"{BRIEFS}{story.named.pk}/").status_code == 404
    assert refused(client.get(BRIEFS, {"round": story.round.pk})) == "round"


def test_briefs_by_round_and_policy(client, story, home_page):
    other_policy = story.policy.get_parent().add_child(instance=PolicyPage(title="Housing"))
    other_policy.save_revision().publish()

    assert ids(client.get(BRIEFS, {"round": story.round.pk})) == [
        story.named.pk,
        story.anonymous.pk,
    ]
    assert ids(client.get(BRIEFS, {"policy": story.policy.pk})) == [
        story.named.pk,
        story.anonymous.pk,
    ]
    assert ids(client.get(BRIEFS, {"policy": other_policy.pk})) == []
    assert ids(client.get(BRIEFS, {"year": "2001"})) == []


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"round": "abc"}, "round"),
        ({"round": "999999"}, "round"),
        ({"policy": "0"}, "policy"),
        ({"organization": "999999"}, "organization"),
        ({"organization": "x"}, "organization"),
        ({"year": "98"}, "year"),
        ({"author": "1"}, "author"),
        ({"fields": "id,original"}, "fields"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(client, story, params, parameter):
    assert refused(client.get(BRIEFS, params)) == parameter


def test_a_signed_in_caller_reads_what_the_round_page_shows_them(story):
    """An organization's editor reads its own brief before publication, and a steward
    every brief of the round, with the sender named as the page names it; neither reads
    another organization's unpublished brief."""
    coalition_editor = editor_of(story.coalition, "coalition-editor")
    steward = UserFactory(username="steward")
    grant_steward(steward, story.open_round)

    assert set(brief_records(AnonymousUser())) == {story.named, story.anonymous}
    assert set(brief_records(coalition_editor)) == {story.named, story.anonymous, story.early}
    assert story.withheld not in set(brief_records(coalition_editor))
    assert set(brief_records(steward)) == {story.named, story.anonymous, story.early}


def as_user(user, url: str, params: dict | None = None):
    """The API's answer to a token standing for `user`."""
    secret = APIToken.create_token(user=user, name="A script")[1]
    return Client().get(url, params or {}, HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_a_token_reads_the_briefs_its_user_reads_on_the_round_page(client, story):
    """The coalition's editor reads its brief to the open round, named as on the page,
    and finds it by round; nobody else's unpublished brief, and anonymous callers none."""
    editor = editor_of(story.coalition, "coalition-token")
    outsider = UserFactory(username="outsider")

    listing = as_user(editor, BRIEFS, {"page_size": 100})
    early = as_user(editor, f"{BRIEFS}{story.early.pk}/").json()

    assert ids(listing) == [story.named.pk, story.anonymous.pk, story.early.pk]
    assert early["published"] is False
    assert early["organization"] == {"id": story.coalition.pk, "name": story.coalition.name}
    assert ids(as_user(editor, BRIEFS, {"round": story.open_round.pk})) == [story.early.pk]
    assert as_user(outsider, f"{BRIEFS}{story.early.pk}/").status_code == 404
    assert as_user(editor, f"{BRIEFS}{story.withheld.pk}/").status_code == 404
    assert client.get(f"{BRIEFS}{story.early.pk}/").status_code == 404


def test_the_page_of_5_and_of_25_cost_the_same_queries(client, home_page):
    version = publish_policy_version(home_page, "Version 1", "")
    policy = version.get_parent().specific
    rounds = []
    for number in range(3):
        round_page = add_round(policy, title=f"Round {number}", version=version)
        change_round_state(round_page, "open")
        rounds.append(round_page)
    for number in range(30):
        organization = OrganizationFactory()
        submission = brief(
            rounds[number % 3],
            organization,
            f"Brief {number}",
            publication="anonymous" if number % 2 else "named",
        )
        Redaction.objects.create(submission=submission, passage="core", reason="r")
        attach(submission, f"file {number}", ready=True, public_title=f"File {number}")
    for round_page in rounds:
        change_round_state(round_page, "closed")

    counts = queries_per_page(client, BRIEFS)

    assert counts[5] == counts[25]


def test_french_labels_and_the_round_s_french_page(client, story):
    fr = Locale.objects.get(language_code="fr")
    publish_translation(
        story.policy.get_parent().specific, fr, title="Politiques", slug="politiques"
    )
    publish_translation(story.policy, fr, title="Politique", slug="politique")
    french_round = publish_translation(story.round, fr, title="Consultation", slug="consultation")

    body = client.get(f"{BRIEFS}{story.named.pk}/", {"lang": "fr"}).json()

    with translation.override("fr"):
        named = str(Publication.NAMED.label)
        notice = str(_("[redacted: %(reason)s]") % {"reason": "personal information"})
    assert body["publication"] == {"id": "named", "label": named}
    assert named != "Publish it with our name" and "[redacted:" not in notice
    assert notice in body["summary"]
    # The same record, on the round's French page.
    assert body["id"] == story.named.pk and body["round"] == story.round.pk
    assert body["policy"] == story.policy.pk
    french_url = Page.objects.get(pk=french_round.pk).url
    assert french_url.startswith("/fr/")
    assert body["url"] == f"http://testserver{french_url}#submission-{story.named.pk}"


def test_the_answers_are_the_bodies_described(client, story):
    description = client.get("/api/v1/openapi.json").json()
    point = record_point(
        ResponsePoint(round=story.round, said="Fund the mission.", response="Yes.", section="2"),
        [story.named],
    )
    change_round_state(story.round, "report_published")
    change_round_state(story.round, "response_published")
    answers = [
        (BRIEFS, client.get(BRIEFS)),
        ("/api/v1/briefs/{id}/", client.get(f"{BRIEFS}{story.anonymous.pk}/")),
        (POINTS, client.get(POINTS, {"lang": "fr"})),
        ("/api/v1/response-points/{id}/", client.get(f"{POINTS}{point.pk}/")),
    ]

    for path, response in answers:
        assert response.status_code == 200, (path, response.content)
        jsonschema.validate(response.json(), body_schema(description, path, 200))
    jsonschema.validate(
        client.get(BRIEFS, {"round": "x"}).json(), body_schema(description, BRIEFS, 400)
    )
    query = {p["name"] for p in description["paths"][BRIEFS]["get"]["parameters"]}
    assert {"round", "policy", "organization", "year"} <= query


class TestResponsePoints:
    def points(self, story):
        """Two points: one citing the named and the withheld briefs, one the anonymous."""
        first = record_point(
            ResponsePoint(
                round=story.round,
                position=1,
                said="Fund the mission.",
                response="We agree.",
                section="2",
                changed_in_next_version=True,
                said_translation="Financer la mission.",
                response_translation="Nous sommes d’accord.",
            ),
            [story.named, story.withheld],
        )
        second = record_point(
            ResponsePoint(round=story.round, position=2, said="Housing.", response="Later."),
            [story.anonymous],
        )
        return first, second

    def test_absent_before_the_response_is_published(self, client, story):
        first, _second = self.points(story)
        change_round_state(story.round, "report_published")

        assert ids(client.get(POINTS)) == []
        assert client.get(f"{POINTS}{first.pk}/").status_code == 404
        assert list(response_point_records(AnonymousUser())) == []

    def test_published_points_cite_the_public_briefs_only(self, client, story):
        first, second = self.points(story)
        change_round_state(story.round, "report_published")
        change_round_state(story.round, "response_published")

        body = client.get(f"{POINTS}{first.pk}/").json()
        french = client.get(f"{POINTS}{first.pk}/", {"lang": "fr"}).json()

        assert ids(client.get(POINTS)) == [first.pk, second.pk]
        assert body["round"] == story.round.pk and body["policy"] == story.policy.pk
        assert body["version"] == story.version.pk
        assert (body["section"], body["changed_in_next_version"]) == ("2", True)
        assert (body["said"], body["response"], body["language"]) == (
            "Fund the mission.",
            "We agree.",
            "en",
        )
        assert (french["said"], french["language"]) == ("Financer la mission.", "fr")
        # The withheld brief is dropped from the links.
        assert body["briefs"] == [story.named.pk]
        assert client.get(f"{POINTS}{second.pk}/").json()["briefs"] == [story.anonymous.pk]
        # Its steward, who reads the withheld brief on the page, sees the link.
        steward = UserFactory(username="round-steward")
        grant_steward(steward, story.round)
        [as_steward] = [p for p in response_point_records(steward) if p.pk == first.pk]
        assert {brief.pk for brief in as_steward.submissions.all()} == {
            story.named.pk,
            story.withheld.pk,
        }

    def test_filters_by_round_and_policy(self, client, story):
        first, second = self.points(story)
        change_round_state(story.round, "report_published")
        change_round_state(story.round, "response_published")

        assert ids(client.get(POINTS, {"round": story.round.pk})) == [first.pk, second.pk]
        assert ids(client.get(POINTS, {"round": story.open_round.pk})) == []
        assert ids(client.get(POINTS, {"policy": story.policy.pk})) == [first.pk, second.pk]
        assert refused(client.get(POINTS, {"round": "999999"})) == "round"
        assert refused(client.get(POINTS, {"policy": "x"})) == "policy"
        assert refused(client.get(POINTS, {"year": "2000"})) == "year"
