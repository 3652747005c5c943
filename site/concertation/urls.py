from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.utils.translation import pgettext_lazy
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from search.urls import api_urlpatterns as search_api_urlpatterns

from .document_serving import serve_document
from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # A few admin screens kept to what the user may see, in place of Wagtail's own.
    path("admin/", include("consultations.position_admin")),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document download, after the permission check, without its literal
    # "Content-Encoding: None" (concertation/document_serving.py).
    path(
        "documents/<int:document_id>/<str:document_filename>",
        serve_document,
        name="wagtaildocs_serve",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/search/", include(search_api_urlpatterns)),
    # The open-data API: the language from `lang=` or Accept-Language (docs/api.md).
    path("api/v1/", include("opendata.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += staticfiles_urlpatterns()
    # Only Wagtail's image renditions (staff uploads, public by design): every other
    # stored file, briefs' above all, is read through the documents view and its check.
    urlpatterns += [
        re_path(r"^media/(?P<path>images/.+)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]

# Public pages in the visitor's language: English at /, French under /fr/.
urlpatterns += i18n_patterns(
    path("search/", include("search.urls")),
    # The contributors' sign-in and page (the Wagtail admin's login stays the staff's).
    path("", include("concertation.contributors")),
    # Follows, e-mail subscriptions and the Atom feeds.
    path("", include("follows.urls")),
    # The rounds open now, and the navigation's entries to the policies and positions.
    path("", include("consultations.urls")),
    path(
        pgettext_lazy("URL", "accessibility/"),
        TemplateView.as_view(template_name="concertation/accessibility.html"),
        name="accessibility",
    ),
    # Fora, seats and the burden; before the catalogue, whose profile URLs it extends.
    path("", include("consultations.fora.urls")),
    # Funding; before the catalogue too, for `organizations/<slug>/funding/`.
    path("", include("organizations.funding.urls")),
    path("organizations/", include("organizations.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
