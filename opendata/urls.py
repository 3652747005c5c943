"""`/api/v1/`: mounted by the site outside the language prefixes (the language comes
from `lang=` or `Accept-Language`); one list and one record URL per registered resource."""

from django.urls import URLPattern, path, register_converter

from . import policies, popolo, views
from .downloads import views as downloads
from .resources import registry


class AnyRecordId:
    """A record's id in a path, any segment matching: one that is not a whole number is
    no record's (0), so the view answers its JSON 404 naming `id` rather than the site's
    HTML page (schemathesis found `/api/v1/fora/abc/` answered in HTML)."""

    regex = "[^/]+"

    def to_python(self, value: str) -> int:
        return int(value) if value.isascii() and value.isdigit() else 0

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(AnyRecordId, "record_id")


def resource_patterns() -> list[URLPattern]:
    patterns = []
    for resource in registry:
        listing, detail = views.resource_views(resource)
        patterns += [
            path(f"{resource.name}/", listing.as_view(), name=f"{resource.name}-list"),
            path(
                f"{resource.name}/<record_id:id>/", detail.as_view(), name=f"{resource.name}-detail"
            ),
        ]
    return patterns


app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("openapi.json", views.openapi_json, name="openapi"),
    *resource_patterns(),
    path(
        "policy-versions/<record_id:id>/diff/",
        policies.VersionDiff.as_view(),
        name="policy-versions-diff",
    ),
    # One Popolo document, not a resource (no pages, no records): docs/api.md, "Popolo".
    path("popolo/fora.json", popolo.PopoloFora.as_view(), name="popolo-fora"),
    # The nightly bulk downloads (opendata.downloads): their page, and each file.
    path("downloads/", downloads.page, name="downloads"),
    path("downloads/<str:name>", downloads.download, name="download"),
]
