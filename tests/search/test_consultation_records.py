"""Rounds (with their report and response), submissions and positions in the archive
search, on the real Elasticsearch: each appears only once it is public, and what the
public may not read never reaches the index."""

import datetime

import pytest
from wagtail.models import PageViewRestriction

from consultations.models import PositionIndexPage, PositionPage, Redaction, ResponsePoint
from consultations.services import change_round_state, submit_brief
from search import engine
from search.index import alias_name, refresh
from search.registry import registry
from tests.consultations.test_rounds import add_round
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]

TODAY = datetime.date(2000, 5, 15)


def found(client, text: str) -> list[str]:
    results = client.get("/search/", {"q": text}).context["results"]
    return [hit.title for hit in results.hits]


def is_indexed(kind: str, pk) -> bool:
    refresh()
    document_id = registry.get(kind).document_id(pk)
    return engine.get_client().exists(index=alias_name(), id=document_id).body


@pytest.fixture
def consultation(home_page, archive_index, index_on_commit):
    """An open round, its setup committed (indexed) before the test begins."""
    with index_on_commit():
        version = publish_policy_version(home_page, "Consultation document", "Some text.")
        round_page = add_round(
            version.get_parent().specific,
            version=version,
            opens_on=datetime.date(2000, 5, 1),
            closes_on=datetime.date(2000, 6, 30),
            report="<p>Organizations asked for multiyear funding.</p>",
        )
        change_round_state(round_page, "open")
    return round_page


@pytest.fixture
def brief(consultation):
    def send(title: str, summary: str, publication: str = "named"):
        organization = OrganizationFactory(name=f"Author of {title}")
        user = UserFactory(username=f"editor-{title.split()[0].lower()}")
        from organizations.services import grant_editor

        grant_editor(user, organization)
        return submit_brief(
            consultation,
            organization,
            user,
            title=title,
            summary=summary,
            publication=publication,
            today=TODAY,
        )

    return send


def test_a_brief_is_searchable_once_the_round_closes_and_only_if_published(
    client, consultation, brief, archive_index, index_on_commit
):
    with index_on_commit():
        named = brief("Named brief", "We ask for recognition of advocacy.")
        brief("Withheld brief", "We ask for recognition quietly.", publication="withheld")
    assert found(client, "recognition") == []  # the round is still open

    with index_on_commit():
        change_round_state(consultation, "closed")

    assert found(client, "recognition") == ["Named brief"]
    assert is_indexed("submission", named.pk)


def test_a_redacted_passage_never_reaches_the_index_or_the_fallback(
    client, consultation, brief, archive_index, index_on_commit, settings
):
    with index_on_commit():
        submission = brief("Brief with a name", "Our director Jeanne Tremblay disagrees.")
        change_round_state(consultation, "closed")
    assert found(client, "Tremblay") == ["Brief with a name"]

    with index_on_commit():
        Redaction.objects.create(
            submission=submission, passage="Jeanne Tremblay", reason="personal information"
        )

    assert found(client, "Tremblay") == []
    assert found(client, "director") == ["Brief with a name"]
    settings.ELASTICSEARCH_URL = ""
    assert found(client, "Tremblay") == []
    assert found(client, "director") == ["Brief with a name"]


def test_unpublishing_the_round_takes_its_briefs_out(
    client, consultation, brief, archive_index, index_on_commit
):
    with index_on_commit():
        submission = brief("Published brief", "About global mission funding.")
        change_round_state(consultation, "closed")
    assert is_indexed("submission", submission.pk)

    with index_on_commit():
        consultation.unpublish()

    assert not is_indexed("submission", submission.pk)
    assert not is_indexed("consultation_round", consultation.pk)


def test_a_private_policy_takes_its_rounds_briefs_out(
    client, consultation, brief, archive_index, index_on_commit
):
    with index_on_commit():
        submission = brief("Brief under a private policy", "About autonomy.")
        change_round_state(consultation, "closed")
    assert is_indexed("submission", submission.pk)

    with index_on_commit():
        PageViewRestriction.objects.create(
            page=consultation.get_parent(), restriction_type=PageViewRestriction.LOGIN
        )

    assert not is_indexed("submission", submission.pk)


def test_the_report_and_the_response_are_searchable_once_published(
    client, consultation, archive_index, index_on_commit
):
    with index_on_commit():
        change_round_state(consultation, "closed")
    assert found(client, "multiyear") == []

    with index_on_commit():
        change_round_state(consultation, "report_published")
    assert found(client, "multiyear") == [consultation.title]

    with index_on_commit():
        ResponsePoint.objects.create(
            round=consultation, said="Fund advocacy.", response="A distinct envelope."
        )
    assert found(client, "envelope") == []  # a draft response

    with index_on_commit():
        change_round_state(consultation, "response_published")
    assert found(client, "envelope") == [consultation.title]


def test_a_position_is_searchable_once_live_never_as_a_draft(
    client, home_page, archive_index, index_on_commit
):
    version = publish_policy_version(home_page, "Version one", "Text.")
    index = home_page.add_child(instance=PositionIndexPage(title="Positions"))
    index.save_revision().publish()
    coalition = OrganizationFactory(name="Coalition of the sector")

    with index_on_commit():
        position = index.add_child(
            instance=PositionPage(
                title="Our position on version one",
                organization=coalition,
                policy=version.get_parent().specific,
                version=version,
                stated_on=datetime.date(1999, 9, 1),
                body="<p>The version ignores autonomous community action.</p>",
                live=False,
            )
        )
        position.save_revision()
    assert found(client, "autonomous") == []
    assert not is_indexed("position", position.pk)

    with index_on_commit():
        position.get_latest_revision().publish()

    assert found(client, "autonomous") == ["Our position on version one"]
    assert found(client, "Coalition") == ["Our position on version one"]
