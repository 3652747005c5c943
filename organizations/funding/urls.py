"""Public URLs of funding (mounted in the visitor's language, so each also answers under
/fr/).

The URL names are global rather than namespaced: `Programme.get_absolute_url` reverses
"funding_explorer". `organizations/<slug>/funding/` is mounted before the organization
catalogue's URLs, so no profile pattern can shadow it.
"""

from django.urls import path

from . import giving360_views, views

urlpatterns = [
    path(
        "organizations/<slug:slug>/funding/",
        views.organization_funding,
        name="organization_funding",
    ),
    path("funding/", views.funding_explorer, name="funding_explorer"),
    path(
        "funding/new-and-moved/",
        views.new_and_moved,
        name="funding_new_and_moved",
    ),
    path("funding/export.csv", views.funding_export, name="funding_export_csv"),
    # Open data in the 360Giving standard: published allocations only, for everyone.
    path("funding/360giving.json", giving360_views.package_json, name="funding_360giving_json"),
    path("funding/360giving.xlsx", giving360_views.package_xlsx, name="funding_360giving_xlsx"),
]
