"""Building the public copies of a brief's files, and taking a copy from staff.

`refresh_public_copies` runs in the background after every change that could alter a
copy (a file added, a redaction written or removed, the publication changed; see
`signals`). For each attached file it removes the redacted passages and the metadata
(`pdf`, `office`), then reads the copy's text again — with PyMuPDF or from every XML part,
and with the search extractor — and publishes the copy only when none of the passages is
left. The file came from the public: all that parsing (`rewrite`) runs in the sandboxed
worker of `search.sandbox`, under the extraction's memory and time limits. A copy waits,
with the reason, when:

- the file cannot be read (corrupt, encrypted, or killed by the sandbox's limits);
- it has no text to check (a scanned document) while the brief has redactions or is
  anonymous: nothing shows that an image holds no passage or name;
- a passage is found nowhere in the brief's text (summary and files): it may be in an
  image or spelled otherwise, and no file can be shown to be free of it;
- the copy still holds a passage after the removal.

Staff then upload a redacted copy themselves (`supply_public_copy`); its metadata is
stripped and its text checked the same way, but not its being scanned.

Anonymous briefs' copies are called "Brief 12, document 1", in the round's language; a
named brief's copy keeps the title of the original. Every copy's file name is that
neutral one: an uploaded file's name often carries a person's name or an internal
version, and the name is in the download's URL.
"""

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model

from search import sandbox
from search.extract import MAX_CHARACTERS, document_text
from search.tasks import enqueue_sync

from ..models import CopyState, Publication, PublicCopy, Redaction, Submission
from ..models import SubmissionDocument as Attachment
from ..uploads import check_document
from . import passages
from .errors import UnreadableFile

logger = logging.getLogger(__name__)

# Bump when the way copies are made changes: every copy is then made again.
RECIPE = 1
FORMATS = ("pdf", "docx", "odt")


@dataclass
class Made:
    content: bytes | None
    problem: str = ""


def refresh_public_copies(submission_pk: int) -> None:
    """Bring the public copies of a brief's files in line with its files, redactions and
    publication, then re-index the brief (its document holds the copies' text)."""
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("round__locale")
            .filter(pk=submission_pk)
            .first()
        )
        if submission is None:
            return
        redactions = list(submission.redactions.all())
        attachments = list(submission.documents.select_related("document").order_by("pk"))
        with translation.override(submission.language):
            unlocated = _unlocated(submission, attachments, redactions)
            for number, attachment in enumerate(attachments, start=1):
                _refresh(submission, attachment, number, redactions, unlocated)
    enqueue_sync("submission", submission_pk)


def supply_public_copy(attachment: Attachment, upload: UploadedFile) -> PublicCopy:
    """Publish `upload`, redacted by staff, as the public copy of `attachment`.

    Refused (a ValidationError on `file`) when it is not a document of the original's
    format or still holds a redacted passage.
    """
    check_document(upload)
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension != attachment.document.file_extension.lower():
        raise ValidationError(
            {
                "file": _("The copy must be a %(format)s file, like the original.")
                % {"format": attachment.document.file_extension.upper()}
            }
        )
    upload.seek(0)
    content = upload.read()
    with transaction.atomic():
        submission = Submission.objects.select_for_update(of=("self",)).get(
            pk=attachment.submission_id
        )
        redactions = list(submission.redactions.all())
        with translation.override(submission.language):
            made = _make(content, extension, redactions, vouched=True, anonymous=False)
            if made.content is None or made.problem:
                raise ValidationError({"file": made.problem or _("The file cannot be read.")})
            copy, _created = PublicCopy.objects.select_for_update().get_or_create(
                attachment=attachment
            )
            order = list(submission.documents.order_by("pk").values_list("pk", flat=True))
            number = order.index(attachment.pk) + 1
            copy.supplied_by_staff = True
            _store(copy, submission, attachment, number, made)
            # What `_refresh` will find: this copy, vouched for, under these names.
            copy.fingerprint = _fingerprint(
                made.content,
                extension,
                redactions,
                [],
                *_names(submission, attachment, number),
                True,
            )
            copy.save()
    enqueue_sync("submission", submission.pk)
    return copy


def mark_pending(submission_pk: int) -> None:
    """Withhold a brief's copies until they are built again: a copy made before a new
    redaction may hold its passage."""
    PublicCopy.objects.filter(attachment__submission_id=submission_pk).update(
        state=CopyState.PENDING
    )


def neutral_title(submission: Submission, number: int) -> str:
    return _("Brief %(brief)s, document %(number)s") % {"brief": submission.pk, "number": number}


def _names(submission: Submission, attachment: Attachment, number: int) -> tuple[str, str]:
    """The copy's title and file name."""
    neutral = neutral_title(submission, number)
    extension = attachment.document.file_extension.lower()
    filename = f"{slugify(neutral) or 'document'}.{extension}"
    if submission.publication == Publication.ANONYMOUS:
        return neutral, filename
    title = attachment.document.title
    if PurePath(title).suffix.lower().lstrip(".") in FORMATS:
        title = PurePath(title).stem
    return title or neutral, filename


def _unlocated(submission: Submission, attachments: list, redactions: list) -> list[str]:
    """The passages found neither in the summary nor in any file's text."""
    if not redactions:
        return []
    texts = [submission.summary, *(document_text(a.document) for a in attachments)]
    whole = "\n".join(texts)
    return [r.passage for r in redactions if not passages.contains(whole, r.passage)]


def _refresh(
    submission: Submission,
    attachment: Attachment,
    number: int,
    redactions: list[Redaction],
    unlocated: list[str],
) -> None:
    copy, _created = PublicCopy.objects.select_for_update().get_or_create(attachment=attachment)
    vouched = copy.supplied_by_staff and copy.document_id is not None
    source = copy.document if vouched else attachment.document
    try:
        with source.file.open("rb") as file:
            content = file.read()
    except Exception as error:  # a missing file: the copy waits, the brief stays indexed
        logger.warning("Could not read document %s for its public copy: %r", source.pk, error)
        content = None
    extension = attachment.document.file_extension.lower()
    title, filename = _names(submission, attachment, number)
    fingerprint = _fingerprint(
        content or b"",
        extension,
        redactions,
        [] if vouched else unlocated,
        title,
        filename,
        vouched,
    )
    if copy.fingerprint == fingerprint and copy.state == CopyState.PENDING:
        copy.state = CopyState.WAITING if copy.reason else CopyState.READY
        copy.save(update_fields=["state", "updated_at"])
        return
    if copy.fingerprint == fingerprint:
        return
    if content is None:
        made = Made(None, _("The original file cannot be read from storage."))
    else:
        anonymous = submission.publication == Publication.ANONYMOUS
        made = _make(content, extension, redactions, vouched=vouched, anonymous=anonymous)
        if not made.problem and not vouched and unlocated:
            made.problem = _(
                "The passage “%(passage)s” is found nowhere in the brief's text: it may be "
                "in an image or spelled otherwise. Upload a copy redacted by hand."
            ) % {"passage": unlocated[0]}
    _store(copy, submission, attachment, number, made)
    copy.fingerprint = fingerprint
    copy.save()


def _make(
    content: bytes, extension: str, redactions: list[Redaction], *, vouched: bool, anonymous: bool
) -> Made:
    """The public copy of `content`, and what stops it from being published ("" if
    nothing)."""
    if extension not in FORMATS:
        return Made(None, _("Only PDF, DOCX and ODT files get a public copy."))
    pairs = [
        (r.passage, str(_("[redacted: %(reason)s]") % {"reason": r.reason})) for r in redactions
    ]
    try:
        copy, text = _rewritten(content, extension, pairs)
    except (UnreadableFile, sandbox.SandboxFailure) as error:
        logger.warning("Could not make a public copy (%s): %s", extension, error)
        return Made(None, _("The file cannot be read: upload a copy redacted by hand."))
    still = passages.found(text, [passage for passage, _notice in pairs])
    if still:
        return Made(
            copy,
            _("The copy still holds the passage “%(passage)s”: upload a copy redacted by hand.")
            % {"passage": still[0]},
        )
    if not vouched and not text.strip() and (redactions or anonymous):
        return Made(
            copy,
            _(
                "The file has no text to check (a scanned document?): the redactions "
                "cannot be verified. Upload a copy redacted by hand."
            ),
        )
    return Made(copy)


def _rewritten(content: bytes, extension: str, pairs: list[tuple[str, str]]) -> tuple[bytes, str]:
    """The copy made in the sandbox (`rewrite`, under the extraction's limits: the file
    came from the public), and all the text read from it.

    Raises `UnreadableFile` when the worker could not read the file, and
    `sandbox.SandboxFailure` when a limit killed it.
    """
    answer = sandbox.run(
        "public_copy", content, extension, max_characters=MAX_CHARACTERS, redactions=pairs
    )
    if "copy" not in answer:
        raise UnreadableFile(str(answer.get("error") or answer.get("refusal")))
    return answer["copy"], answer["text"]


def _store(
    copy: PublicCopy, submission: Submission, attachment: Attachment, number: int, made: Made
) -> None:
    """Put the made copy (or nothing) in place of the previous one, and its state."""
    previous = copy.document
    copy.document = None
    if made.content is not None:
        title, filename = _names(submission, attachment, number)
        document = get_document_model()(title=title, file=ContentFile(made.content, name=filename))
        document._set_document_file_metadata()
        document.save()
        copy.document = document
    copy.state = CopyState.WAITING if made.problem or made.content is None else CopyState.READY
    copy.reason = made.problem
    copy.save()
    if previous is not None:
        previous.delete()


def _fingerprint(content: bytes, extension: str, redactions: list, unlocated: list, *names) -> str:
    inputs = [
        RECIPE,
        hashlib.sha256(content).hexdigest(),
        extension,
        sorted((r.passage, r.reason) for r in redactions),
        sorted(unlocated),
        [str(name) for name in names],
    ]
    return hashlib.sha256(json.dumps(inputs).encode()).hexdigest()
