"""`/api/v1/downloads/`: the page listing the bulk downloads (for people, in the language
`lang=` or `Accept-Language` asks for, as the API's documentation page), and each file
listed in the manifest, streamed from `OPEN_DATA_DOWNLOADS_DIR` with its `ETag` (its
SHA-256) and `Last-Modified` (its build). A name the manifest does not list is a 404:
nothing else of the folder is ever served."""

import json
from datetime import datetime
from hashlib import sha256
from pathlib import Path
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from concertation import formats
from concertation.ratelimits import rate_limited

from ..http import accepted_language, in_language
from ..parameters import LANGUAGES
from ..resources import registry
from ..views import json_answer
from .build import DICTIONARY, LICENCE, MANIFEST, downloads_dir, read_manifest

GROUP = "open-data"


def _language(request: HttpRequest) -> str:
    language = request.GET.get("lang", "")
    return language if language in LANGUAGES else accepted_language(request)


def _built(entry: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(entry["built"])


@require_safe
def page(request: HttpRequest) -> HttpResponse:
    """Each file of the last build: its link, date, size and checksum."""
    language = _language(request)
    summaries = {f"{resource.name}.zip": resource.summary for resource in registry}
    with translation.override(language):
        manifest = read_manifest()
        files = []
        for entry in (manifest or {}).get("files", []):
            built = timezone.localtime(_built(entry))
            name = entry["name"]
            files.append(
                {
                    **entry,
                    "title": summaries.get(name)
                    or {DICTIONARY: _("Data dictionary"), LICENCE: _("Licence")}.get(name, name),
                    "day": formats.day(built.date()),
                    "time": built.strftime("%H:%M"),
                    "url": reverse("opendata:download", args=[name]),
                }
            )
        response = render(
            request,
            "opendata/downloads.html",
            {
                "files": files,
                "manifest_url": reverse("opendata:download", args=[MANIFEST]),
                "api_url": reverse("opendata:index"),
                "language_from_query": True,
            },
        )
    return in_language(response, language)


def _not_found() -> HttpResponse:
    return json_answer(
        {"error": {"parameter": "name", "message": _("No download has this name.")}}, 404
    )


def _with_validators(
    request: HttpRequest, etag: str, built: datetime, answer: Any
) -> HttpResponseBase:
    """`answer()` (the file), or a 304 when the client's validators still hold."""
    stamp = int(built.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=stamp)
    if response is None:
        response = answer()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stamp)
    response["Cache-Control"] = "public, no-cache"
    return response


@require_safe
@rate_limited(GROUP)
def download(request: HttpRequest, name: str) -> HttpResponseBase:
    """A file the manifest lists, or the manifest itself (`{"built": null, "files": []}`
    before the first build)."""
    directory = downloads_dir()
    if name == MANIFEST:
        try:
            content = (directory / MANIFEST).read_bytes()
        except FileNotFoundError:
            return json_answer({"built": None, "licence": None, "files": []})
        return _with_validators(
            request,
            f'"{sha256(content).hexdigest()}"',
            datetime.fromisoformat(json.loads(content)["built"]),
            lambda: HttpResponse(content, content_type="application/json"),
        )
    manifest = read_manifest(directory)
    entry = next(
        (entry for entry in (manifest or {}).get("files", []) if entry.get("name") == name),
        None,
    )
    if entry is None or Path(name).name != name or name.startswith("."):
        return _not_found()
    path = directory / name
    if not path.is_file():
        return _not_found()
    return _with_validators(
        request,
        f'"{entry["sha256"]}"',
        _built(entry),
        lambda: FileResponse(open(path, "rb"), as_attachment=name.endswith(".zip"), filename=name),
    )
