"""Hostile files and public copies: building a brief's public copies parses the files it
holds — which came from the public — so that parsing runs in the sandboxed worker too.

A bomb already in storage (sent before the upload checks, or built to slip under them)
leaves its public copy waiting with a reason staff can act on, and costs the task worker
no memory; a file whose worker is killed by a limit waits the same way instead of failing
the task; a bomb uploaded by staff as a hand-redacted copy is refused on its field, at no
cost either; and ordinary files beside it still get their copy.
"""

import resource

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model

from consultations.models import CopyState, PublicCopy, SubmissionDocument
from consultations.public_copies.service import refresh_public_copies, supply_public_copy
from consultations.services.rounds import change_round_state
from tests.security import hostile_files

from .brief_files import everything_readable, read, upload

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.elasticsearch,
    pytest.mark.usefixtures("on_disk"),
]

MEGABYTE = 1024 * 1024
UNREADABLE = "The file cannot be read: upload a copy redacted by hand."


@pytest.fixture
def loosened(settings):
    """Container limits loosened, as for a bomb built to slip under them: only the
    sandbox's memory limit stands between the bomb and the worker."""
    settings.DOCUMENT_MAX_UNZIPPED_MEGABYTES = 1000
    settings.DOCUMENT_MAX_COMPRESSION_RATIO = 1_000_000
    return settings


def published(brief, consultation, index_on_commit, *files):
    """A named brief with `files`, its round closed (published), its copies built."""
    with index_on_commit():
        submission = brief("Brief with files", "See the attached files.", files=list(files))
        change_round_state(consultation, "closed")
    return submission


def attach_from_storage(submission, index_on_commit, name: str, content: bytes):
    """Attach a file put straight into storage, as one sent before the upload checks;
    its copy is built as for any new file."""
    with index_on_commit():
        document = get_document_model().objects.create(
            title=name, file=ContentFile(content, name=name)
        )
        return SubmissionDocument.objects.create(submission=submission, document=document)


def copy_for(attachment) -> PublicCopy:
    return PublicCopy.objects.select_related("document").get(attachment=attachment)


def peak_kilobytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@pytest.mark.parametrize("extension", ["docx", "odt"])
def test_a_bomb_in_storage_leaves_its_copy_waiting_at_no_cost(
    extension, consultation, brief, index_on_commit, loosened
):
    """A 40 MB-unzipped DOCX or ODT bomb under the loosened container limits, attached
    beside an ordinary file: its copy waits, saying the file cannot be read, the test
    process — standing in for the task worker — does not grow by what parsing it takes
    (some 500 MB), and the ordinary file's copy is published."""
    build = hostile_files.docx_bomb if extension == "docx" else hostile_files.odt_bomb
    submission = published(
        brief,
        consultation,
        index_on_commit,
        upload(extension, "An ordinary brief about the housing policy."),
    )
    peak_before = peak_kilobytes()

    bomb = attach_from_storage(
        submission, index_on_commit, f"bomb.{extension}", build(40 * MEGABYTE)
    )

    copy = copy_for(bomb)
    assert copy.state == CopyState.WAITING
    assert copy.reason == UNREADABLE
    assert copy.document is None
    assert peak_kilobytes() - peak_before < 150 * 1024
    ordinary = copy_for(submission.documents.exclude(pk=bomb.pk).get())
    assert ordinary.state == CopyState.READY, ordinary.reason
    assert "policy" in everything_readable(read(ordinary.document), extension)


def test_a_file_whose_worker_is_killed_waits_without_failing_the_task(
    consultation, brief, index_on_commit, settings
):
    """The sandbox kills the worker (here its timeout is a millisecond): the copy waits
    with the same reason, the build does not raise, and it is made once the worker has
    the time again."""
    submission = published(brief, consultation, index_on_commit, upload("pdf", "A slow read."))
    attachment = submission.documents.get()
    copy = copy_for(attachment)
    assert copy.state == CopyState.READY
    copy.fingerprint = ""  # as after a change of recipe: the copy is made again
    copy.save()

    settings.EXTRACTION_TIMEOUT_SECONDS = 0.001
    refresh_public_copies(submission.pk)

    copy = copy_for(attachment)
    assert copy.state == CopyState.WAITING
    assert copy.reason == UNREADABLE

    settings.EXTRACTION_TIMEOUT_SECONDS = 60
    copy.fingerprint = ""
    copy.save()
    refresh_public_copies(submission.pk)
    assert copy_for(attachment).state == CopyState.READY


def test_a_bomb_uploaded_as_a_staff_copy_is_refused_at_no_cost(
    consultation, brief, index_on_commit, loosened
):
    """A steward's "hand-redacted copy" that is a bomb passing the upload checks: refused
    on the file field, nothing published, the process not grown."""
    submission = published(
        brief, consultation, index_on_commit, upload("docx", "The original text, unredacted.")
    )
    attachment = submission.documents.get()
    bomb = SimpleUploadedFile("copy.docx", hostile_files.docx_bomb(40 * MEGABYTE))
    peak_before = peak_kilobytes()

    with pytest.raises(ValidationError) as refusal:
        supply_public_copy(attachment, bomb)

    assert refusal.value.message_dict == {"file": [UNREADABLE]}
    assert peak_kilobytes() - peak_before < 150 * 1024
    copy = copy_for(attachment)
    assert not copy.supplied_by_staff
    assert "unredacted" in everything_readable(read(copy.document), "docx")
