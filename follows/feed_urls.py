"""The Atom feeds' addresses (`follows.feeds`), translated like the rest of the site:
one a public listing under `feeds/`, and the saved search's beside the search page."""

from django.urls import path
from django.utils.translation import pgettext_lazy

from . import feeds

urlpatterns = [
    path(
        pgettext_lazy("URL", "feeds/policy-versions/"),
        feeds.view("policy_versions"),
        name="follows_feed_policy_versions",
    ),
    path(pgettext_lazy("URL", "feeds/rounds/"), feeds.view("rounds"), name="follows_feed_rounds"),
    path(
        pgettext_lazy("URL", "feeds/open-rounds/"),
        feeds.view("open_rounds"),
        name="follows_feed_open_rounds",
    ),
    path(
        pgettext_lazy("URL", "feeds/reports/"), feeds.view("reports"), name="follows_feed_reports"
    ),
    path(
        pgettext_lazy("URL", "feeds/positions/"),
        feeds.view("new_positions"),
        name="follows_feed_new_positions",
    ),
    path(
        pgettext_lazy("URL", "feeds/organizations/"),
        feeds.view("organizations"),
        name="follows_feed_organizations",
    ),
    path(
        pgettext_lazy("URL", "feeds/meetings/"),
        feeds.view("meetings"),
        name="follows_feed_meetings",
    ),
    path(
        pgettext_lazy("URL", "feeds/seats/"),
        feeds.view("seat_changes"),
        name="follows_feed_seat_changes",
    ),
    path(
        pgettext_lazy("URL", "feeds/allocations/"),
        feeds.view("allocations"),
        name="follows_feed_allocations",
    ),
    path(pgettext_lazy("URL", "search/feed/"), feeds.saved_search_feed, name="follows_feed_search"),
]
