"""Redactions reach the files: a published brief's attached files are downloaded, and
indexed, only as public copies with every redacted passage removed from their content and
their metadata stripped; what cannot be verified removed waits for staff."""

import pymupdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultations.models import CopyState, PublicCopy, Redaction, SubmissionDocument
from consultations.permissions.stewardship import grant_steward
from consultations.services.rounds import change_round_state
from tests.factories import UserFactory
from tests.search.test_documents_more import found, stored

from .brief_files import FORMATS, everything_readable, pdf_file, read, upload

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.elasticsearch,
    pytest.mark.usefixtures("on_disk"),
]

AUTHOR = "Comité logement Rive-Sud"


def published_with_redaction(brief, consultation, index_on_commit, file, passage):
    """A brief with `file`, a redaction of `passage`, and the round closed (published)."""
    with index_on_commit():
        submission = brief("Brief with a file", "See the attached file.", files=[file])
        Redaction.objects.create(
            submission=submission, passage=passage, reason="personal information"
        )
        change_round_state(consultation, "closed")
    return submission


def copy_of(submission) -> PublicCopy:
    return PublicCopy.objects.select_related("document").get(attachment__submission=submission)


@pytest.mark.parametrize("extension", FORMATS)
def test_the_public_copy_holds_no_redacted_passage_nor_author(
    extension, client, consultation, brief, index_on_commit
):
    """The passage is in the file, split across lines (PDF) or runs (DOCX, ODT), and the
    file's metadata names its author: the public copy has neither, read with PyMuPDF or
    the raw zip, and keeps the rest of the text."""
    # A PDF breaks the passage across two lines; a DOCX or ODT across two runs (the
    # builders split each paragraph in its middle), in one paragraph.
    lines = ["Our director Josephine", "Quillfeather disagrees with the plan."]
    if extension != "pdf":
        lines = [" ".join(lines)]
    file = upload(extension, *lines, author=AUTHOR)
    submission = published_with_redaction(
        brief, consultation, index_on_commit, file, "Josephine Quillfeather"
    )

    copy = copy_of(submission)
    assert copy.state == CopyState.READY, copy.reason
    readable = everything_readable(read(copy.document), extension)
    assert "Quillfeather" not in readable
    assert "Josephine" not in readable
    assert "Rive-Sud" not in readable
    assert "disagrees" in readable
    if extension == "pdf":
        with pymupdf.open(stream=read(copy.document), filetype="pdf") as document:
            assert not document.metadata["author"] and not document.metadata["creator"]


@pytest.mark.parametrize("extension", FORMATS)
def test_the_index_and_the_page_hold_only_the_public_copy(
    extension, client, consultation, brief, index_on_commit
):
    """The search finds the brief by the rest of its file, never by the passage; the round
    page links the public copy, and the original's address is refused to the public."""
    file = upload(extension, "A quiet zanzibarium proposal by Josephine Quillfeather.")
    submission = published_with_redaction(
        brief, consultation, index_on_commit, file, "Josephine Quillfeather"
    )

    assert found(client, "zanzibarium") == ["Brief with a file"]
    assert found(client, "Quillfeather") == []
    assert "Quillfeather" not in stored("submission", submission.pk)["body"]
    original = SubmissionDocument.objects.get(submission=submission).document
    page = client.get(consultation.url).content.decode()
    assert copy_of(submission).document.url in page
    assert original.url not in page
    assert client.get(original.url).status_code == 404
    assert client.get(copy_of(submission).document.url).status_code == 200


def test_a_redaction_added_later_withholds_the_copy_until_it_is_rebuilt(
    client, consultation, brief, index_on_commit
):
    """Between the new redaction and the rebuild, the old copy (which holds the passage)
    is withheld; the rebuilt one is published without it."""
    with index_on_commit():
        submission = brief(
            "Brief", "Summary.", files=[upload("pdf", "Signed by Josephine Quillfeather.")]
        )
        change_round_state(consultation, "closed")
    old_copy_url = copy_of(submission).document.url
    assert client.get(old_copy_url).status_code == 200

    with index_on_commit():
        Redaction.objects.create(submission=submission, passage="Quillfeather", reason="name")
        assert copy_of(submission).state == CopyState.PENDING
        assert client.get(old_copy_url).status_code == 404
        assert old_copy_url not in client.get(consultation.url).content.decode()

    copy = copy_of(submission)
    assert copy.state == CopyState.READY
    assert client.get(old_copy_url).status_code == 404
    assert "Quillfeather" not in everything_readable(read(copy.document), "pdf")
    assert client.get(copy.document.url).status_code == 200


def test_a_scanned_file_waits_for_staff_and_takes_their_copy(
    client, consultation, brief, index_on_commit
):
    """A PDF with no text (a scan) cannot be checked: it stays unpublished, the admin
    lists it as waiting with the reason, and a copy uploaded by a steward is published
    (its metadata stripped)."""
    scanned = SimpleUploadedFile(
        "scan.pdf", pdf_file("Josephine Quillfeather signs this.", image_only=True)
    )
    submission = published_with_redaction(
        brief, consultation, index_on_commit, scanned, "Josephine Quillfeather"
    )
    copy = copy_of(submission)
    assert copy.state == CopyState.WAITING
    assert "no text" in copy.reason
    assert submission.public_files() == []

    steward = UserFactory(username="steward")
    grant_steward(steward, consultation)
    client.force_login(steward)
    screen = reverse("consultations_submission_files", args=[submission.pk])
    page = client.get(screen).content.decode()
    assert "no text" in page and "Waiting" in page
    listing = client.get(
        reverse("wagtailsnippets_consultations_submission:list"), {"files_waiting": "true"}
    )
    assert submission.title in listing.content.decode()

    redacted = SimpleUploadedFile("mine.pdf", pdf_file("[name removed] signs this.", author=AUTHOR))
    with index_on_commit():
        answer = client.post(screen, {"attachment": copy.attachment_id, "file": redacted})
    assert answer.status_code == 302
    copy = copy_of(submission)
    assert copy.state == CopyState.READY and copy.supplied_by_staff
    assert "Rive-Sud" not in everything_readable(read(copy.document), "pdf")
    client.logout()
    assert client.get(copy.document.url).status_code == 200


def test_a_staff_copy_is_redacted_and_checked_too(client, consultation, brief, index_on_commit):
    """A steward's careless copy that still holds the passage is published without it;
    a copy in another format than the original is refused, naming the file field."""
    scanned = SimpleUploadedFile("scan.pdf", pdf_file("Quillfeather", image_only=True))
    submission = published_with_redaction(
        brief, consultation, index_on_commit, scanned, "Quillfeather"
    )
    steward = UserFactory(username="steward")
    grant_steward(steward, consultation)
    client.force_login(steward)
    screen = reverse("consultations_submission_files", args=[submission.pk])
    attachment = copy_of(submission).attachment_id

    wrong = upload("docx", "Nothing to hide.", name="copy.docx")
    answer = client.post(screen, {"attachment": attachment, "file": wrong})
    assert answer.status_code == 400
    assert "like the original" in answer.content.decode()
    assert copy_of(submission).state == CopyState.WAITING

    careless = SimpleUploadedFile("careless.pdf", pdf_file("Quillfeather is still here."))
    with index_on_commit():
        answer = client.post(screen, {"attachment": attachment, "file": careless})
    assert answer.status_code == 302
    copy = copy_of(submission)
    assert copy.state == CopyState.READY
    readable = everything_readable(read(copy.document), "pdf")
    assert "Quillfeather" not in readable and "still here" in readable


def test_a_passage_found_nowhere_withholds_the_files(client, consultation, brief, index_on_commit):
    """Staff redacted a passage the text does not hold as typed (a hyphenated line, an
    image): no file can be shown free of it, so they wait."""
    file = upload("odt", "Our treasurer Jo-", "sephine resigned.")
    submission = published_with_redaction(
        brief, consultation, index_on_commit, file, "Josephine Quillfeather"
    )
    copy = copy_of(submission)
    assert copy.state == CopyState.WAITING
    assert "found nowhere" in copy.reason
    assert found(client, "treasurer") == []
