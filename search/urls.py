from django.urls import path

from . import api, export, views

app_name = "search"

urlpatterns = [path("", views.search_page, name="search")]

# Mounted at /api/search/, outside the language prefixes (site URLconf).
api_urlpatterns = (
    [
        path("", api.search_api, name="api"),
        path("openapi.json", api.openapi_json, name="openapi"),
        path("export.csv", export.export, {"fmt": "csv"}, name="export-csv"),
        path("export.json", export.export, {"fmt": "json"}, name="export-json"),
    ],
    "search_api",
)
