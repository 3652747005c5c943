"""The 360Giving open-data files: every published allocation, for everyone.

The standard is for open data, so these answer the same to a visitor, an
organization's editor or finance staff: published allocations only, never the approved
or draft ones some of them may see on the funding pages. Texts (titles, descriptions,
classification titles) follow the language of the URL (/fr/ for French).
"""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from concertation.exports import JSON_CONTENT_TYPE, download, in_language
from concertation.ratelimits import rate_limited

from .giving360 import default_publisher, stream_package
from .giving360_spreadsheet import CONTENT_TYPE as XLSX_CONTENT_TYPE
from .giving360_spreadsheet import grants_workbook
from .models import Allocation

FILENAME = "360giving"


def _access_url(request: HttpRequest) -> str:
    try:
        return request.build_absolute_uri(reverse("funding_explorer"))
    except NoReverseMatch:
        return ""


@require_safe
@rate_limited("exports")
def package_json(request: HttpRequest) -> StreamingHttpResponse:
    chunks = stream_package(
        Allocation.objects.published(),
        publisher=default_publisher(website=request.build_absolute_uri("/")),
        download_url=request.build_absolute_uri(request.path),
        access_url=_access_url(request),
    )
    return download(
        in_language(chunks, translation.get_language()),
        filename=f"{FILENAME}.json",
        content_type=JSON_CONTENT_TYPE,
        disposition="inline",
    )


@require_safe
@rate_limited("exports")
def package_xlsx(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        grants_workbook(Allocation.objects.published()), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{FILENAME}.xlsx"'
    return response
