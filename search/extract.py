"""Plain text out of the files attached to briefs (PDF, DOCX, ODT), for the archive search.

Extraction runs inside indexing, on files sent by the public: it must never raise into
the task nor take unbounded memory. So the text is cut at `MAX_CHARACTERS`, a zip
container (DOCX, ODT) whose parts would expand beyond `MAX_UNZIPPED_BYTES` is not opened,
and a file that cannot be read — corrupt, truncated, encrypted, missing from storage —
yields "" and a logged warning: the brief is indexed without it.
"""

import hashlib
import io
import logging
import zipfile
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from django.core.cache import cache

logger = logging.getLogger(__name__)

# Enough for a long brief; a scanned annex of hundreds of pages adds little to search.
MAX_CHARACTERS = 200_000
# Uploads are at most 20 MB (consultations.uploads); a zip expanding far beyond that is
# a zip bomb, not a brief.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024


def _pdf_pieces(stream: BinaryIO) -> Iterator[str]:
    from pypdf import PdfReader

    for page in PdfReader(stream).pages:
        yield page.extract_text() or ""


def _check_zip(stream: BinaryIO) -> None:
    with zipfile.ZipFile(stream) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
            raise ValueError("the archive expands beyond the limit")
    stream.seek(0)


def _docx_pieces(stream: BinaryIO) -> Iterator[str]:
    import docx

    _check_zip(stream)
    document = docx.Document(stream)
    for paragraph in document.paragraphs:
        yield paragraph.text
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield cell.text


def _odt_pieces(stream: BinaryIO) -> Iterator[str]:
    from odf import teletype
    from odf.opendocument import load
    from odf.text import H, P

    _check_zip(stream)
    document = load(stream)
    # Headings and paragraphs, in table cells too (getElementsByType walks the tree).
    for element_type in (H, P):
        for element in document.getElementsByType(element_type):
            yield teletype.extractText(element)


EXTRACTORS: dict[str, Callable[[BinaryIO], Iterator[str]]] = {
    "pdf": _pdf_pieces,
    "docx": _docx_pieces,
    "odt": _odt_pieces,
}


def extract_text(
    stream: BinaryIO, extension: str, max_characters: int = MAX_CHARACTERS, name: str = ""
) -> str:
    """The plain text of a PDF, DOCX or ODT file, at most `max_characters` long; "" for
    any other format or a file that cannot be read (with a warning naming `name`)."""
    extractor = EXTRACTORS.get(extension.lower().lstrip("."))
    if extractor is None:
        return ""
    pieces: list[str] = []
    length = 0
    try:
        for piece in extractor(stream):
            piece = piece.strip()
            if not piece:
                continue
            pieces.append(piece)
            length += len(piece) + 1
            if length >= max_characters:
                break
    except Exception as error:  # any parser error on a public file means "no text"
        logger.warning("Could not extract the text of %s (%s): %r", name, extension, error)
        return ""
    return "\n".join(pieces)[:max_characters]


# Extracted text is kept this long, by document and file: a brief is re-indexed on every
# change to it (and read by the database fallback), its files rarely change.
CACHE_SECONDS = 30 * 24 * 3600


def _cache_key(document: Any) -> str:
    name = hashlib.sha256(document.file.name.encode()).hexdigest()[:32]
    return f"search:document-text:{document.pk}:{name}:{document.file_hash}"


def document_text(document: Any, max_characters: int = MAX_CHARACTERS) -> str:
    """The text of a Wagtail document's file, read from storage; "" when unreadable.

    Cached by document and file name (a new upload is a new name): parsing a 20 MB PDF
    once per change of its brief would make each save, reconcile and fallback search pay
    for it again. A file that fails to parse is cached as "" (it will not parse better
    next time); one that could not be read from storage is not (it may be back).
    """
    key = _cache_key(document)
    cached = cache.get(key)
    if cached is not None:
        return cached[:max_characters]
    try:
        with document.file.open("rb") as file:
            content = file.read()
    except Exception as error:  # a missing or unreadable file leaves the brief indexed
        logger.warning("Could not read document %s for indexing: %r", document.pk, error)
        return ""
    name = f"document {document.pk}"
    text = extract_text(io.BytesIO(content), document.file_extension, MAX_CHARACTERS, name)
    cache.set(key, text, CACHE_SECONDS)
    return text[:max_characters]
