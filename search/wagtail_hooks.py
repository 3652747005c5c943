"""Admin entries of the search app: the "Search index failures" report."""

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import URL_NAME, IndexFailuresView, user_may_see_failures


class IndexFailuresMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return user_may_see_failures(request.user)


@hooks.register("register_admin_urls")
def register_index_failures_url() -> list:
    return [path("search/failures/", IndexFailuresView.as_view(), name=URL_NAME)]


@hooks.register("register_reports_menu_item")
def register_index_failures_menu_item() -> MenuItem:
    return IndexFailuresMenuItem(
        _("Search index failures"),
        reverse(URL_NAME),
        name="search-index-failures",
        icon_name="warning",
    )
