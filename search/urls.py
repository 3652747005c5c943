from django.urls import path

from . import api, export, views

app_name = "search"

urlpatterns = [path("", views.search_page, name="search")]

# Mounted at /api/search/, outside the language prefixes (site URLconf); described by
# drf-spectacular under this namespace (search.openapi).
api_urlpatterns = (
    [
        path("", api.SearchAPI.as_view(), name="api"),
        path("openapi.json", api.openapi_json, name="openapi"),
        path("export.csv", export.CsvExport.as_view(), name="export-csv"),
        path("export.json", export.JsonExport.as_view(), name="export-json"),
    ],
    "search_api",
)
