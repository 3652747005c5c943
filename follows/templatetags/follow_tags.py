"""The follow control shown on record pages, listings and search results:
`{% follow_control "policy" page %}`, `{% follow_control "listing" "open_rounds" %}`,
`{% follow_control "search" %}` (the current query).

For an anonymous visitor it is a link to the follow form (no form on the page itself, so
the public page stays cacheable and costs no query); for a signed-in reader a one-click
button, and whether they follow it already: one query. Listings and searches also link
to their Atom feed.
"""

from urllib.parse import urlencode

from django import template
from django.db.models import CharField, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from ..feeds import feed_url
from ..models import Follow
from ..services import FollowError, saved_search
from ..targets import RECORD_KINDS, listing_target

register = template.Library()

CALLS = {
    "policy": _("Follow this policy"),
    "round": _("Follow this round"),
    "organization": _("Follow this organization"),
    "forum": _("Follow this forum"),
    "programme": _("Follow this programme"),
    "open_rounds": _("Follow the rounds as they open"),
    "new_positions": _("Follow new positions"),
    "search": _("Follow this search"),
}


def _followed(user, kind: str, record) -> bool:
    follows = Follow.objects.filter(subscriber__user_id=user.pk)
    if kind in ("policy", "round") and isinstance(record, Page):
        # A page is followed as its record: its translation group's first page.
        first = (
            Page.objects.filter(translation_key=record.translation_key)
            .order_by("pk")
            .values("pk")[:1]
        )
        key = Concat(Value(f"{kind}:"), Cast(Subquery(first), CharField()))
        return follows.filter(target=key).exists()
    return follows.filter(target=f"{kind}:{record.pk}").exists()


@register.inclusion_tag("follows/_follow.html", takes_context=True)
def follow_control(context, kind: str, subject=None) -> dict:
    request = context.get("request")
    if request is None:
        return {"show": False}
    user = request.user
    query = ""
    if kind in RECORD_KINDS:
        if subject is None or subject.pk is None:
            return {"show": False}
        target = f"{kind}:{subject.pk}"
        call = CALLS[kind]
    elif kind == "listing":
        target, call = listing_target(subject), CALLS.get(subject, "")
    elif kind == "search":
        try:
            search = saved_search(request.GET)
        except FollowError:
            return {"show": False}
        target, query, call = "search", search.query, CALLS["search"]
    else:
        return {"show": False}
    back = request.get_full_path()
    following = False
    if user.is_authenticated:
        if kind in RECORD_KINDS:
            following = _followed(user, kind, subject)
        else:
            checked = search.target if kind == "search" else target
            following = Follow.objects.filter(subscriber__user_id=user.pk, target=checked).exists()
    # Listings and searches have an Atom feed too (follows.feeds).
    feed = None
    if kind == "listing":
        feed = feed_url(target)
    elif kind == "search":
        feed = feed_url(search.target, query=query)
    return {
        "show": True,
        "feed": feed,
        "signed_in": user.is_authenticated,
        "following": following,
        "call": call,
        "target": target,
        "followed_target": search.target if kind == "search" else "",
        "query": query,
        "back": back,
        "csrf_token": context.get("csrf_token"),
        "form_url": reverse("follows_follow")
        + "?"
        + urlencode({"target": target, **({"query": query} if query else {}), "next": back}),
    }
