"""The parsers that read the text of PDF, DOCX and ODT files.

They run only inside the sandboxed worker (`search.extract_worker`), under its memory
and time limits: `search.extract` is what the rest of the project calls. A zip container
is checked against its limits (`file_inspection.check_archive`) before it is opened.
"""

from collections.abc import Callable, Iterator
from typing import BinaryIO

from .file_inspection import ArchiveLimits, check_archive


def _pdf_pieces(stream: BinaryIO, limits: ArchiveLimits) -> Iterator[str]:
    from pypdf import PdfReader

    for page in PdfReader(stream).pages:
        yield page.extract_text() or ""


def _docx_pieces(stream: BinaryIO, limits: ArchiveLimits) -> Iterator[str]:
    import docx

    check_archive(stream, limits)
    document = docx.Document(stream)
    for paragraph in document.paragraphs:
        yield paragraph.text
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield cell.text


def _odt_pieces(stream: BinaryIO, limits: ArchiveLimits) -> Iterator[str]:
    from odf import teletype
    from odf.opendocument import load
    from odf.text import H, P

    check_archive(stream, limits)
    document = load(stream)
    # Headings and paragraphs, in table cells too (getElementsByType walks the tree).
    for element_type in (H, P):
        for element in document.getElementsByType(element_type):
            yield teletype.extractText(element)


PARSERS: dict[str, Callable[[BinaryIO, ArchiveLimits], Iterator[str]]] = {
    "pdf": _pdf_pieces,
    "docx": _docx_pieces,
    "odt": _odt_pieces,
}


def parse_text(stream: BinaryIO, extension: str, max_characters: int, limits: ArchiveLimits) -> str:
    """The text of the file, at most `max_characters` long; raises on any parser error
    (and `file_inspection.Refusal` on a container beyond its limits)."""
    pieces: list[str] = []
    length = 0
    for piece in PARSERS[extension](stream, limits):
        piece = piece.strip()
        if not piece:
            continue
        pieces.append(piece)
        length += len(piece) + 1
        if length >= max_characters:
            break
    return "\n".join(pieces)[:max_characters]
