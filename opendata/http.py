"""The HTTP conventions of `/api/v1/`: the answer's language, conditional requests and
CORS for reads (docs/api.md)."""

from collections.abc import Callable
from datetime import datetime
from hashlib import sha256

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation.trans_real import parse_accept_lang_header

from .parameters import LANGUAGES

PREFIX = "/api/v1/"
READS = ("GET", "HEAD", "OPTIONS")
# Response headers a browser script may read beyond the CORS-safelisted ones.
EXPOSED = "ETag, Retry-After"
# Request headers a script may send (preflight), beyond the safelisted ones.
ALLOWED = "Accept-Language, Authorization, If-None-Match, If-Modified-Since"


def accepted_language(request: HttpRequest) -> str:
    """`en` or `fr` from `Accept-Language` (in its order of preference), else `en`.

    The site's LocaleMiddleware gives every address outside the language prefixes the
    default language, so the API reads the header itself; the language cookie is not
    read, so the answer depends on what `Vary` names only."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        language = code.split("-")[0].lower()
        if language in LANGUAGES:
            return language
    return LANGUAGES[0]


def conditional(
    request: HttpRequest, response: HttpResponse, last_modified: datetime | None, caller: str = ""
) -> HttpResponseBase:
    """`response` with its `ETag` (a hash of the body: any change to what is answered
    changes it) and `Last-Modified`, or a 304 when the request's `If-None-Match` (which
    wins when both are sent) or `If-Modified-Since` says the client has it already.

    An answer to a token (`caller`, e.g. `user:12`) hashes who asked with the body, so an
    ETag never validates another caller's answer, and only its ETag validates it: a date
    cannot tell one caller's copy from another's."""
    digest = sha256(response.content)
    if caller:
        digest.update(b"\0" + caller.encode())
    etag = f'"{digest.hexdigest()[:32]}"'
    response["ETag"] = etag
    stamp = int(last_modified.timestamp()) if last_modified else None
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    answer = get_conditional_response(
        request, etag=etag, last_modified=None if caller else stamp, response=response
    )
    for header in ("Content-Language", "Vary"):
        if header in response and answer is not response:
            answer[header] = response[header]
    return answer


def in_language(response: HttpResponseBase, language: str) -> HttpResponseBase:
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language"])
    return response


class ReadsFromAnyOrigin:
    """CORS for reads of `/api/v1/`: `Access-Control-Allow-Origin: *` on its GET, HEAD and
    OPTIONS answers (errors and 429s included, so a script can read why), and a preflight
    answered here. Nothing else of the site is opened: its pages use the session cookie,
    the API does not (a `*` origin never carries credentials)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path_info.startswith(PREFIX) or request.method not in READS:
            return self.get_response(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response: HttpResponseBase = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ", ".join(READS)
            response["Access-Control-Allow-Headers"] = ALLOWED
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = self.get_response(request)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED
        return response
