"""Rounds (with their report and response), submissions and positions in the archive
search, on the real Elasticsearch: each appears only once it is public, and what the
public may not read never reaches the index."""

import datetime

import pytest
from wagtail.models import PageViewRestriction

from consultations.models import PositionIndexPage, PositionPage, Redaction, ResponsePoint
from consultations.services.rounds import change_round_state
from search import engine
from search.index import alias_name, refresh
from search.registry import registry
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


def test_a_private_policy_makes_its_rounds_briefs_private_too(
    client, consultation, brief, archive_index, index_on_commit
):
    with index_on_commit():
        brief("Brief under a private policy", "About autonomy.")
        change_round_state(consultation, "closed")
    assert found(client, "autonomy") == ["Brief under a private policy"]

    with index_on_commit():
        PageViewRestriction.objects.create(
            page=consultation.get_parent(), restriction_type=PageViewRestriction.LOGIN
        )

    assert found(client, "autonomy") == []
    client.force_login(UserFactory(username="signed-in"))
    assert found(client, "autonomy") == ["Brief under a private policy"]


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
    # Each point is a document of its own, leading to the point on the round's page.
    results = client.get("/search/", {"q": "envelope"}).context["results"]
    [point] = consultation.response_points.all()
    assert [(hit.kind, hit.title, hit.url) for hit in results.hits] == [
        (
            "response_point",
            f"{consultation.title} — Fund advocacy.",
            f"{consultation.get_url()}#point-{point.pk}",
        )
    ]
    assert f'id="point-{point.pk}"' in client.get(consultation.get_url()).content.decode()
    assert "Response point" in client.get("/search/", {"q": "envelope"}).content.decode()

    with index_on_commit():
        point.delete()
    assert found(client, "envelope") == []


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
    # The organization's own record is in the archive too: its creation was recorded in
    # the outbox and drained with the publication.
    assert sorted(found(client, "Coalition")) == [
        "Coalition of the sector",
        "Our position on version one",
    ]
