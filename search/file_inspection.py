"""What a file sent by the public must be before anything parses its content.

A DOCX or ODT file is a zip container: its central directory declares each part's size
before anything is decompressed, so a zip bomb (a few hundred kilobytes that expand to
gigabytes) is recognised by reading it alone — too many parts, too many bytes once
unzipped, or a part (or the whole) that expands far more than text does. Python's
`zipfile` never returns more than a part's declared size, so the declared sizes bound
what a parser can be made to read.

A PDF must open as a PDF with at least one page (a file that merely starts with
`%PDF-` is not one) and carry no active content: no JavaScript, no launch of another
program, no action run when the document opens or on other automatic triggers, no XFA
form (a scripting container). Such a file is refused rather than neutralized: the brief
on record stays the file its organization sent, byte for byte, and a brief never needs
any of these.

This module is used inside the sandboxed extraction worker (`search.extract_worker`),
never on untrusted content in the web process; it imports nothing from Django.
"""

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

MEGABYTE = 1024 * 1024
# The largest file a brief may attach (consultations.uploads); nothing larger is parsed.
MAX_DOCUMENT_BYTES = 20 * MEGABYTE
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class ArchiveLimits:
    """How far a zip container may expand. Parts smaller than `ratio_grace_bytes` are
    not held to the ratio: small XML parts compress very well and cost nothing."""

    max_members: int = 1000
    max_unzipped_bytes: int = 100 * MEGABYTE
    max_ratio: float = 100.0
    ratio_grace_bytes: int = MEGABYTE


class Refusal(Exception):
    """Why a file is refused: a `code` the caller turns into a sentence, and its details."""

    def __init__(self, code: str, **details: Any) -> None:
        super().__init__(code, details)
        self.code = code
        self.details = details


def check_archive(stream: BinaryIO, limits: ArchiveLimits) -> None:
    """Refuse a zip container that could expand beyond `limits`, from its central
    directory only (nothing is decompressed)."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise Refusal("not_a_zip") from error
    with archive:
        members = archive.infolist()
    if len(members) > limits.max_members:
        raise Refusal("too_many_members", count=len(members), limit=limits.max_members)
    total = sum(member.file_size for member in members)
    if total > limits.max_unzipped_bytes:
        raise Refusal("unzipped_too_large", size=total, limit=limits.max_unzipped_bytes)
    for member in members:
        if _expands_too_much(member.file_size, member.compress_size, limits):
            raise Refusal(
                "member_ratio",
                member=member.filename,
                ratio=round(member.file_size / max(member.compress_size, 1)),
                limit=limits.max_ratio,
            )
    compressed = sum(member.compress_size for member in members)
    if _expands_too_much(total, compressed, limits):
        raise Refusal(
            "overall_ratio", ratio=round(total / max(compressed, 1)), limit=limits.max_ratio
        )
    stream.seek(0)


def _expands_too_much(size: int, compressed: int, limits: ArchiveLimits) -> bool:
    return size > limits.ratio_grace_bytes and size > limits.max_ratio * max(compressed, 1)


def check_office_parts(stream: BinaryIO, extension: str) -> None:
    """Refuse a zip container without the parts that make it a DOCX or an ODT file."""
    with zipfile.ZipFile(stream) as archive:
        names = set(archive.namelist())
        if extension == "docx":
            is_format = "[Content_Types].xml" in names and "word/document.xml" in names
        else:
            mimetype = archive.getinfo("mimetype") if "mimetype" in names else None
            is_format = (
                mimetype is not None
                and mimetype.file_size <= len(ODT_MIMETYPE) + 2
                and archive.read(mimetype).strip() == ODT_MIMETYPE
            )
    stream.seek(0)
    if not is_format:
        raise Refusal("not_the_format")


# Actions a brief never needs: they run code, start programs or send data out.
_FORBIDDEN_ACTIONS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/SubmitForm": "active_action",
    "/ImportData": "active_action",
    "/GoToE": "active_action",
    "/RichMediaExecute": "active_action",
    "/Rendition": "active_action",
}


def check_pdf(stream: BinaryIO) -> None:
    """Refuse a file that does not open as a PDF with pages, or that carries active
    content anywhere (catalog, names tree, pages, annotations, outlines, form fields)."""
    import pikepdf

    try:
        pdf = pikepdf.open(stream)
    except pikepdf.PasswordError as error:
        raise Refusal("pdf_encrypted") from error
    except Exception as error:  # qpdf's errors on a damaged or fake file
        raise Refusal("not_a_pdf") from error
    with pdf:
        try:
            has_pages = len(pdf.pages) > 0
        except Exception as error:
            raise Refusal("not_a_pdf") from error
        if not has_pages:
            raise Refusal("not_a_pdf")
        _check_catalog(pdf.Root)
        for obj in pdf.objects:
            for dictionary in _dictionaries(obj):
                _check_dictionary(dictionary)
    stream.seek(0)


def _check_catalog(root: Any) -> None:
    import pikepdf

    open_action = root.get("/OpenAction")
    if isinstance(open_action, pikepdf.Dictionary) and str(open_action.get("/S")) != "/GoTo":
        raise Refusal("open_action")
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary) and "/JavaScript" in names:
        raise Refusal("javascript")
    if "/AA" in root:
        raise Refusal("automatic_action")
    acroform = root.get("/AcroForm")
    if isinstance(acroform, pikepdf.Dictionary) and "/XFA" in acroform:
        raise Refusal("xfa")


def _dictionaries(obj: Any) -> Iterator[Any]:
    """Every dictionary held directly in `obj` (a stream's dictionary, nested arrays and
    dictionaries), without following references: each indirect object is visited on
    its own."""
    import pikepdf

    pending = [obj]
    while pending:
        current = pending.pop()
        if isinstance(current, pikepdf.Stream):
            current = current.stream_dict
        if isinstance(current, pikepdf.Dictionary):
            yield current
            children = current.values()
        elif isinstance(current, pikepdf.Array):
            children = list(current)
        else:
            continue
        pending.extend(
            child
            for child in children
            if isinstance(child, pikepdf.Object) and not child.is_indirect
        )


def _check_dictionary(dictionary: Any) -> None:
    kind = dictionary.get("/S")
    if kind is not None and str(kind) in _FORBIDDEN_ACTIONS:
        raise Refusal(_FORBIDDEN_ACTIONS[str(kind)])
    if "/JS" in dictionary:
        raise Refusal("javascript")
    if "/AA" in dictionary:
        raise Refusal("automatic_action")


def inspect(stream: BinaryIO, extension: str, limits: ArchiveLimits) -> None:
    """Refuse (raise `Refusal`) a PDF, DOCX or ODT file that is not what it claims or
    could harm whoever parses or opens it."""
    if extension == "pdf":
        check_pdf(stream)
        return
    check_archive(stream, limits)
    check_office_parts(stream, extension)
