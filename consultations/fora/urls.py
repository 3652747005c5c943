"""Public URLs of the fora and the representation burden (mounted in the visitor's
language, so each also answers under /fr/).

The URL names are global rather than namespaced: `Forum.get_absolute_url` reverses
"forum". `organizations/<slug>/seats/` is mounted before the organization catalogue's
URLs, so no profile pattern can shadow it.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("fora/", views.forum_list, name="fora"),
    path("fora/<slug:slug>/", views.forum_detail, name="forum"),
    path(
        "organizations/<slug:slug>/seats/",
        views.organization_seats,
        name="organization_seats",
    ),
    path("burden/", views.burden_dashboard, name="burden"),
    path("burden/export.csv", views.burden_export, name="burden_export"),
]
