"""Hostile files, built for real: zip bombs in DOCX and ODT clothing, PDFs with
JavaScript, launch and open actions, and a file that only starts like a PDF.

The bombs are written member by member with `zipfile`, a megabyte at a time, so building
a 190 MB expansion never holds it in memory.
"""

import io
import zipfile

import pikepdf

from tests.search.attachments import docx_with_text, odt_with_text, pdf_with_text

MEGABYTE = 1024 * 1024
PARAGRAPH = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"
DOCX_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body>"
)
DOCX_TAIL = b"</w:body></w:document>"
ODT_PARAGRAPH = b"<text:p>x</text:p>"
ODT_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    b' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    b"<office:body><office:text>"
)
ODT_TAIL = b"</office:text></office:body></office:document-content>"


def _rezip(original: bytes, replace: dict[str, tuple[bytes, bytes, bytes, int]], extra=()) -> bytes:
    """`original` with each member of `replace` rewritten as head + body * n + tail,
    streamed, then the `extra` members (name, data) added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(original)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename not in replace:
                target.writestr(info, source.read(info))
                continue
            head, body, tail, size = replace[info.filename]
            chunk = body * (MEGABYTE // len(body))
            with target.open(info.filename, "w", force_zip64=True) as member:
                member.write(head)
                for _ in range(size // len(chunk)):
                    member.write(chunk)
                member.write(tail)
        for name, data in extra:
            target.writestr(name, data)
    return out.getvalue()


def docx_bomb(unzipped_bytes: int = 190 * MEGABYTE) -> bytes:
    """A DOCX whose document part expands to `unzipped_bytes` of tiny paragraphs."""
    return _rezip(
        docx_with_text("A brief."),
        {"word/document.xml": (DOCX_HEAD, PARAGRAPH, DOCX_TAIL, unzipped_bytes)},
    )


def odt_bomb(unzipped_bytes: int = 190 * MEGABYTE) -> bytes:
    """An ODT whose content part expands to `unzipped_bytes` of tiny paragraphs."""
    return _rezip(
        odt_with_text("A brief."),
        {"content.xml": (ODT_HEAD, ODT_PARAGRAPH, ODT_TAIL, unzipped_bytes)},
    )


def docx_with_high_ratio_member(unzipped_bytes: int = 8 * MEGABYTE) -> bytes:
    """A DOCX, small in total, with one part of zeros that expands a thousand times."""
    return _rezip(
        docx_with_text("A brief."), {}, extra=[("word/media/filler.bin", bytes(unzipped_bytes))]
    )


def docx_with_many_members(count: int = 5000) -> bytes:
    """A DOCX with thousands of tiny parts."""
    extra = [(f"customXml/filler{number}.xml", b"<x/>") for number in range(count)]
    return _rezip(docx_with_text("A brief."), {}, extra=extra)


def _pdf(build) -> bytes:
    pdf = pikepdf.open(io.BytesIO(pdf_with_text("A brief with a surprise.")))
    build(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _javascript(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hi');"))
    )


def pdf_with_javascript_in_names() -> bytes:
    """A document-level script: the catalog's names tree holds a JavaScript action."""

    def build(pdf):
        pdf.Root.Names = pikepdf.Dictionary(
            JavaScript=pikepdf.Dictionary(Names=pikepdf.Array(["init", _javascript(pdf)]))
        )

    return _pdf(build)


def pdf_with_open_action_javascript() -> bytes:
    """JavaScript run as the document opens."""

    def build(pdf):
        pdf.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.launchURL('http://x');")
        )

    return _pdf(build)


def pdf_with_launch_action() -> bytes:
    """A link on the page that launches a program."""

    def build(pdf):
        pdf.pages[0].Annots = pdf.make_indirect(
            pikepdf.Array(
                [
                    pdf.make_indirect(
                        pikepdf.Dictionary(
                            Type=pikepdf.Name.Annot,
                            Subtype=pikepdf.Name.Link,
                            Rect=[0, 0, 612, 792],
                            A=pikepdf.Dictionary(
                                S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")
                            ),
                        )
                    )
                ]
            )
        )

    return _pdf(build)


def pdf_with_page_javascript_on_open() -> bytes:
    """JavaScript run when the page opens (the page's additional actions)."""

    def build(pdf):
        pdf.pages[0].AA = pikepdf.Dictionary(O=_javascript(pdf))

    return _pdf(build)


def pdf_with_a_plain_open_destination() -> bytes:
    """What many PDF writers do: open at the first page, fit to the window."""

    def build(pdf):
        pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])

    return _pdf(build)


def pdf_header_then_garbage() -> bytes:
    return b"%PDF-1.7\n" + b"\x8f garbage that no reader can make a document of\n" * 200


def pdf_of_size(size: int) -> bytes:
    """A real PDF of about `size` bytes (a comment pads it before the end)."""
    document = pdf_with_text("A long annex.")
    return document + b"%" + b"0" * max(size - len(document) - 2, 0) + b"\n"
