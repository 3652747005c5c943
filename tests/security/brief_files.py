"""Real PDF, DOCX and ODT files for the file-security tests, carrying their author in
their metadata the way office software writes it, and helpers to read a public copy with
tools other than ours (PyMuPDF, the raw zip)."""

import io
import zipfile

import pymupdf
from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_file(*lines: str, author: str = "", image_only: bool = False) -> bytes:
    """A one-page PDF, a line of text per argument (or, `image_only`, a picture of them
    with no text at all: a scanned page)."""
    document = pymupdf.open()
    page = document.new_page()
    for number, line in enumerate(lines):
        page.insert_text((72, 72 + 16 * number), line, fontsize=11)
    if image_only:
        picture = page.get_pixmap(dpi=72)
        scanned = pymupdf.open()
        scanned.new_page().insert_image(page.rect, pixmap=picture)
        document = scanned
    if author:
        document.set_metadata({"author": author, "creator": author, "title": f"By {author}"})
        document.set_xml_metadata(
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Description>'
            f"<dc:creator>{author}</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
        )
    return document.tobytes()


def docx_file(*paragraphs: str, author: str = "") -> bytes:
    """A DOCX file; each paragraph is split into two runs in its middle, the second bold,
    as a passage typed then formatted would be."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        paragraph = document.add_paragraph()
        middle = len(text) // 2
        paragraph.add_run(text[:middle])
        paragraph.add_run(text[middle:]).bold = True
    if author:
        document.core_properties.author = author
        document.core_properties.last_modified_by = author
        document.core_properties.title = f"By {author}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt_file(*paragraphs: str, author: str = "") -> bytes:
    """An ODT file; each paragraph's second half in a span, as formatting leaves it."""
    from odf import dc, meta
    from odf.opendocument import OpenDocumentText
    from odf.text import P, Span

    document = OpenDocumentText()
    for text in paragraphs:
        middle = len(text) // 2
        paragraph = P(text=text[:middle])
        paragraph.addElement(Span(text=text[middle:]))
        document.text.addElement(paragraph)
    if author:
        document.meta.addElement(dc.Creator(text=author))
        document.meta.addElement(meta.InitialCreator(text=author))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


BUILDERS = {"pdf": pdf_file, "docx": docx_file, "odt": odt_file}
FORMATS = sorted(BUILDERS)


def upload(extension: str, *lines: str, name: str = "", author: str = "") -> SimpleUploadedFile:
    content = BUILDERS[extension](*lines, author=author)
    return SimpleUploadedFile(name or f"brief.{extension}", content)


def read(document) -> bytes:
    with document.file.open("rb") as file:
        return file.read()


def everything_readable(content: bytes, extension: str) -> str:
    """Whatever anyone can read in the file with common tools: for a PDF, PyMuPDF's text,
    its metadata and XMP packet, and every decompressed object; for DOCX and ODT, every
    part of the zip."""
    if extension == "pdf":
        import pikepdf

        with pymupdf.open(stream=content, filetype="pdf") as document:
            pieces = [page.get_text() for page in document]
            pieces += [str(value) for value in document.metadata.values()]
            pieces.append(document.get_xml_metadata() or "")
        with pikepdf.open(io.BytesIO(content)) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream):
                    try:
                        pieces.append(obj.read_bytes().decode("latin-1"))
                    except pikepdf.PdfError:
                        pieces.append(obj.read_raw_bytes().decode("latin-1"))
                else:
                    pieces.append(str(obj))
        return "\n".join(pieces)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()
        )
