"""The public directory: query-string parameters in, a page of organizations and the
facet counts out.

The parameters are read through `organizations.forms.DirectoryParameters` (anything else
in the query string is ignored), and a bad value is refused with `InvalidParameters`
naming the parameter (answered 400), never a 500 and never a silently empty page; an
unknown taxonomy code or a page past the last is refused the same way when the query
runs.

Facets may be repeated (`?sector=housing&sector=child-care`): values of one facet are
alternatives (OR), facets combine (AND). A taxonomy term also selects its children — a
sector its sub-sectors, a province its administrative regions — because a visitor who
asks for "health and social services" or "Quebec" means everything under it. A region
matches an organization's head office or any region it serves.

Each facet's counts are computed with every *other* facet applied but not its own, so
the alternatives to a chosen value stay visible with the number of results choosing
them would give. Everything is done with aggregate queries: one per facet, one count,
one page (and the page's sectors), whatever the size of the catalogue. A taxonomy
facet is one GROUP BY over the (organization, term) links of the matching
organizations, each link counted for its term and the term's parent: its cost grows
with the links, not with links × terms as a count per term would. The facets' counts
are the same for every visitor, page number and language: they are kept in the page
cache until the next write (`concertation.page_cache.remember`), so the next pages of a
selection, its other language and signed-in visitors' views of it only count and read
their page.
"""

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Model, Q, QuerySet
from django.db.models.query import RawQuerySet
from django.http import QueryDict
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concertation.page_cache import remember
from concertation.parameters import InvalidParameters, read_parameters

from .forms import (
    CHOICE_FACETS,
    CONSTITUENCY,
    FACETS,
    KIND,
    PAGE,
    PAGE_SIZE,
    RECOGNITION,
    REGION,
    SECTOR,
    TEXT,
    DirectoryParameters,
)
from .models import Constituency, Organization, Region, Sector

FACET_LABELS = {
    KIND: gettext_lazy("Kind"),
    SECTOR: gettext_lazy("Sector"),
    REGION: gettext_lazy("Region"),
    CONSTITUENCY: gettext_lazy("Constituency"),
    RECOGNITION: gettext_lazy("Recognition status"),
}


def _terms_within(model: type[Model], codes: Sequence[str]) -> QuerySet:
    """The primary keys of the terms with one of the codes and of their children."""
    return model.objects.filter(Q(code__in=codes) | Q(parent__code__in=codes)).values("pk")


def _term_filter(relation: str, model: type[Model], codes: Sequence[str]) -> Q:
    """Organizations classified under one of the codes or under one of their children,
    as a subquery on primary keys so that the outer query never has duplicate rows. The
    terms are found first (a few rows), then the links to them in the relation's own
    table: neither the terms' table nor a second copy of the organizations' is joined."""
    field = Organization._meta.get_field(relation)
    through = field.remote_field.through
    linked = through.objects.filter(
        **{f"{field.m2m_reverse_field_name()}__in": _terms_within(model, codes)}
    )
    return Q(pk__in=linked.values(field.m2m_field_name()))


def _sector_filter(codes: Sequence[str]) -> Q:
    return _term_filter("sectors", Sector, codes)


def _constituency_filter(codes: Sequence[str]) -> Q:
    return _term_filter("constituencies", Constituency, codes)


def _region_filter(codes: Sequence[str]) -> Q:
    head_office = Q(region__in=_terms_within(Region, codes))
    return head_office | _term_filter("regions_served", Region, codes)


@dataclass(frozen=True)
class _Taxonomy:
    """How one taxonomy facet filters organizations and counts them per term: `links`
    names the relations that classify an organization under a term (a foreign key on
    the organization, or a many-to-many field)."""

    model: type[Model]
    filter: Callable[[Sequence[str]], Q]
    links: tuple[str, ...]
    children_by_code: bool = False


TAXONOMIES: Mapping[str, _Taxonomy] = {
    SECTOR: _Taxonomy(Sector, _sector_filter, ("sectors",)),
    # Quebec's administrative regions keep their official order: qc-01 … qc-17.
    REGION: _Taxonomy(Region, _region_filter, ("region", "regions_served"), children_by_code=True),
    CONSTITUENCY: _Taxonomy(Constituency, _constituency_filter, ("constituencies",)),
}

# The terms of one taxonomy, each with the number of matching organizations classified
# under it or under one of its children (two levels: a term's parent has no parent).
# `links` is every (organization, term) pair of the matching organizations; each pair
# counts for its term and for the term's parent, and an organization counts once per
# term however many of its links lead there (the UNION drops duplicate pairs, hashed).
_TERM_COUNTS = """
WITH links (organization, term) AS ({links}),
counted (term, hits) AS (
    SELECT term, COUNT(*) FROM (
        SELECT organization, term FROM links
        UNION
        SELECT links.organization, parent.{parent}
        FROM links JOIN {terms} parent ON parent.{pk} = links.term
        WHERE parent.{parent} IS NOT NULL
    ) expanded
    GROUP BY term
)
SELECT {terms}.*, COALESCE(counted.hits, 0) AS hits
FROM {terms} LEFT JOIN counted ON counted.term = {terms}.{pk}
ORDER BY {terms}.{code}
"""


def _link_select(relation: str, matching: tuple[str, tuple] | None) -> tuple[str, tuple]:
    """SELECT organization, term over one relation, of the matching organizations (all
    when `matching` is None: the SQL and parameters of a query of their primary keys)."""
    quote = connection.ops.quote_name
    field = Organization._meta.get_field(relation)
    if field.many_to_many:
        table = field.remote_field.through._meta.db_table
        organization, term = field.m2m_column_name(), field.m2m_reverse_name()
    else:
        table, organization = Organization._meta.db_table, Organization._meta.pk.column
        term = field.column
    organization, term = quote(organization), quote(term)
    sql = f"SELECT {organization}, {term} FROM {quote(table)} WHERE {term} IS NOT NULL"
    if matching is None:
        return sql, ()
    return f"{sql} AND {organization} IN ({matching[0]})", matching[1]


def _terms_with_hits(taxonomy: _Taxonomy, matching: QuerySet[Organization]) -> RawQuerySet:
    """The taxonomy's terms by code, each with `hits`: one query (`_TERM_COUNTS`)."""
    quote = connection.ops.quote_name
    keys = None
    if matching.query.where:  # filtered: only the links of the matching organizations
        keys = matching.order_by().values("pk").query.sql_with_params()
    selects = [_link_select(relation, keys) for relation in taxonomy.links]
    terms = taxonomy.model._meta
    sql = _TERM_COUNTS.format(
        links=" UNION ALL ".join(select for select, _params in selects),
        terms=quote(terms.db_table),
        pk=quote(terms.pk.column),
        parent=quote(terms.get_field("parent").column),
        code=quote(terms.get_field("code").column),
    )
    params = tuple(param for _select, select_params in selects for param in select_params)
    return taxonomy.model.objects.raw(sql, params)


def _query_key(sql_with_params: tuple[str, Sequence]) -> str:
    """The cache key of a facet's counts: its query, which holds the whole selection."""
    sql, params = sql_with_params
    return f"directory-facet:{sql}:{params!r}"


def _sort_key(text: str) -> str:
    """Sort "Éducation" with the E's, not after Z."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class FacetOption:
    """One value of a facet: how many results choosing it gives, and the link that
    toggles it (adds it to the selection, or removes it when selected)."""

    value: str
    label: str
    count: int
    selected: bool
    querystring: str
    children: tuple["FacetOption", ...] = ()


@dataclass(frozen=True)
class Facet:
    """One facet as the page shows it: its options and the link that drops it."""

    parameter: str
    label: str
    options: tuple[FacetOption, ...]
    selected: tuple[str, ...]
    clear_querystring: str


@dataclass(frozen=True)
class DirectoryResult:
    """A page of organizations (already fetched) and the facets, for the template."""

    query: "DirectoryQuery"
    page: Page
    facets: tuple[Facet, ...]

    @property
    def total(self) -> int:
        return self.page.paginator.count

    def page_querystring(self, number: int) -> str:
        """The link to another page of the same results (filters kept)."""
        return self.query.with_page(number).querystring()

    @property
    def previous_querystring(self) -> str:
        return self.page_querystring(self.page.number - 1) if self.page.has_previous() else ""

    @property
    def next_querystring(self) -> str:
        return self.page_querystring(self.page.number + 1) if self.page.has_next() else ""


@dataclass(frozen=True)
class DirectoryQuery:
    """The directory's parameters, validated and in canonical form (each facet's values
    sorted and without duplicates), so that equal selections give equal URLs."""

    kind: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    constituency: tuple[str, ...] = ()
    recognition: tuple[str, ...] = ()
    text: str = ""
    page: int = 1
    page_size: int = field(default=PAGE_SIZE, compare=False)

    # --- parsing -------------------------------------------------------------------

    @classmethod
    def from_params(cls, params: QueryDict) -> "DirectoryQuery":
        """Read the parameters through `DirectoryParameters`; raise `InvalidParameters`
        for a value that cannot be right whatever the catalogue holds (unknown taxonomy
        codes are found when the query runs, from the same queries that count the
        facets)."""
        cleaned = read_parameters(DirectoryParameters, params)
        selections = {parameter: cleaned[parameter] for parameter in FACETS}
        return cls(**selections, text=cleaned[TEXT], page=cleaned[PAGE])

    # --- canonical URLs ------------------------------------------------------------

    def selected(self, parameter: str) -> tuple[str, ...]:
        return getattr(self, parameter)

    @property
    def has_filters(self) -> bool:
        return bool(self.text) or any(self.selected(p) for p in FACETS)

    def querystring(self) -> str:
        """The query string of this selection, in canonical order: parameters sorted by
        name, values sorted, no `page` for the first page. Empty for the whole
        directory, otherwise starting with "?"."""
        pairs = [(parameter, value) for parameter in FACETS for value in self.selected(parameter)]
        if self.text:
            pairs.append((TEXT, self.text))
        if self.page > 1:
            pairs.append((PAGE, str(self.page)))
        pairs.sort()
        return f"?{urlencode(pairs)}" if pairs else ""

    def with_page(self, number: int) -> "DirectoryQuery":
        return replace(self, page=number)

    def toggled(
        self, parameter: str, value: str, *, replaces: Iterable[str] = ()
    ) -> "DirectoryQuery":
        """This selection with one value removed if chosen, otherwise added in place of
        `replaces` (its parent or children: choosing a sub-sector while its sector is
        chosen narrows the choice, rather than adding an alternative the sector already
        covers). Back on the first page: the results change, so the old page number
        means nothing."""
        values = set(self.selected(parameter))
        if value in values:
            values.discard(value)
        else:
            values = (values - set(replaces)) | {value}
        return replace(self, **{parameter: tuple(sorted(values))}, page=1)

    def cleared(self, parameter: str) -> "DirectoryQuery":
        return replace(self, **{parameter: ()}, page=1)

    # --- reading -------------------------------------------------------------------

    def organizations(
        self,
        queryset: QuerySet[Organization] | None = None,
        *,
        excluding: str | None = None,
    ) -> QuerySet[Organization]:
        """The organizations (of `queryset`, all by default) matching this selection,
        ignoring the facet `excluding` (to count that facet's alternatives). Filters on
        many-to-many relations are subqueries, so each organization appears once."""
        if queryset is None:
            queryset = Organization.objects.all()
        for parameter in FACETS:
            values = self.selected(parameter)
            if parameter == excluding or not values:
                continue
            if parameter in CHOICE_FACETS:
                model_field, _choices = CHOICE_FACETS[parameter]
                queryset = queryset.filter(**{f"{model_field}__in": values})
            else:
                queryset = queryset.filter(TAXONOMIES[parameter].filter(values))
        for word in self.text.split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(legal_name__icontains=word))
        return queryset

    def execute(self) -> DirectoryResult:
        """Run the query: one aggregate query per facet, then the count and the page.

        The facets run first because they also tell which taxonomy codes exist: a code
        that matches no term is refused (400) rather than answered with nothing."""
        facets = tuple(self._facet(parameter) for parameter in FACETS)
        paginator = Paginator(
            self.organizations(Organization.objects.for_listing()).order_by("name"),
            self.page_size,
        )
        if self.page > paginator.num_pages:
            raise InvalidParameters.of(
                PAGE,
                _("there is no page %(page)d; the last page is %(last)d.")
                % {"page": self.page, "last": paginator.num_pages},
            )
        page = paginator.page(self.page)
        page.object_list = list(page.object_list)
        return DirectoryResult(query=self, page=page, facets=facets)

    def _facet(self, parameter: str) -> Facet:
        if parameter in CHOICE_FACETS:
            options = self._choice_options(parameter)
        else:
            options = self._taxonomy_options(parameter)
        return Facet(
            parameter=parameter,
            label=str(FACET_LABELS[parameter]),
            options=options,
            selected=self.selected(parameter),
            clear_querystring=self.cleared(parameter).querystring(),
        )

    def _option(
        self,
        parameter: str,
        value: str,
        label: str,
        count: int,
        children: Iterable[FacetOption] = (),
        relatives: Iterable[str] = (),
    ) -> FacetOption:
        return FacetOption(
            value=value,
            label=label,
            count=count,
            selected=value in self.selected(parameter),
            querystring=self.toggled(parameter, value, replaces=relatives).querystring(),
            children=tuple(children),
        )

    def _shown(self, option: FacetOption) -> bool:
        """Options that give results, or that are selected (so they can be removed)."""
        return option.count > 0 or option.selected or bool(option.children)

    def _choice_options(self, parameter: str) -> tuple[FacetOption, ...]:
        """Counts per value of a choice field, in one GROUP BY query."""
        model_field, choices = CHOICE_FACETS[parameter]
        grouped = (
            self.organizations(excluding=parameter)
            .order_by()
            .values_list(model_field)
            .annotate(count=Count("pk"))
        )
        counts = remember(_query_key(grouped.query.sql_with_params()), lambda: dict(grouped))
        options = (
            self._option(parameter, value, str(label), counts.get(value, 0))
            for value, label in choices.choices
        )
        return tuple(option for option in options if self._shown(option))

    def _taxonomy_options(self, parameter: str) -> tuple[FacetOption, ...]:
        """Every term with the number of matching organizations classified under it or
        under one of its children, in one query (`_TERM_COUNTS`: one GROUP BY over the
        links of the matching organizations, whatever the number of terms)."""
        taxonomy = TAXONOMIES[parameter]
        counted = _terms_with_hits(taxonomy, self.organizations(excluding=parameter))
        terms = remember(_query_key((counted.raw_query, counted.params)), lambda: list(counted))
        unknown = sorted(set(self.selected(parameter)) - {term.code for term in terms})
        if unknown:
            raise InvalidParameters.of(
                parameter, _("unknown code “%(codes)s”.") % {"codes": ", ".join(unknown)}
            )
        return self._tree(parameter, terms, taxonomy.children_by_code)

    def _tree(
        self, parameter: str, terms: Iterable[Model], children_by_code: bool
    ) -> tuple[FacetOption, ...]:
        """Top-level terms sorted by name in the visitor's language, their children
        nested (sorted by name, or kept in code order), hiding terms without results
        unless selected."""
        terms = sorted(terms, key=lambda term: _sort_key(term.name))
        by_pk = {term.pk: term for term in terms}
        children: dict[int, list[Model]] = {}
        for term in sorted(terms, key=lambda term: term.code) if children_by_code else terms:
            if term.parent_id is not None:
                children.setdefault(term.parent_id, []).append(term)

        def build(term: Model) -> FacetOption:
            nested = (build(child) for child in children.get(term.pk, []))
            shown = [option for option in nested if self._shown(option)]
            relatives = [child.code for child in children.get(term.pk, [])]
            if term.parent_id in by_pk:
                relatives.append(by_pk[term.parent_id].code)
            return self._option(parameter, term.code, term.name, term.hits or 0, shown, relatives)

        roots = (build(term) for term in terms if term.parent_id not in by_pk)
        return tuple(option for option in roots if self._shown(option))
