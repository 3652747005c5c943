"""Subscribing, confirming, managing follows and the one-click unsubscribe; paths
translated like the rest of the site (French under /fr/)."""

from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

urlpatterns = [
    path(pgettext_lazy("URL", "follows/follow/"), views.follow, name="follows_follow"),
    path(pgettext_lazy("URL", "follows/unfollow/"), views.unfollow, name="follows_unfollow"),
    path(
        pgettext_lazy("URL", "follows/check-your-inbox/"),
        views.check_inbox,
        name="follows_check_inbox",
    ),
    path(
        pgettext_lazy("URL", "follows/confirm/<str:token>/"),
        views.confirm,
        name="follows_confirm",
    ),
    path(
        pgettext_lazy("URL", "follows/manage/<str:token>/"),
        views.manage,
        name="follows_manage",
    ),
    path(
        pgettext_lazy("URL", "follows/unsubscribe/<str:token>/"),
        views.unsubscribe,
        name="follows_unsubscribe",
    ),
    path(pgettext_lazy("URL", "account/follows/"), views.account_follows, name="follows_account"),
]
