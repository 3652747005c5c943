"""Atom 1.0 feeds of every public listing and of any saved search, in the visitor's
language (English at /feeds/…, French under /fr/), with Django's syndication framework.

Each entry's id is a tag URI naming the record's subject key
(`tag:<host>,2026:policy_version:41`), not its title or address, so a feed reader never
sees an entry twice when a title changes; the host is `WAGTAILADMIN_BASE_URL`'s, not the
request's, so the ids are the same whichever address the feed is read at. A feed lists
only what anyone may read (`follows.feed_entries`; a saved search runs as an anonymous
visitor), at most `FEED_SIZE` entries, in a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import unquote_plus, urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.feedgenerator import Atom1Feed
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from concertation.parameters import refuses_parameters
from concertation.ratelimits import rate_limited
from search.query import ArchiveQuery
from search.results import SearchHit
from search.service import search_archive

from . import feed_entries
from .feed_entries import FEED_SIZE, Entry, moment
from .models import Follow
from .targets import SAVED_SEARCH_IGNORES, canonical_query, saved_search_target

# The year in the entries' tag URIs (RFC 4151): when this site began minting them.
TAG_YEAR = 2026


def tag_uri(key: str) -> str:
    """The permanent id of `key` (a record's subject key, or a feed's name)."""
    host = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"
    return f"tag:{host},{TAG_YEAR}:{key}"


@dataclass(frozen=True)
class Built:
    """A feed's entries and addresses, read once per request (a `Feed` instance is
    shared by every request: nothing of one may be kept on it)."""

    entries: list[Entry]
    self_url: str
    link: str
    guid: str


class EntriesFeed(Feed):
    """A feed of `Entry` rows: subclasses give the title, the page it follows and the
    entries."""

    feed_type = Atom1Feed
    author_name = "Concertation"
    # The feed's name: its URL is `follows_feed_<name>`, its id names it too.
    name: str = ""
    heading: str | Promise = ""
    about: str | Promise = ""
    # The URL name of the public page the feed follows.
    page: str = ""

    def entries(self, request: HttpRequest) -> list[Entry]:
        raise NotImplementedError

    def page_link(self, request: HttpRequest) -> str:
        return reverse(self.page)

    def get_object(self, request: HttpRequest, *args, **kwargs) -> Built:
        return Built(
            entries=self.entries(request),
            self_url=request.get_full_path(),
            link=self.page_link(request),
            guid=tag_uri(self.feed_key(request)),
        )

    def feed_key(self, request: HttpRequest) -> str:
        return f"feed:{self.name}:{request.LANGUAGE_CODE}"

    def title(self, obj: Built) -> str:
        return f"{self.heading} · Concertation"

    def subtitle(self, obj: Built) -> str:
        return str(self.about)

    def link(self, obj: Built) -> str:
        return obj.link

    def feed_url(self, obj: Built) -> str:
        return obj.self_url

    def feed_guid(self, obj: Built) -> str:
        return obj.guid

    def items(self, obj: Built) -> list[Entry]:
        return obj.entries

    def item_title(self, item: Entry) -> str:
        # Atom titles are text: the generator escapes them (no double escaping as RSS).
        return item.title

    def item_description(self, item: Entry) -> str:
        # An Atom summary of type "html": plain text escaped, passages kept as marked.
        return conditional_escape(item.summary)

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_guid(self, item: Entry) -> str:
        return tag_uri(item.key)

    def item_guid_is_permalink(self, item: Entry) -> bool:
        return False

    def item_pubdate(self, item: Entry):
        return item.published

    def item_updateddate(self, item: Entry):
        return item.updated


def listing_feed(
    name: str, heading: Promise, about: Promise, page: str, read: Callable[[HttpRequest], list]
) -> type[EntriesFeed]:
    return type(
        f"{name.title().replace('_', '')}Feed",
        (EntriesFeed,),
        {
            "name": name,
            "heading": heading,
            "about": about,
            "page": page,
            "entries": lambda self, request: read(request),
        },
    )


# Listing name → its feed. The names of `follows.models.Listing` are among them, so a
# follow of a listing has its feed (`feed_url`).
LISTING_FEEDS: dict[str, type[EntriesFeed]] = {
    feed.name: feed
    for feed in [
        listing_feed(
            "policy_versions",
            _("Policy versions released"),
            _("Each policy version made public, the latest first."),
            "policies",
            feed_entries.policy_versions,
        ),
        listing_feed(
            "rounds",
            _("Consultation rounds"),
            _("Each consultation round once opened, with its state, the latest first."),
            "policies",
            feed_entries.rounds,
        ),
        listing_feed(
            "open_rounds",
            _("Rounds open now"),
            _("The consultations taking briefs today, the nearest deadline first."),
            "open_rounds",
            feed_entries.open_rounds,
        ),
        listing_feed(
            "reports",
            _("Reports and government responses"),
            _("Each consultation's report and the government's response, the latest first."),
            "policies",
            feed_entries.reports,
        ),
        listing_feed(
            "new_positions",
            _("Positions"),
            _("Organizations' published positions, the latest first."),
            "positions",
            feed_entries.positions,
        ),
        listing_feed(
            "organizations",
            _("Organizations newly listed"),
            _("Organizations added to the catalogue, the latest first."),
            "organizations:list",
            feed_entries.organizations,
        ),
        listing_feed(
            "meetings",
            _("Fora's meetings"),
            _("The meetings of the fora where the sector sits, the latest first."),
            "fora",
            feed_entries.meetings,
        ),
        listing_feed(
            "seat_changes",
            _("Seat changes"),
            _("Who took which seat of which forum, the latest first."),
            "fora",
            feed_entries.seat_changes,
        ),
        listing_feed(
            "allocations",
            _("Funding allocations published"),
            _("Published funding allocations, the latest recorded first."),
            "funding_explorer",
            feed_entries.allocations,
        ),
    ]
}


def saved_search_query(params: QueryDict) -> ArchiveQuery:
    """The archive query of a saved search's parameters, as an anonymous visitor (public
    records only), the newest first, the first `FEED_SIZE` results, no facet counts.
    Paging and sorting parameters are not the search's (`SAVED_SEARCH_IGNORES`); any
    other is read by the archive search's form, which refuses a bad one naming it."""
    params = params.copy()
    for name in SAVED_SEARCH_IGNORES:
        params.pop(name, None)
    return replace(
        ArchiveQuery.from_params(params),
        sort="-date",
        page=1,
        size=FEED_SIZE,
        facets=(),
        readers=(),
    )


def _hit_entry(hit: SearchHit) -> Entry:
    when = None
    if hit.date:
        when = parse_datetime(hit.date) or moment(parse_date(hit.date[:10]))
    return Entry(
        key=f"{hit.kind}:{hit.object_id}",
        title=hit.title,
        link=hit.url,
        # The passages that matched: HTML, the words found in <mark> (escaped text).
        summary=mark_safe(" … ".join(conditional_escape(passage) for passage in hit.highlights)),
        published=when,
        updated=when or timezone.now(),
    )


class SavedSearchFeed(EntriesFeed):
    """The newest public records matching an archive query (`/search/feed/?q=…`), from
    Elasticsearch or the database fallback, whichever the search service answers from."""

    name = "search"
    heading = _("Search")
    page = "search:search"

    def entries(self, request: HttpRequest) -> list[Entry]:
        results = search_archive(saved_search_query(request.GET))
        return [_hit_entry(hit) for hit in results.hits if not hit.restricted]

    def page_link(self, request: HttpRequest) -> str:
        query = canonical_query(request.GET)
        return reverse(self.page) + (f"?{query}" if query else "")

    def feed_key(self, request: HttpRequest) -> str:
        target = saved_search_target(canonical_query(request.GET))
        return f"feed:{target}:{request.LANGUAGE_CODE}"

    def title(self, obj: Built) -> str:
        asked = Truncator(unquote_plus(obj.link.partition("?")[2])).chars(100)
        return f"{_('Search')}: {asked or _('everything')} · Concertation"


# A feed reader polls: it counts with the search API, whose engine query it runs.
saved_search_feed = rate_limited("search-api")(refuses_parameters(as_text=True)(SavedSearchFeed()))


def view(name: str) -> Callable[..., HttpResponse]:
    return LISTING_FEEDS[name]()


def feed_url(target: str, *, query: str = "", absolute: bool = False) -> str | None:
    """The Atom feed of a follow target, in the active language: a listing's
    (`listing:open_rounds`), or a saved search's (`search:<hash>`, whose canonical query
    string is `query`, else read from a follow of it: one query); None for a record or
    an unknown listing. A path on this site, or an address on `WAGTAILADMIN_BASE_URL`
    with `absolute` (an e-mail)."""
    kind, _separator, name = target.partition(":")
    if kind == "listing" and name in LISTING_FEEDS:
        url = reverse(f"follows_feed_{name}")
    elif kind == "search":
        if not query:
            query = (
                Follow.objects.filter(target=target).values_list("query", flat=True).first() or ""
            )
        url = reverse("follows_feed_search") + (f"?{query}" if query else "")
    else:
        return None
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url if absolute else url
