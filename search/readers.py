"""Who may read a restricted search document, and who a visitor is, in the same words.

A public document is stored with `visibility: public`. A restricted one (a page behind a
view restriction, a brief its round does not publish yet) is stored with
`visibility: restricted` and `readers`: tokens naming who may read it, such as
`group:12` (a member of the group), `login` (anyone signed in), `org:7` (an editor of
organization 7) or `round:40` (a steward of round 40). At query time the visitor's own
tokens (`principals`) are matched against them: the query filter is "public, or one of
my tokens is a reader", so nothing ever ships a list of allowed record ids, and grants
given or taken back apply at the next query without re-indexing.

Each app contributes the tokens its own permissions give a user (`principal_source`).
"""

from collections.abc import Callable, Iterable
from typing import Any

from wagtail.models import Page, PageViewRestriction

# Every restricted document names them: a superuser passes every restriction of the
# site but a password (Wagtail asks superusers for it too).
SUPERUSER = "superuser"
SIGNED_IN = "login"

PrincipalSource = Callable[[Any], Iterable[str]]
_sources: list[PrincipalSource] = []


def principal_source(source: PrincipalSource) -> PrincipalSource:
    """Decorator: `source(user)` gives the reader tokens an app's permissions grant to a
    signed-in, active user who is not a superuser."""
    _sources.append(source)
    return source


def principals(user: Any) -> tuple[str, ...]:
    """The reader tokens of `user`: none for an anonymous or inactive visitor, who reads
    public documents only."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    tokens = [SIGNED_IN, f"user:{user.pk}"]
    tokens += [f"group:{pk}" for pk in user.groups.values_list("pk", flat=True)]
    if user.is_superuser:
        # Every restricted document a superuser may read names `superuser`: the apps'
        # per-object tokens (every organization, every round…) would add nothing.
        tokens.append(SUPERUSER)
    else:
        for source in _sources:
            tokens.extend(source(user))
    return tuple(dict.fromkeys(tokens))


def may_read(readers: list[str] | None, tokens: Iterable[str]) -> bool:
    """Whether a document with these `readers` (None: public) is for a visitor with these
    tokens — the query filter's rule, for the database fallback."""
    return readers is None or bool(set(readers) & set(tokens))


def view_restrictions_of(pages: Iterable[Page]) -> dict[str, list[PageViewRestriction]]:
    """The view restrictions that apply to each page (on it or on an ancestor), by path,
    in two queries whatever the number of pages."""
    paths = {page.path for page in pages}
    prefixes = {
        path[:length]
        for path in paths
        for length in range(Page.steplen, len(path) + 1, Page.steplen)
    }
    if not prefixes:
        return {}
    restrictions = list(
        PageViewRestriction.objects.filter(page__path__in=prefixes)
        .select_related("page")
        .prefetch_related("groups")
    )
    return {path: [r for r in restrictions if path.startswith(r.page.path)] for path in paths}


def page_readers(restrictions: list[PageViewRestriction]) -> list[str] | None:
    """The readers of a page under `restrictions` (None: no restriction, public).

    A visitor must pass every restriction. "Signed in" is passed by any member of a
    group, so a groups restriction narrows it; two groups restrictions are passed only
    by a member of one group of each, which tokens cannot say, so only the groups named
    by both are kept: never more than may read it, sometimes fewer. A password cannot
    be checked by the search: only its readers' empty list, so no one finds the page.
    """
    if not restrictions:
        return None
    if any(r.restriction_type == PageViewRestriction.PASSWORD for r in restrictions):
        return []
    groups: set[str] | None = None
    for restriction in restrictions:
        if restriction.restriction_type == PageViewRestriction.GROUPS:
            named = {f"group:{group.pk}" for group in restriction.groups.all()}
            groups = named if groups is None else groups & named
    readers = [SIGNED_IN] if groups is None else sorted(groups)
    return [SUPERUSER, *readers]


def cached_view_restrictions(instance: Any, page: Page) -> list[PageViewRestriction]:
    """The restrictions of `page`, from the ones `attach_view_restrictions` put on
    `instance` for its whole chunk, or read now (a single record)."""
    cached = getattr(instance, "_search_view_restrictions", None)
    if cached is not None:
        return cached
    return view_restrictions_of([page]).get(page.path, [])


def attach_view_restrictions(instances: list[Any], page_of: Callable[[Any], Page]) -> None:
    """Read the restrictions of every instance's page (`page_of`) at once, for
    `cached_view_restrictions`."""
    by_path = view_restrictions_of(page_of(instance) for instance in instances)
    for instance in instances:
        instance._search_view_restrictions = by_path.get(page_of(instance).path, [])
