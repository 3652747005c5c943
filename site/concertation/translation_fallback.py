"""A page missing in the visitor's language falls back visibly, never to a 404.

Wagtail routes `/fr/…` through the French page tree only: a round that has no French
copy, or a French address typed with an English slug, would answer 404. When a GET under
a language prefix other than the default ends in 404, `TranslationFallbackMiddleware`
walks the address again through every translation of each page (a segment matches a
live child of any translation of the page before it):

- the page has a live translation in the visitor's language: a redirect to it (with the
  rest of the address, e.g. a round's `submit/`, and the query string);
- it has none: the page is served as it exists, under the same address, through
  Wagtail's own hooks (view restrictions included), with `request.untranslated_content`
  set to its language; `base.html` then shows a notice in the visitor's language and
  marks the content with its `lang` (`concertation/includes/untranslated_notice.html`).

Nothing that was not public becomes reachable: only live pages are walked, the page is
routed by its own `route()` (which refuses a page that is not live) and Wagtail's
`before_serve_page` and `on_serve_page` hooks (view restrictions) run as for any page.
An address that leads back to itself (a real 404 inside a translated page) keeps its
404. Only 404s pay the walk: two queries a segment.
"""

from collections.abc import Callable

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from wagtail import hooks
from wagtail.models import Page, Site
from wagtail.views import serve_chain


class TranslationFallbackMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        return fallback_response(request) or response


def _language_and_segments(request: HttpRequest) -> tuple[str, list[str]] | None:
    """The language of a prefixed address other than the default, and the rest of it."""
    segments = [segment for segment in request.path_info.split("/") if segment]
    languages = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    if not segments or segments[0] not in languages:
        return None
    return segments[0], segments[1:]


def _translations(page: Page):
    return Page.objects.filter(translation_key=page.translation_key)


def walk(root: Page, segments: list[str]) -> tuple[Page, list[str]]:
    """The deepest live page the segments name, each matched among the children of every
    translation of the page before it, and the segments left over (a page route)."""
    page = root
    for index, slug in enumerate(segments):
        under = Q()
        for translation in _translations(page).only("path", "depth"):
            under |= Q(path__startswith=translation.path, depth=translation.depth + 1)
        child = Page.objects.live().filter(under, slug=slug).order_by("pk").first()
        if child is None:
            return page, segments[index:]
        page = child
    return page, []


def fallback_response(request: HttpRequest) -> HttpResponse | None:
    """The redirect or the page in another language for a 404 under a language prefix;
    None when there is none (the 404 stands)."""
    found = _language_and_segments(request)
    site = Site.find_for_request(request)
    if found is None or site is None:
        return None
    language, segments = found
    page, rest = walk(site.root_page, segments)
    if page.pk == site.root_page.pk:
        return None
    translated = _translations(page).live().filter(locale__language_code=language).first()
    if translated is not None:
        url = translated.specific.get_url(request=request)
        if url is None:
            return None
        target = url + "".join(f"{segment}/" for segment in rest)
        if target == request.path:
            return None
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(f"{target}?{query}" if query else target)
    return serve_untranslated(request, page.specific, rest)


def serve_untranslated(request: HttpRequest, page: Page, rest: list[str]) -> HttpResponse | None:
    """`page` (and its route `rest`) served as Wagtail serves a page, marked untranslated."""
    try:
        routed, args, kwargs = page.route(request, rest)
    except Http404:
        return None
    request.untranslated_content = routed.locale.language_code
    # As `wagtail.views.serve`: the `on_serve_page` chain (view restrictions) around the
    # page's `serve`, after the `before_serve_page` hooks.
    chain = serve_chain
    for wrap in reversed(hooks.get_hooks("on_serve_page")):
        chain = wrap(chain)
    for hook in hooks.get_hooks("before_serve_page"):
        result = hook(routed, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    try:
        response = chain(routed, request, args, kwargs)
    except Http404:
        # A page that refuses itself to this visitor (an internal version) stays 404.
        return None
    if hasattr(response, "render"):
        response.render()
    return response
