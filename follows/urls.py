"""The follows' public addresses, in the visitor's language (under `/fr/` in French):
subscribing and managing follows, the one-click unsubscribe, and the Atom feeds."""

from django.urls import include, path

urlpatterns = [
    path("", include("follows.subscription_urls")),
    path("", include("follows.feed_urls")),
]
