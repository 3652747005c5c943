"""The language switcher: the same page in the other language."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

register = template.Library()


@register.inclusion_tag("concertation/language_switcher.html", takes_context=True)
def language_switcher(context) -> dict:
    """A link per language to this page's translation: for Wagtail pages the translated
    page (or that language's home page when there is none), on a page that says its
    language comes from `lang=` (`language_from_query` in its context) the same page with
    `lang=`, elsewhere the same URL in that language."""
    request = context["request"]
    page = context.get("page")
    current = context.get("LANGUAGE_CODE", settings.LANGUAGE_CODE)
    links = []
    translations = {}
    if page is not None:
        translations = {
            p.locale.language_code: p
            for p in page.get_translations(inclusive=True).live().select_related("locale")
        }
    # On one of the page's own routes (a policy's comparison, a round's brief form) the
    # link keeps the route and the query string: the same view of the translated page.
    route = ""
    if translations:
        page_url = page.get_url(request) or ""
        if page_url and request.path.startswith(page_url) and request.path != page_url:
            route = request.path[len(page_url) :]
            if request.META.get("QUERY_STRING"):
                route += "?" + request.META["QUERY_STRING"]
    for code, _name in settings.LANGUAGES:
        if code in translations:
            url = translations[code].get_url(request) + route
        elif context.get("language_from_query"):
            # A page outside the language prefixes that reads `lang=` (the open-data
            # API's documentation): the same page with `lang=` in that language.
            query = request.GET.copy()
            query["lang"] = code
            url = f"{request.path}?{query.urlencode()}"
        else:
            url = translate_url(request.get_full_path(), code)
        info = get_language_info(code)
        links.append(
            {"code": code, "name": info["name_local"], "url": url, "current": code == current}
        )
    return {"links": links}
