"""The demo tells the story of the seed (issue 4's demo, as far as it is built)."""

import datetime

import pymupdf
import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils.html import strip_tags
from wagtail.models import Locale

from concertation.demo import load_demo
from consultations.models import (
    ConsultationRoundPage,
    CopyState,
    PolicyPage,
    PolicyVersionPage,
    ResponsePoint,
    Submission,
    SubmissionDocument,
)
from consultations.permissions.documents import may_read_document
from consultations.quality import version_openness

pytestmark = pytest.mark.django_db


def may_be_served(document, user) -> bool:
    """What the one permission rule of downloads decides for `user`."""
    request = RequestFactory().get(document.url)
    request.user = user
    return may_read_document(request, document)


def test_the_policy_story_loads(client):
    load_demo()
    policy = PolicyPage.objects.get(slug="community-action-policy", locale__language_code="en")
    versions = list(PolicyVersionPage.objects.child_of(policy).order_by("number"))
    rounds = {r.slug: r for r in ConsultationRoundPage.objects.child_of(policy)}

    assert [(v.number, v.status) for v in versions] == [
        (1, "superseded"),
        (2, "superseded"),
        (3, "adopted"),
    ]
    # The advisory committee saw no version before the 1999 announcement.
    assert version_openness(versions[0]).sector_lead_days is None
    assert version_openness(versions[1]).sector_lead_days == 15
    assert rounds["working-group-1998"].state == "abandoned"
    assert "six months" in rounds["working-group-1998"].abandoned_reason
    consultation = rounds["public-consultation-2000"]
    assert consultation.state == "response_published"
    assert consultation.report_date == datetime.date(2000, 11, 15)
    assert "November 2000" in strip_tags(consultation.report)
    assert client.get(policy.url + "compare/", {"from": 1, "to": 3}).status_code == 200
    french = policy.get_translation(Locale.objects.get(language_code="fr"))
    assert french.url == "/fr/politiques/politique-action-communautaire/"
    assert client.get(french.url).status_code == 200
    # The English slug under /fr/ leads to the French page (decision 011).
    assert client.get("/fr" + policy.url)["Location"] == french.url


def test_the_2000_consultation_has_briefs_a_report_and_a_response(client):
    load_demo()
    consultation = ConsultationRoundPage.objects.get(slug="public-consultation-2000")
    briefs = Submission.objects.filter(round=consultation)

    assert briefs.count() == 5
    assert briefs.published().count() == 4  # one was sent for the ministry only
    assert briefs.get(publication="anonymous").organization.name == (
        "Regroupement québécois des centres de femmes"
    )
    coalition_brief = briefs.get(title__startswith="Fund the global mission")
    assert coalition_brief.co_signatures.count() == 3
    assert len(coalition_brief.confirmed_co_signers()) == 2

    points = list(ResponsePoint.objects.filter(round=consultation))
    assert [p.changed_in_next_version for p in points] == [True, False, True]
    diff = client.get(points[0].diff_url())
    assert diff.status_code == 200
    assert 'id="section-1"' in diff.content.decode()

    body = client.get(consultation.url).content.decode()
    assert "Jeanne Tremblay" not in body  # redacted
    assert "Our situation as a family organization" not in body  # withheld
    for brief in briefs.published():
        assert f'id="submission-{brief.pk}"' in body  # what response points cite
    assert 'id="point-' in body  # the response is published


def test_the_french_policy_page_shows_the_rounds_and_figures(client):
    load_demo()
    english = PolicyPage.objects.get(slug="community-action-policy", locale__language_code="en")
    french = english.get_translation(Locale.objects.get(language_code="fr"))

    body = client.get(french.url).content.decode()

    # The rounds' French pages (decision 011).
    assert "Consultation publique sur la proposition de politique (2000)" in body
    assert "Groupe de travail sur le partenariat (1998)" in body


def test_the_quality_figures_of_the_demo_story(client):
    from consultations.quality import consultation_quality

    load_demo()
    policy = PolicyPage.objects.get(slug="community-action-policy", locale__language_code="en")

    quality = consultation_quality(list(policy.public_rounds()))

    # 1998, 2000, the consultation open now and the roundtable planned.
    assert quality.rounds == 4
    assert [r.slug for r in quality.abandoned] == ["working-group-1998"]
    # The open round's three briefs are received, not yet published.
    assert (quality.submissions_received, quality.submissions_published) == (8, 4)
    assert (quality.points_published, quality.points_changed) == (3, 2)
    assert quality.changed_percent == 67
    assert "67" in client.get(policy.url).content.decode()


def test_the_demo_briefs_files_are_public_only_as_their_redacted_copies(client, run_on_commit):
    """`make run` shows the promise of issue 12: each brief came with a PDF naming its
    sender in its metadata; the public reads only copies without metadata, without the
    redacted passage, under neutral names for the anonymous brief, and nothing of the
    withheld one."""
    with run_on_commit():
        load_demo()
    attachments = SubmissionDocument.objects.select_related(
        "submission", "document", "public_copy__document"
    ).filter(submission__round__slug="public-consultation-2000")
    anonymous = AnonymousUser()

    assert attachments.count() == 5
    for attachment in attachments:
        assert not may_be_served(attachment.document, anonymous)
        copy = attachment.public_copy
        assert copy.state == CopyState.READY
        published = attachment.submission.is_published
        assert may_be_served(copy.document, anonymous) == published
        with copy.document.file.open("rb") as file:
            pdf = pymupdf.open(stream=file.read(), filetype="pdf")
        text = "".join(page.get_text() for page in pdf)
        assert not pdf.metadata["author"] and not pdf.metadata["creator"]
        assert "Jeanne Tremblay" not in text
        if attachment.submission.publication == "anonymous":
            assert copy.document.title.startswith("Brief ")
            assert "centres de femmes" not in copy.document.file.name
