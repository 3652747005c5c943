"""The follow targets' vocabulary, shared by follows (`Follow.target`) and happenings
(`HappeningTarget.target`): a record, a listing or a saved search, each as a short key.
"""

import hashlib
from urllib.parse import urlencode

from django.http import QueryDict

from search.query import ArchiveQuery

# Record kind of a target → the model followed ("app_label.ModelName").
RECORD_KINDS: dict[str, str] = {
    "policy": "consultations.PolicyPage",
    "round": "consultations.ConsultationRoundPage",
    "organization": "organizations.Organization",
    "forum": "fora.Forum",
    "programme": "funding.Programme",
}

# The archive query's parameters a saved search keeps: what it finds, not which page of
# it or which facet counts were shown.
SAVED_SEARCH_IGNORES = ("page", "size", "facet", "sort")


def record_target(kind: str, pk: object) -> str:
    if kind not in RECORD_KINDS:
        raise ValueError(f"Not a followable record kind: {kind!r}")
    return f"{kind}:{pk}"


def listing_target(name: str) -> str:
    return f"listing:{name}"


def canonical_query(params: QueryDict) -> str:
    """The query string of a saved search: its parameters read through the archive
    search's form (a refused one raises `InvalidParameters` naming it), without paging
    or sorting, in a fixed order, so the same search saved twice is one follow."""
    params = params.copy()
    for name in SAVED_SEARCH_IGNORES:
        params.pop(name, None)
    ArchiveQuery.from_params(params)
    pairs = sorted((name, value) for name in params for value in params.getlist(name) if value)
    return urlencode(pairs)


def saved_search_target(query: str) -> str:
    """The target of a saved search's canonical query string."""
    return "search:" + hashlib.sha256(query.encode()).hexdigest()
