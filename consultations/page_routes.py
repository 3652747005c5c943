"""The views that answer a page model's own routes (`RoutablePageMixin`).

Wagtail serves a page's sub-URLs (a round's submission form, a policy's comparison of
versions) through methods of the page model, but a model must not import views: views
import models, forms and services, and the model would close an import circle through
them (import-linter enforces it, see `[tool.importlinter]` in pyproject.toml). So each
route method asks this registry for its view by name, and
`ConsultationsConfig.ready()` fills it from `consultations.views`.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

PageView = Callable[..., HttpResponse]

_views: dict[str, PageView] = {}


def register(name: str, view: PageView) -> None:
    """Name the view that answers a page route; done once, when the app is ready."""
    _views[name] = view


def answer(name: str, request: HttpRequest, page: Any, *args: Any, **kwargs: Any) -> HttpResponse:
    """The response of the view registered under `name`, called with the page."""
    return _views[name](request, page, *args, **kwargs)
