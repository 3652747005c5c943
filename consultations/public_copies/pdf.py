"""The public copy of a PDF: passages removed, metadata, scripts and actions stripped.

PyMuPDF's redactions remove the text (and the pixels of images) under each hit from the
page's content, rather than drawing a box over it; `scrub` then drops the metadata, the
XMP packet, JavaScript, embedded files, thumbnails and hidden text. pikepdf makes a last
pass over what must never travel with a public file: the document information, the XMP
packet, open and additional actions, the JavaScript name tree and launch, script and
submit actions in annotations.
"""

import io

import pikepdf
import pymupdf

from .errors import UnreadableFile

# A light grey where a passage was: readers see that something was removed.
REMOVED_FILL = (0.85, 0.85, 0.85)
DANGEROUS_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE"}


def public_copy(content: bytes, passages: list[str]) -> bytes:
    try:
        document = pymupdf.open(stream=content, filetype="pdf")
    except Exception as error:  # any parser error on a public file: it cannot be copied
        raise UnreadableFile(str(error)) from error
    with document:
        if document.needs_pass:
            raise UnreadableFile("the PDF is encrypted")
        for page in document:
            for passage in passages:
                needle = " ".join(passage.split())
                for quad in page.search_for(needle, quads=True):
                    page.add_redact_annot(_core(quad.rect), fill=REMOVED_FILL)
            page.apply_redactions()
        document.scrub()
        document.set_metadata({})
        document.del_xml_metadata()
        scrubbed = document.tobytes(garbage=4, deflate=True, clean=True)
    return _without_actions(scrubbed)


def _core(rect: pymupdf.Rect) -> pymupdf.Rect:
    """The middle of a hit's box: a line's box overlaps its neighbours' when the leading
    is tight, and a redaction removes every character its area touches."""
    margin = rect.height * 0.3
    return pymupdf.Rect(rect.x0 + 0.5, rect.y0 + margin, rect.x1 - 0.5, rect.y1 - margin)


def _without_actions(content: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(content)) as pdf:
        root = pdf.Root
        for key in ("/OpenAction", "/AA", "/Metadata"):
            if key in root:
                del root[key]
        names = root.get("/Names")
        if names is not None:
            for key in ("/JavaScript", "/EmbeddedFiles"):
                if key in names:
                    del names[key]
        for page in pdf.pages:
            if "/AA" in page.obj:
                del page.obj["/AA"]
            for annotation in page.obj.get("/Annots", []):
                if "/AA" in annotation:
                    del annotation["/AA"]
                action = annotation.get("/A")
                if action is not None and action.get("/S") in DANGEROUS_ACTIONS:
                    del annotation["/A"]
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def text(content: bytes) -> str:
    """The text a reader's tools find in the PDF, page by page (PyMuPDF's extraction)."""
    with pymupdf.open(stream=content, filetype="pdf") as document:
        return "\n".join(page.get_text() for page in document)
