"""The public archive search page."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from concertation.parameters import refuses_parameters

from .forms import FACETS, MAX_RESULT_WINDOW, SORTS
from .query import ArchiveQuery
from .registry import registry
from .results import FacetBucket
from .service import search_archive


def facet_labels() -> dict[str, str]:
    """The visitor-facing name of each facet (translated on each request)."""
    labels = {
        "kind": _("Kind of record"),
        "sector": _("Sector"),
        "region": _("Region"),
        "constituency": _("Constituency"),
        "year": _("Year"),
        "policy": _("Policy"),
        "organization": _("Organization"),
        "language": _("Language"),
    }
    return {name: labels[name] for name in FACETS}


def kind_labels() -> dict[str, str]:
    """The visitor-facing, translated name of each kind of search result (a part of a
    record, such as a policy section, included), in the active language."""
    labels: dict[str, str] = {}
    for searchable in registry:
        labels.setdefault(searchable.kind, str(searchable.label))
        if searchable.part_kind:
            labels.setdefault(searchable.part_kind, str(searchable.part_label or searchable.label))
    return labels


def sort_labels() -> dict[str, str]:
    labels = {"relevance": _("Relevance"), "date": _("Oldest first"), "-date": _("Newest first")}
    return {name: labels[name] for name in SORTS}


def page_context(request: HttpRequest) -> dict:
    """What the page shows whatever the parameters (the form, and a refusal's message)."""
    return {
        "kinds": registry.kinds(),
        "params": request.GET,
        "facet_labels": facet_labels(),
        "sort_labels": sort_labels(),
        "max_result_window": MAX_RESULT_WINDOW,
    }


@dataclass(frozen=True)
class FacetLink:
    """One value of a facet as the page lists it: a link adding it to the filters, or
    removing it when already there (`selected`)."""

    label: str
    count: int
    # The query string of the link (back to the first page, whose results change).
    query: str
    selected: bool


@dataclass(frozen=True)
class FacetGroup:
    name: str
    label: str
    links: list[FacetLink]


def facet_groups(params: QueryDict, facets: dict[str, list[FacetBucket]]) -> list[FacetGroup]:
    """The facets with a link per value, built in one pass: a page lists up to ~200 of
    them, and a template tag copying the `QueryDict` for each took a third of the page's
    time."""
    base = {name: params.getlist(name) for name in params if name != "page"}
    labels = facet_labels()
    kinds = kind_labels()
    groups = []
    for name, buckets in facets.items():
        chosen = base.get(name, [])
        links = []
        for bucket in buckets:
            value = str(bucket.value)
            selected = value in chosen
            values = [v for v in chosen if v != value] if selected else [*chosen, value]
            changed = {**base, name: values}
            links.append(
                FacetLink(
                    label=kinds.get(value, value) if name == "kind" else value,
                    count=bucket.count,
                    query=urlencode([(key, v) for key, vs in changed.items() for v in vs]),
                    selected=selected,
                )
            )
        if links:
            groups.append(FacetGroup(name=name, label=labels[name], links=links))
    return groups


@refuses_parameters(template="search/search.html", context=page_context)
def search_page(request: HttpRequest) -> HttpResponse:
    query = ArchiveQuery.from_request(request)
    context = {**page_context(request), "query": query}
    if not query.is_empty:
        results = search_archive(query)
        context["results"] = results
        context["facet_groups"] = facet_groups(request.GET, results.facets or {})
        context["kind_labels"] = kind_labels()
    return render(request, "search/search.html", context)
