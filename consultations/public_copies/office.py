"""The public copy of a DOCX or ODT file: passages removed, metadata stripped.

Both formats are zip containers of XML parts. A passage may be split across runs (DOCX
`w:t`, ODT spans), so each paragraph's text is read whole, the passages are found in it,
and the characters they cover are removed from the runs that hold them — the first one
receives the notice — leaving the rest of the formatting as it was. Every part that holds
paragraphs is treated: the body, headers and footers, footnotes, endnotes, comments.
Tracked deletions (text still in the file though no longer shown) and ODT annotations are
removed; authors' names on revisions and comments are blanked; the core, extended and
custom properties (DOCX) and meta.xml (ODT) are replaced by empty ones, and an ODT's
thumbnail (a picture of the first page) is dropped.

This works on the XML with lxml (python-docx's own parser) rather than through
python-docx and odfpy: neither exposes footnotes, tracked changes, extended or custom
properties, and both rewrite parts they do not need to touch.
"""

import io
import re
import zipfile
from collections.abc import Callable, Iterator

from lxml import etree

from search.file_inspection import ArchiveLimits, Refusal, check_archive

from .errors import UnreadableFile
from .passages import pattern

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

EMPTY_PARTS = {
    "docx": {
        "docProps/core.xml": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            b'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            b'xmlns:dcterms="http://purl.org/dc/terms/"/>'
        ),
        "docProps/app.xml": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'extended-properties"/>'
        ),
        "docProps/custom.xml": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'custom-properties"/>'
        ),
    },
    "odt": {
        "meta.xml": (
            b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<office:document-meta xmlns:office="' + OFFICE.encode() + b'" '
            b'office:version="1.2"><office:meta/></office:document-meta>'
        ),
    },
}
# Attributes naming a person, on revisions, comments and the list of people.
PERSON_ATTRIBUTES = {"author", "initials", "userId", "providerId"}


def public_copy(
    content: bytes, extension: str, redactions: list[tuple[str, str]], limits: ArchiveLimits
) -> bytes:
    """`content` (a DOCX or ODT file) without the passages of `redactions`, each
    replaced by its notice ((passage, notice) pairs), and without its metadata; a
    container beyond `limits` is not opened."""
    patterns = [(pattern(passage), notice) for passage, notice in redactions if passage.split()]
    out = io.BytesIO()
    with _open(content, limits) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            name = info.filename
            if extension == "odt" and name.startswith("Thumbnails/"):
                continue
            data = source.read(name)
            if name in EMPTY_PARTS[extension]:
                data = EMPTY_PARTS[extension][name]
            elif extension == "docx" and name.startswith("word/") and name.endswith(".xml"):
                data = _rewrite(data, lambda root, name=name: _docx_part(root, name, patterns))
            elif extension == "odt" and name in ("content.xml", "styles.xml"):
                data = _rewrite(data, lambda root: _odt_part(root, patterns))
            elif extension == "odt" and name == "META-INF/manifest.xml":
                data = _rewrite(data, _manifest_without_thumbnails)
            target.writestr(info, data, compress_type=info.compress_type)
    return out.getvalue()


def text(content: bytes, limits: ArchiveLimits) -> str:
    """All the text of every XML part of the container, run after run: what anyone who
    unzips the file can read, comments, revisions and properties included."""
    pieces = []
    with _open(content, limits) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                try:
                    root = etree.fromstring(archive.read(name))
                except etree.XMLSyntaxError:
                    continue
                pieces.append("".join(root.itertext()))
    return "\n".join(pieces)


def _open(content: bytes, limits: ArchiveLimits) -> zipfile.ZipFile:
    """The container, once its central directory shows it cannot expand beyond the
    limits uploads are held to (`search.file_inspection`)."""
    try:
        check_archive(io.BytesIO(content), limits)
        return zipfile.ZipFile(io.BytesIO(content))
    except (Refusal, zipfile.BadZipFile) as error:
        raise UnreadableFile(str(error)) from error


def _rewrite(data: bytes, change: Callable[[etree._Element], None]) -> bytes:
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=False))
    except etree.XMLSyntaxError as error:
        raise UnreadableFile(str(error)) from error
    change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- DOCX ------------------------------------------------------------------------------


def _docx_part(root: etree._Element, name: str, patterns: list) -> None:
    for deleted in list(root.iter(f"{{{W}}}del", f"{{{W}}}moveFrom")):
        deleted.getparent().remove(deleted)
    for element in root.iter():
        for attribute in list(element.attrib):
            if etree.QName(attribute).localname in PERSON_ATTRIBUTES:
                element.attrib[attribute] = ""
    comments = name.endswith("comments.xml") or "/comments" in name
    slots: list[tuple | None] = []
    for paragraph in root.iter(f"{{{W}}}p"):
        runs = [t for t in paragraph.iter(f"{{{W}}}t") if _owner(t, {f"{{{W}}}p"}) is paragraph]
        if comments:
            for run in runs:
                run.text = ""
        slots += [(run, "text") for run in runs]
        slots.append(None)
    for element, _attribute in _remove(slots, patterns):
        element.set(XML_SPACE, "preserve")


# --- ODT -------------------------------------------------------------------------------

ODT_PARAGRAPHS = {f"{{{TEXT}}}p", f"{{{TEXT}}}h"}


def _odt_part(root: etree._Element, patterns: list) -> None:
    for tag in (f"{{{OFFICE}}}annotation", f"{{{OFFICE}}}annotation-end"):
        for element in list(root.iter(tag)):
            _drop(element)
    for element in list(root.iter(f"{{{TEXT}}}tracked-changes")):
        _drop(element)
    slots: list[tuple | None] = []
    for paragraph in list(root.iter(*ODT_PARAGRAPHS)):
        slots += [*_odt_slots(paragraph, paragraph), None]
    _remove(slots, patterns)


def _odt_slots(element: etree._Element, paragraph: etree._Element) -> Iterator[tuple]:
    """The text slots (element, "text" or "tail") of `paragraph` in reading order,
    leaving out those of paragraphs nested in it (a note's body): they are its own."""
    if element.text:
        yield element, "text"
    for child in element:
        if child.tag not in ODT_PARAGRAPHS:
            yield from _odt_slots(child, paragraph)
        if child.tail:
            yield child, "tail"


def _manifest_without_thumbnails(root: etree._Element) -> None:
    for entry in list(root.iter(f"{{{MANIFEST}}}file-entry")):
        if entry.get(f"{{{MANIFEST}}}full-path", "").startswith("Thumbnails/"):
            root.remove(entry)


# --- Shared ----------------------------------------------------------------------------


def _owner(element: etree._Element, paragraph_tags: set[str]) -> etree._Element | None:
    while element is not None and element.tag not in paragraph_tags:
        element = element.getparent()
    return element


def _drop(element: etree._Element) -> None:
    """Remove `element`, keeping the text that follows it in its parent."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _remove(slots: list[tuple | None], patterns: list[tuple[re.Pattern, str]]) -> list[tuple]:
    """Remove every match of `patterns` from the text held by `slots` (element and
    attribute pairs; None between two paragraphs), read as one string with a line break
    between paragraphs, so that a passage may run from one paragraph into the next. Each
    pattern's notice takes the place of its match; the paragraphs stay. The slots
    changed."""
    values = ["\n" if slot is None else getattr(slot[0], slot[1]) or "" for slot in slots]
    whole = "".join(values)
    removed = [False] * len(whole)
    starts: dict[int, str] = {}
    for expression, notice in patterns:
        for match in expression.finditer(whole):
            if match.end() > match.start():
                starts.setdefault(match.start(), notice)
                removed[match.start() : match.end()] = [True] * (match.end() - match.start())
    changed = []
    position = 0
    for slot, value in zip(slots, values, strict=True):
        if slot is not None and any(removed[position : position + len(value)]):
            kept = []
            for offset, character in enumerate(value):
                index = position + offset
                if index in starts:
                    kept.append(starts[index])
                if not removed[index]:
                    kept.append(character)
            setattr(slot[0], slot[1], "".join(kept))
            changed.append(slot)
        position += len(value)
    return changed
