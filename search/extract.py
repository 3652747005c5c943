"""Plain text out of the files attached to briefs (PDF, DOCX, ODT), for the archive search.

Extraction runs inside indexing, on files sent by the public: it must never raise into
the task nor exhaust the worker. So each file is parsed in a sandboxed subprocess
(`search.sandbox`) under memory and processor limits and a timeout, a zip container
(DOCX, ODT) beyond the container limits (`search.file_inspection`) is not opened, the
text is cut at `MAX_CHARACTERS`, and a file that cannot be read — corrupt, truncated,
encrypted, a bomb, missing from storage — yields "" and a logged warning: the brief is
indexed without it.
"""

import hashlib
import io
import logging
from typing import Any, BinaryIO

from django.core.cache import cache

from . import sandbox
from .file_inspection import MAX_DOCUMENT_BYTES
from .text_parsers import PARSERS

logger = logging.getLogger(__name__)

# Enough for a long brief; a scanned annex of hundreds of pages adds little to search.
MAX_CHARACTERS = 200_000


def extract_text(
    stream: BinaryIO, extension: str, max_characters: int = MAX_CHARACTERS, name: str = ""
) -> str:
    """The plain text of a PDF, DOCX or ODT file, at most `max_characters` long; "" for
    any other format or a file that cannot be read within the limits (with a warning
    naming `name`). Never raises."""
    extension = extension.lower().lstrip(".")
    if extension not in PARSERS:
        return ""
    try:
        answer = sandbox.run("text", stream.read(), extension, max_characters=max_characters)
    except Exception as error:  # killed by a limit, or the worker could not start
        logger.warning("Could not extract the text of %s (%s): %r", name, extension, error)
        return ""
    if "text" not in answer:
        reason = answer.get("refusal") or answer.get("error")
        logger.warning("Could not extract the text of %s (%s): %s", name, extension, reason)
        return ""
    return answer["text"][:max_characters]


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
    for it again. A file that fails to parse — refused by the container limits, killed
    by the sandbox's limits — is cached as "" (it will not parse better next time, and a
    bomb must not cost a worker again at every rebuild); one that could not be read from
    storage is not (it may be back). A file larger than any upload may be is not read.
    """
    key = _cache_key(document)
    cached = cache.get(key)
    if cached is not None:
        return cached[:max_characters]
    try:
        with document.file.open("rb") as file:
            content = file.read(MAX_DOCUMENT_BYTES + 1)
    except Exception as error:  # a missing or unreadable file leaves the brief indexed
        logger.warning("Could not read document %s for indexing: %r", document.pk, error)
        return ""
    name = f"document {document.pk}"
    if len(content) > MAX_DOCUMENT_BYTES:
        logger.warning("Did not extract the text of %s: larger than any upload may be", name)
        text = ""
    else:
        text = extract_text(io.BytesIO(content), document.file_extension, MAX_CHARACTERS, name)
    cache.set(key, text, CACHE_SECONDS)
    return text[:max_characters]
