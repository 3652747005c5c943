"""Checking a brief's attached files before anything is stored.

The extension is not enough: the first bytes must be those of a PDF, or of the zip
container that DOCX and ODT files are, with the part that names the format.
"""

import io
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _looks_like(extension: str, head: bytes, content: bytes) -> bool:
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if extension == "docx":
                return "[Content_Types].xml" in names and "word/document.xml" in names
            return "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE
    except zipfile.BadZipFile:
        return False


def check_document(upload: UploadedFile) -> None:
    """Refuse a file that is not a PDF, DOCX or ODT document, or that is too large."""
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in {"pdf", "docx", "odt"}:
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
    if not _looks_like(extension, content[:8], content):
        raise ValidationError(
            _("“%(name)s” is not really a %(format)s document.")
            % {"name": upload.name, "format": extension.upper()}
        )
