"""The public copy of a file's bytes, and the text that copy shows: the parsing half of
making a copy, run only inside the sandboxed worker (`search.extract_worker`).

A file attached to a brief came from the public and may be built to exhaust whoever
parses it; so PyMuPDF, pikepdf and lxml read it in a subprocess under memory and time
limits, never in the web or task worker. This module therefore imports nothing from
Django (the worker has no settings): `service` decides what to do with the copy and its
text.
"""

import io
from dataclasses import dataclass

from search.file_inspection import ArchiveLimits
from search.text_parsers import parse_text

from . import office, pdf
from .errors import UnreadableFile


@dataclass
class Rewritten:
    content: bytes
    text: str


def rewrite(
    content: bytes,
    extension: str,
    redactions: list[tuple[str, str]],
    limits: ArchiveLimits,
    max_characters: int,
) -> Rewritten:
    """`content` without the passages of `redactions` ((passage, notice) pairs) and its
    metadata, with all the text a reader's tools find in the result.

    Raises `UnreadableFile` when the file cannot be opened or rewritten.
    """
    if extension == "pdf":
        copy = pdf.public_copy(content, [passage for passage, _notice in redactions])
        # A second reader: the search's extractor (pypdf) may find text PyMuPDF does not.
        return Rewritten(copy, pdf.text(copy) + "\n" + _search_text(copy, limits, max_characters))
    if extension in ("docx", "odt"):
        copy = office.public_copy(content, extension, redactions, limits)
        return Rewritten(copy, office.text(copy, limits))
    raise UnreadableFile(f"no public copy of a .{extension} file")


def _search_text(copy: bytes, limits: ArchiveLimits, max_characters: int) -> str:
    """What the archive search will index of the copy; "" if its parser fails (PyMuPDF
    has read it already)."""
    try:
        return parse_text(io.BytesIO(copy), "pdf", max_characters, limits)
    except MemoryError:
        raise
    except Exception:  # pypdf's failure on a copy PyMuPDF wrote: nothing more to read
        return ""
