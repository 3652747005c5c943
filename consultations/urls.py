"""The consultations' addresses outside the page tree (Wagtail serves the rest); their
paths are translated (French under /fr/)."""

from django.urls import path
from django.utils.translation import pgettext_lazy

from . import index_views

urlpatterns = [
    path(pgettext_lazy("URL", "consultations/open/"), index_views.open_rounds, name="open_rounds"),
    path(pgettext_lazy("URL", "consultations/policies/"), index_views.policies, name="policies"),
    path(pgettext_lazy("URL", "consultations/positions/"), index_views.positions, name="positions"),
]
