"""The language switcher: the same page in the other language."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

register = template.Library()


@register.inclusion_tag("concertation/language_switcher.html", takes_context=True)
def language_switcher(context) -> dict:
    """A link per language to this page's translation: for Wagtail pages the translated
    page (or that language's home page when there is none), elsewhere the same URL in
    that language."""
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
    for code, _name in settings.LANGUAGES:
        if code in translations:
            url = translations[code].get_url(request)
        else:
            url = translate_url(request.get_full_path(), code)
        info = get_language_info(code)
        links.append(
            {"code": code, "name": info["name_local"], "url": url, "current": code == current}
        )
    return {"links": links}
