"""Checking a brief's attached files before anything is stored.

The extension is not enough: the first bytes must be those of a PDF, or of the zip
container that DOCX and ODT files are. The content is then inspected in the sandboxed
worker (`search.sandbox`, `search.file_inspection`), never parsed in the web process: a
zip container must not expand beyond its limits (a zip bomb) and must hold the parts of
its format; a PDF must open as one and carry no JavaScript, launch or automatic action.
A brief as a whole is held to a number of files and a total size (`BRIEF_MAX_DOCUMENTS`,
`BRIEF_MAX_MEGABYTES`). Each refusal names the file and the reason.
"""

from collections.abc import Sequence
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from search import sandbox
from search.file_inspection import MAX_DOCUMENT_BYTES, MEGABYTE

__all__ = ["MAX_DOCUMENT_BYTES", "brief_limit_errors", "check_document", "check_documents"]

MAGIC = {"pdf": b"%PDF-", "docx": b"PK\x03\x04", "odt": b"PK\x03\x04"}

# What each refusal of `search.file_inspection` means to the person who sent the file.
REASONS = {
    "not_a_zip": gettext_lazy("it is not a valid %(format)s document"),
    "not_the_format": gettext_lazy("it is not a valid %(format)s document"),
    "not_a_pdf": gettext_lazy(
        "it is not a valid PDF document (it does not open as one, or has no page)"
    ),
    "pdf_encrypted": gettext_lazy("it is protected by a password"),
    "too_many_members": gettext_lazy(
        "it holds %(count)s parts; a document may hold at most %(limit)s"
    ),
    "unzipped_too_large": gettext_lazy(
        "it would expand to %(size)s once unzipped; the limit is %(limit)s"
    ),
    "member_ratio": gettext_lazy(
        "its part “%(member)s” expands %(ratio)s times; the limit is %(limit)s times"
    ),
    "overall_ratio": gettext_lazy("it expands %(ratio)s times; the limit is %(limit)s times"),
    "javascript": gettext_lazy("it contains JavaScript"),
    "launch": gettext_lazy("it contains an action that launches a program"),
    "open_action": gettext_lazy("it runs an action when it is opened"),
    "automatic_action": gettext_lazy("it runs actions automatically (additional actions)"),
    "active_action": gettext_lazy("it contains an action that sends or runs content"),
    "xfa": gettext_lazy("it contains an XFA form, which may run scripts"),
}


def _refused(upload: UploadedFile, reason: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” was refused: %(reason)s.") % {"name": upload.name, "reason": reason},
        code="hostile_file",
    )


def _reason(code: str, details: dict, extension: str) -> str:
    values = {"format": extension.upper(), **details}
    if code == "unzipped_too_large":
        values.update(size=filesizeformat(values["size"]), limit=filesizeformat(values["limit"]))
    template = REASONS.get(code, REASONS["not_the_format"])
    return str(template) % values


def check_document(upload: UploadedFile) -> None:
    """Refuse a file that is not a PDF, DOCX or ODT document, that is too large, or
    whose content could harm whoever parses or opens it."""
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in MAGIC:
        raise ValidationError(
            _("“%(name)s” is not a PDF, DOCX or ODT document.") % {"name": upload.name}
        )
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_DOCUMENT_BYTES),
            }
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if not content.startswith(MAGIC[extension]):
        raise ValidationError(
            _("“%(name)s” is not really a %(format)s document.")
            % {"name": upload.name, "format": extension.upper()}
        )
    try:
        answer = sandbox.run("inspect", content, extension)
    except sandbox.SandboxFailure as failure:
        raise _refused(
            upload, _("it could not be checked within the time and memory allowed for a file")
        ) from failure
    refusal = answer.get("refusal")
    if refusal:
        raise _refused(upload, _reason(refusal["code"], refusal["details"], extension))
    if "error" in answer:
        raise _refused(upload, _reason("not_the_format", {}, extension))


def check_documents(files: Sequence[UploadedFile]) -> list[str]:
    """Every file's refusals at once (`check_document`), so the sender fixes them all."""
    errors = []
    for upload in files:
        try:
            check_document(upload)
        except ValidationError as error:
            errors.extend(error.messages)
    return errors


def brief_limit_errors(files: Sequence[UploadedFile], kept_sizes: Sequence[int] = ()) -> list[str]:
    """What a brief keeping documents of `kept_sizes` bytes and adding `files` would
    exceed: the number of documents, their total size. Cheap: no file is read."""
    count = len(kept_sizes) + len(files)
    total = sum(kept_sizes) + sum(upload.size or 0 for upload in files)
    max_bytes = settings.BRIEF_MAX_MEGABYTES * MEGABYTE
    errors = []
    if count > settings.BRIEF_MAX_DOCUMENTS:
        errors.append(
            _("A brief may have at most %(limit)s documents; this one would have %(count)s.")
            % {"limit": settings.BRIEF_MAX_DOCUMENTS, "count": count}
        )
    if total > max_bytes:
        errors.append(
            _("A brief's documents may total at most %(limit)s; these would total %(total)s.")
            % {"limit": filesizeformat(max_bytes), "total": filesizeformat(total)}
        )
    return errors
