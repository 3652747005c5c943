"""The documents download view: Wagtail's, with a clean response.

Wagtail's view checks who may read the document (its `before_serve_document` hooks:
`consultations.permissions.documents`) and hands the file to the sendfile backend
(`SENDFILE_BACKEND`: the web server's X-Accel-Redirect in production). Its sendfile helper
copies the encoding it guessed from the file name into `Content-Encoding`, and writes the
literal "None" when there is none — a header that tells a client the body is encoded with
an unknown coding. This view removes it; every file is an attachment
(`WAGTAILDOCS_INLINE_CONTENT_TYPES` is empty).
"""

from django.http import HttpRequest, HttpResponse
from wagtail.documents.views.serve import serve


def serve_document(request: HttpRequest, document_id: int, document_filename: str) -> HttpResponse:
    response = serve(request, document_id, document_filename)
    if response.get("Content-Encoding") == "None":
        del response["Content-Encoding"]
    return response
