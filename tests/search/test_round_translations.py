"""A round's French page in the archive search, on the real Elasticsearch (decision 011):
it is a document of its own in French, with its own report and the French of the
response's points, leading to the French page; the briefs, which belong to the round's
record, are indexed once; a French page that is not live is not indexed."""

import datetime

import pytest
from wagtail.models import Locale

from concertation.site_setup import publish_translation
from consultations.models import ResponsePoint
from consultations.services.rounds import change_round_state
from search import engine
from search.index import alias_name, refresh
from search.registry import registry

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]


def indexed(kind: str, pk) -> dict | None:
    """The stored document, or None."""
    refresh()
    document_id = registry.get(kind).document_id(pk)
    client = engine.get_client()
    if not client.exists(index=alias_name(), id=document_id).body:
        return None
    return client.get(index=alias_name(), id=document_id).body["_source"]


def count(kind: str) -> int:
    refresh()
    query = {"term": {"kind": kind}}
    return engine.get_client().count(index=alias_name(), query=query).body["count"]


@pytest.fixture
def french_round(consultation, index_on_commit):
    """The French pages of the consultation's policies index, policy, version and round."""
    fr = Locale.objects.get(language_code="fr")
    policy = consultation.get_parent().specific
    with index_on_commit():
        publish_translation(policy.get_parent().specific, fr, title="Politiques", slug="politiques")
        publish_translation(policy, fr, title="Politique", slug="politique")
        return publish_translation(
            consultation,
            fr,
            title="Consultation publique",
            slug="consultation-publique",
            report="<p>Les organismes ont demandé un financement pluriannuel.</p>",
        )


def test_the_french_page_is_a_french_document_and_the_briefs_are_indexed_once(
    consultation, french_round, brief, archive_index, index_on_commit
):
    with index_on_commit():
        sent = brief("Named brief", "We ask for recognition of advocacy.")
        change_round_state(french_round, "closed")
        change_round_state(consultation, "report_published")

    english, french = (
        indexed("consultation_round", consultation.pk),
        indexed("consultation_round", french_round.pk),
    )
    assert (english["language"], french["language"]) == ("en", "fr")
    assert french["title"] == "Consultation publique"
    assert french["url"] == "/fr/politiques/politique/consultation-publique/"
    assert "pluriannuel" in french["body"] and "multiyear" not in french["body"]
    assert "multiyear" in english["body"]
    # The brief belongs to the round's record: one document, leading to the record's page.
    assert count("submission") == 1
    assert indexed("submission", sent.pk)["url"].startswith(consultation.get_url())
    assert indexed("submission", sent.pk)["language"] == "en"


def test_a_brief_sent_from_the_french_page_is_a_french_document(
    consultation, french_round, brief, archive_index, index_on_commit
):
    from consultations.services.rounds import submit_brief

    english = brief("Named brief", "We ask for recognition of advocacy.")
    with index_on_commit():
        sent = submit_brief(
            french_round,
            english.organization,
            english.submitted_by,
            title="Mémoire",
            summary="Nous demandons la reconnaissance.",
            today=datetime.date(2000, 5, 15),
        )
        change_round_state(consultation, "closed")

    assert indexed("submission", sent.pk)["language"] == "fr"
    assert count("submission") == 2


def test_the_response_points_in_each_language(
    client, consultation, french_round, archive_index, index_on_commit
):
    with index_on_commit():
        change_round_state(consultation, "closed")
        change_round_state(consultation, "report_published")
        point = ResponsePoint.objects.create(
            round=consultation,
            said="Fund advocacy.",
            response="A distinct envelope.",
            said_translation="Financer la défense des droits.",
            response_translation="Une enveloppe distincte.",
        )
        change_round_state(consultation, "response_published")

    refresh()
    source = engine.get_client().get(
        index=alias_name(), id=f"response_point:{french_round.pk}:{point.pk}"
    )
    assert source.body["_source"]["body"] == (
        "Financer la défense des droits.\nUne enveloppe distincte."
    )
    assert source.body["_source"]["url"] == (
        f"/fr/politiques/politique/consultation-publique/#point-{point.pk}"
    )
    assert source.body["_source"]["language"] == "fr"
    english = engine.get_client().get(
        index=alias_name(), id=f"response_point:{consultation.pk}:{point.pk}"
    )
    assert english.body["_source"]["body"] == "Fund advocacy.\nA distinct envelope."
    assert count("response_point") == 2

    with index_on_commit():
        point.delete()
    assert count("response_point") == 0


def test_a_french_page_not_live_is_not_indexed(consultation, archive_index, index_on_commit):
    fr = Locale.objects.get(language_code="fr")
    policy = consultation.get_parent().specific
    with index_on_commit():
        publish_translation(policy.get_parent().specific, fr, slug="politiques")
        publish_translation(policy, fr, slug="politique")
        draft = consultation.copy_for_translation(fr)
        draft.save_revision()

    assert indexed("consultation_round", draft.pk) is None
    assert indexed("consultation_round", consultation.pk) is not None
