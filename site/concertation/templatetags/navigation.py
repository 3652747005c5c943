"""The site's main navigation and breadcrumbs.

Neither costs a query on a Django view: the navigation's links are URL names (the
consultations' indexes are reached through redirecting URLs, `consultations.urls`), and a
view's breadcrumbs are written in its template. A Wagtail page's breadcrumbs are its
ancestors below the home page, read in one query.
"""

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

register = template.Library()


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str


# The whole product, in the order a newcomer meets it: consultations first.
MAIN_NAVIGATION = (
    NavItem("policies", _("Policies"), "policies"),
    NavItem("open_rounds", _("Rounds open now"), "open_rounds"),
    NavItem("positions", _("Positions"), "positions"),
    NavItem("organizations", _("Organizations"), "organizations:list"),
    NavItem("fora", _("Fora"), "fora"),
    NavItem("burden", _("Representation burden"), "burden"),
    NavItem("funding", _("Funding"), "funding_explorer"),
    NavItem("search", _("Search"), "search:search"),
)


def _page_section(page: Page) -> str | None:
    """The navigation section a Wagtail page belongs to, from its type (no query)."""
    from consultations.models import (
        ConsultationRoundPage,
        PolicyIndexPage,
        PolicyPage,
        PolicyVersionPage,
        PositionIndexPage,
        PositionPage,
    )

    if isinstance(page, PolicyIndexPage | PolicyPage | PolicyVersionPage | ConsultationRoundPage):
        return "policies"
    if isinstance(page, PositionIndexPage | PositionPage):
        return "positions"
    return None


@register.inclusion_tag("concertation/_main_navigation.html", takes_context=True)
def main_navigation(context) -> dict:
    """The main navigation, the current section marked: `aria-current="page"` on the
    page the link leads to, `"true"` anywhere below it."""
    request = context.get("request")
    path = request.path if request is not None else ""
    page = context.get("page")
    section = _page_section(page) if isinstance(page, Page) else None
    items = []
    best = None
    for item in MAIN_NAVIGATION:
        url = reverse(item.url_name)
        entry = {"key": item.key, "label": item.label, "url": url, "current": None}
        items.append(entry)
        if item.key == section or (
            section is None
            and path.startswith(url)
            and (best is None or len(url) > len(best["url"]))
        ):
            best = entry
    if best is not None:
        best["current"] = "page" if best["url"] == path else "true"
    return {"items": items}


@register.inclusion_tag("concertation/_breadcrumbs.html", takes_context=True)
def page_breadcrumbs(context, page: Page, current: str = "") -> dict:
    """A Wagtail page's trail: the home page, its ancestors below it, and the page.

    On one of the page's own routes (a policy's comparison, a round's brief form) the
    page is a link too and `current` names the route's page; the page is otherwise the
    current item."""
    request = context.get("request")
    ancestors = list(page.get_ancestors().filter(depth__gt=2).live())
    trail = [{"label": a.title, "url": a.get_url(request)} for a in ancestors]
    page_url = page.get_url(request)
    on_route = (
        request is not None
        and page_url is not None
        and request.path != page_url
        and request.path.startswith(page_url)
    )
    if current or on_route:
        trail.append({"label": page.title, "url": page_url})
        if current:
            trail.append({"label": current, "url": None})
    else:
        trail.append({"label": page.title, "url": None})
    return {"trail": trail}


@register.inclusion_tag("concertation/_breadcrumbs.html")
def breadcrumbs(*steps) -> dict:
    """A Django view's trail after the home page: label, URL pairs, then the current
    page's label — `{% breadcrumbs _("Organizations") list_url organization.name %}`."""
    *links, current = steps
    pairs = zip(links[::2], links[1::2], strict=True)
    trail = [{"label": label, "url": url} for label, url in pairs]
    trail.append({"label": current, "url": None})
    return {"trail": trail}
