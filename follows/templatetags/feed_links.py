"""`{% feed_links %}` in the <head> of every page (base.html): the
`<link rel="alternate" type="application/atom+xml">` of the feeds of the listing shown,
found from the view's URL name or the Wagtail page's type, so that no listing template
names its feeds and a feed reader pointed at a listing finds them. No query.
"""

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from concertation.parameters import ParameterError

from ..feeds import LISTING_FEEDS
from ..targets import canonical_query

register = template.Library()

# A view's URL name → the feeds of what it lists.
VIEW_FEEDS: dict[str, tuple[str, ...]] = {
    "open_rounds": ("open_rounds",),
    "fora": ("meetings", "seat_changes"),
    "funding_explorer": ("allocations",),
    "organizations:list": ("organizations",),
}
# A Wagtail page's model → the feeds of what it lists.
PAGE_FEEDS: dict[str, tuple[str, ...]] = {
    "concertation.homepage": ("open_rounds", "policy_versions", "reports"),
    "consultations.policyindexpage": ("policy_versions", "rounds", "reports"),
    "consultations.positionindexpage": ("new_positions",),
}


def _search_feed(params: QueryDict) -> dict | None:
    """The feed of the search shown, unless it asks for nothing or is refused."""
    try:
        query = canonical_query(params)
    except ParameterError:
        return None
    if not query:
        return None
    return {"title": _("This search"), "url": reverse("follows_feed_search") + f"?{query}"}


@register.inclusion_tag("follows/feeds/links.html", takes_context=True)
def feed_links(context: template.Context) -> dict:
    request = context.get("request")
    page = context.get("page")
    match = getattr(request, "resolver_match", None)
    names: tuple[str, ...] = ()
    links: list[dict] = []
    if match is not None and match.view_name in VIEW_FEEDS:
        names = VIEW_FEEDS[match.view_name]
    elif match is not None and match.view_name == "search:search":
        found = _search_feed(request.GET)
        links = [found] if found else []
    elif page is not None and hasattr(page, "_meta"):
        names = PAGE_FEEDS.get(page._meta.label_lower, ())
    links += [
        {"title": LISTING_FEEDS[name].heading, "url": reverse(f"follows_feed_{name}")}
        for name in names
    ]
    return {"links": links}
