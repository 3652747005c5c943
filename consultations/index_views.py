"""The consultations' entries in the main navigation: the rounds open now, and the
policies' and positions' indexes in the visitor's language.

The two indexes are Wagtail pages whose address is their slug; the navigation links to
these fixed URLs, which redirect to them, so that no page of the site spends a query on
its menu.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from wagtail.models import Locale, Page

from .models import PolicyIndexPage, PositionIndexPage
from .round_listings import rounds_open_now


def open_rounds(request: HttpRequest) -> HttpResponse:
    """Every public round taking briefs today: its policy, what it asks, its deadline."""
    return render(
        request,
        "consultations/open_rounds.html",
        {"rounds": rounds_open_now(Locale.get_active())},
    )


def _index(model: type[Page], request: HttpRequest) -> HttpResponse:
    """The live, public index page of `model` in the active language (else any)."""
    locale = Locale.get_active()
    pages = list(model.objects.live().public().order_by("depth", "pk"))
    chosen = next((p for p in pages if p.locale_id == locale.pk), pages[0] if pages else None)
    if chosen is None:
        raise Http404
    return redirect(chosen.get_url(request))


def policies(request: HttpRequest) -> HttpResponse:
    return _index(PolicyIndexPage, request)


def positions(request: HttpRequest) -> HttpResponse:
    return _index(PositionIndexPage, request)
