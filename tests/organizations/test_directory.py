"""The directory query: filters, facet counts, canonical URLs and refused parameters.

The catalogue below uses the taxonomies seeded by migration 0002 (regions `qc-01`…
`qc-17` under `qc`, sector `health-social` with sub-sectors `home-care` and
`mental-health`, constituencies `youth`, `seniors`, `women`)."""

import pytest
from django.http import QueryDict

from concertation.parameters import InvalidParameters
from organizations.directory import (
    DirectoryQuery,
    DirectoryResult,
    FacetOption,
)
from organizations.models import (
    Constituency,
    Organization,
    OrganizationKind,
    RecognitionStatus,
    Region,
    Sector,
)
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def run(querystring: str = "") -> DirectoryResult:
    return DirectoryQuery.from_params(QueryDict(querystring)).execute()


def names(result: DirectoryResult) -> list[str]:
    return [organization.name for organization in result.page]


def flatten(options: tuple[FacetOption, ...]) -> list[FacetOption]:
    flat = []
    for option in options:
        flat.append(option)
        flat.extend(flatten(option.children))
    return flat


def counts(result: DirectoryResult, parameter: str) -> dict[str, int]:
    """The facet's counts by value, children included, as the page shows them."""
    facet = next(facet for facet in result.facets if facet.parameter == parameter)
    return {option.value: option.count for option in flatten(facet.options)}


def option(result: DirectoryResult, parameter: str, value: str) -> FacetOption:
    facet = next(facet for facet in result.facets if facet.parameter == parameter)
    return next(option for option in flatten(facet.options) if option.value == value)


def sectors(*codes: str) -> list[Sector]:
    return [Sector.objects.get(code=code) for code in codes]


def regions(*codes: str) -> list[Region]:
    return [Region.objects.get(code=code) for code in codes]


def constituencies(*codes: str) -> list[Constituency]:
    return [Constituency.objects.get(code=code) for code in codes]


@pytest.fixture
def catalogue() -> dict[str, Organization]:
    """Five organizations spread over the facets; the comments give what each counts
    toward."""
    organizations = {
        "A": OrganizationFactory(
            name="Aide à domicile Montréal",
            kind=OrganizationKind.AUTONOMOUS_COMMUNITY,
            sectors=sectors("home-care"),
            region=Region.objects.get(code="qc-06"),
            constituencies=constituencies("youth"),
        ),
        "B": OrganizationFactory(
            name="Bâtir ensemble (co-op)",
            kind=OrganizationKind.COOPERATIVE,
            sectors=sectors("housing"),
            region=Region.objects.get(code="qc-03"),
            regions_served=regions("qc-06"),  # head office in Quebec City, serves Montréal
            constituencies=constituencies("seniors"),
        ),
        "C": OrganizationFactory(
            name="Collectif santé Ontario",
            kind=OrganizationKind.ADVOCACY,
            sectors=sectors("health-social", "mental-health"),  # counted once under health
            region=Region.objects.get(code="on"),
            constituencies=constituencies("youth", "women"),
        ),
        "D": OrganizationFactory(
            name="Des familles au Bas-Saint-Laurent",
            kind=OrganizationKind.COMMUNITY,
            sectors=sectors("child-care"),
            region=Region.objects.get(code="qc-01"),
        ),
        "E": OrganizationFactory(
            name="Entraide Montréal",
            legal_name="Corporation d'entraide du Plateau",
            kind=OrganizationKind.AUTONOMOUS_COMMUNITY,
            sectors=sectors("home-care", "mental-health"),
            region=Region.objects.get(code="qc-06"),
        ),
    }
    Organization.objects.filter(pk=organizations["D"].pk).update(
        recognition_status=RecognitionStatus.RECOGNIZED
    )
    return organizations


class TestFacetCounts:
    def test_counts_without_filters(self, catalogue):
        result = run()

        assert result.total == 5
        assert counts(result, "kind") == {
            "autonomous_community": 2,
            "community": 1,
            "advocacy": 1,
            "cooperative": 1,
        }
        sector_counts = counts(result, "sector")
        assert sector_counts["health-social"] == 3  # A, C and E, each once
        assert sector_counts["home-care"] == 2
        assert sector_counts["mental-health"] == 2
        assert sector_counts["housing"] == 1
        assert sector_counts["child-care"] == 1
        region_counts = counts(result, "region")
        assert region_counts["qc"] == 4  # its administrative regions, head office or served
        assert region_counts["qc-06"] == 3  # A and E's head office, B serves it
        assert region_counts["qc-03"] == 1
        assert region_counts["qc-01"] == 1
        assert region_counts["on"] == 1
        assert counts(result, "constituency") == {"youth": 2, "seniors": 1, "women": 1}
        assert counts(result, "recognition") == {"recognized": 1, "not_assessed": 4}

    def test_terms_without_results_are_not_offered(self, catalogue):
        result = run()

        assert "transit" not in counts(result, "sector")
        assert "nu" not in counts(result, "region")
        assert "mutual" not in counts(result, "kind")

    def test_sub_terms_are_nested_under_their_parent(self, catalogue):
        result = run()

        health = option(result, "sector", "health-social")
        quebec = option(result, "region", "qc")
        assert [child.value for child in health.children] == ["home-care", "mental-health"]
        assert [child.value for child in quebec.children] == ["qc-01", "qc-03", "qc-06"]

    def test_counts_exclude_their_own_facet_but_apply_the_others(self, catalogue):
        result = run("sector=health-social&region=qc-06")

        assert names(result) == ["Aide à domicile Montréal", "Entraide Montréal"]
        # The sector facet ignores the chosen sector: organizations in or serving
        # Montréal (A, B, E) by sector, so housing stays visible as an alternative.
        sector_counts = counts(result, "sector")
        assert sector_counts["health-social"] == 2
        assert sector_counts["housing"] == 1
        assert "child-care" not in sector_counts
        # The region facet ignores the chosen region: health organizations (A, C, E).
        region_counts = counts(result, "region")
        assert region_counts == {"qc": 2, "qc-06": 2, "on": 1}
        # Other facets apply both.
        assert counts(result, "kind") == {"autonomous_community": 2}

    def test_alternatives_within_a_facet_keep_their_counts_once_one_is_chosen(self, catalogue):
        result = run("kind=cooperative")

        assert counts(result, "kind") == counts(run(), "kind")
        assert counts(result, "sector") == {"housing": 1}


class TestFilters:
    @pytest.mark.parametrize(
        ("querystring", "expected"),
        [
            ("kind=cooperative", ["B"]),
            ("kind=cooperative&kind=advocacy", ["B", "C"]),
            ("sector=home-care", ["A", "E"]),
            ("sector=health-social", ["A", "C", "E"]),
            ("sector=housing&sector=child-care", ["B", "D"]),
            ("region=qc-06", ["A", "B", "E"]),
            ("region=qc", ["A", "B", "D", "E"]),
            ("region=on", ["C"]),
            ("constituency=youth", ["A", "C"]),
            ("recognition=recognized", ["D"]),
            ("recognition=not_assessed&kind=autonomous_community", ["A", "E"]),
            ("sector=health-social&region=qc", ["A", "E"]),
            ("sector=health-social&region=qc&constituency=youth", ["A"]),
            ("q=entraide", ["E"]),
            ("q=CORPORATION plateau", ["E"]),  # legal name, every word, any case
            ("q=montréal&sector=home-care", ["A", "E"]),
            ("kind=mutual", []),
        ],
    )
    def test_filter(self, catalogue, querystring, expected):
        assert names(run(querystring)) == [catalogue[key].name for key in expected]

    def test_empty_values_are_no_choice(self, catalogue):
        assert run("kind=&sector=&q=").total == 5


class TestCanonicalUrls:
    def test_parameters_are_sorted_and_deduplicated(self):
        query = DirectoryQuery.from_params(
            QueryDict("sector=housing&kind=community&sector=child-care&sector=housing&utm=x")
        )

        assert query.querystring() == "?kind=community&sector=child-care&sector=housing"

    def test_facet_links_toggle_one_value_and_go_back_to_the_first_page(self, catalogue):
        result = run("sector=home-care&page=1")

        assert option(result, "region", "qc-06").querystring == "?region=qc-06&sector=home-care"
        assert option(result, "sector", "home-care").selected
        assert option(result, "sector", "home-care").querystring == ""
        assert option(result, "sector", "housing").querystring == (
            "?sector=home-care&sector=housing"
        )

    def test_clear_links_drop_one_facet(self, catalogue):
        result = run("sector=home-care&region=qc&q=aide")
        facet = next(facet for facet in result.facets if facet.parameter == "sector")

        assert facet.clear_querystring == "?q=aide&region=qc"

    def test_text_is_normalized(self):
        query = DirectoryQuery.from_params(QueryDict("q=%20entraide%20%20montr%C3%A9al%20"))

        assert query.text == "entraide montréal"
        assert query.querystring() == "?q=entraide+montr%C3%A9al"


class TestPagination:
    def test_pages_of_25_in_name_order_keep_the_filters(self):
        home_care = sectors("home-care")
        for number in range(30):
            OrganizationFactory(name=f"Home care {number:02d}", sectors=home_care)
        OrganizationFactory.create_batch(3)

        first = run("sector=home-care")
        second = run("sector=home-care&page=2")

        assert first.total == 30
        assert len(first.page) == 25
        assert names(first)[0] == "Home care 00"
        assert names(second) == [f"Home care {n}" for n in range(25, 30)]
        assert first.next_querystring == "?page=2&sector=home-care"
        assert second.previous_querystring == "?sector=home-care"
        assert second.next_querystring == ""


class TestRefusedParameters:
    @pytest.mark.parametrize(
        ("querystring", "parameter"),
        [
            ("kind=charity", "kind"),
            ("recognition=yes", "recognition"),
            ("page=abc", "page"),
            ("page=0", "page"),
            ("page=-1", "page"),
            ("q=" + "x" * 201, "q"),
            ("sector=" + "&sector=".join(f"s{n}" for n in range(51)), "sector"),
        ],
    )
    def test_refused_before_any_query(self, querystring, parameter, django_assert_num_queries):
        with django_assert_num_queries(0), pytest.raises(InvalidParameters) as error:
            DirectoryQuery.from_params(QueryDict(querystring))

        assert error.value.parameter == parameter

    @pytest.mark.parametrize(
        ("querystring", "parameter", "named"),
        [
            ("region=zz", "region", "zz"),
            ("sector=no-such-sector&sector=housing", "sector", "no-such-sector"),
            ("constituency=martians", "constituency", "martians"),
            ("page=2", "page", "2"),
        ],
    )
    def test_refused_when_run(self, catalogue, querystring, parameter, named):
        query = DirectoryQuery.from_params(QueryDict(querystring))

        with pytest.raises(InvalidParameters) as error:
            query.execute()

        assert error.value.parameter == parameter
        assert named in error.value.message

    def test_a_text_of_200_characters_is_accepted(self):
        assert DirectoryQuery.from_params(QueryDict("q=" + "x" * 200)).text == "x" * 200

    @pytest.mark.parametrize(
        "parameter", ["kind", "sector", "region", "constituency", "recognition"]
    )
    @pytest.mark.parametrize(
        "value", ["%00", "housing%00", "qc%0006", "a%01b", "a%7Fb", "a%C2%9Fb"]
    )
    def test_a_control_character_is_refused_before_any_query(
        self, parameter, value, django_assert_num_queries
    ):
        # PostgreSQL refuses NUL in text outright (a 500, had it reached the query).
        with django_assert_num_queries(0), pytest.raises(InvalidParameters) as error:
            DirectoryQuery.from_params(QueryDict(f"{parameter}=housing&{parameter}={value}"))

        assert error.value.parameter == parameter
        assert error.value.message == "control characters are not allowed."

    @pytest.mark.parametrize(
        "parameter", ["kind", "sector", "region", "constituency", "recognition"]
    )
    def test_an_absurdly_long_value_is_refused_before_any_query(
        self, parameter, django_assert_num_queries
    ):
        with django_assert_num_queries(0), pytest.raises(InvalidParameters) as error:
            DirectoryQuery.from_params(QueryDict(f"{parameter}=" + "x" * 41))

        assert error.value.parameter == parameter
        assert error.value.message == "each value has at most 40 characters."

    def test_a_value_as_long_as_a_code_may_be_reaches_the_query(self, catalogue):
        query = DirectoryQuery.from_params(QueryDict("sector=" + "x" * 40))

        with pytest.raises(InvalidParameters, match="unknown code"):
            query.execute()

    def test_an_absurdly_long_page_number_is_refused_before_any_query(
        self, django_assert_num_queries
    ):
        # int() itself refuses numbers of more than 4,300 digits.
        with django_assert_num_queries(0), pytest.raises(InvalidParameters) as error:
            DirectoryQuery.from_params(QueryDict("page=" + "9" * 5000))

        assert error.value.parameter == "page"
        assert error.value.message == "at most 9 digits."

    def test_control_characters_are_dropped_from_the_text(self, catalogue):
        query = DirectoryQuery.from_params(QueryDict("q=entr%00aide%01%09montr%C3%A9al%7F"))

        assert query.text == "entraide montréal"
        assert names(query.execute()) == ["Entraide Montréal"]


class TestRefusedParametersPage:
    """The page answers 400 naming the parameter, on PostgreSQL as on SQLite."""

    @pytest.mark.parametrize(
        "parameter", ["kind", "sector", "region", "constituency", "recognition", "page"]
    )
    def test_a_nul_byte_is_a_400_naming_the_parameter(self, client, catalogue, parameter):
        response = client.get(f"/organizations/?{parameter}=%00")

        assert response.status_code == 400
        assert f"The directory parameter “{parameter}” is not valid" in response.content.decode()

    def test_a_nul_byte_in_the_text_is_dropped(self, client, catalogue):
        response = client.get("/organizations/?q=entraide%00")

        assert response.status_code == 200
        assert names(response.context["result"]) == ["Entraide Montréal"]


class TestQueryCount:
    """One query per facet (5), the count and the page with its sectors: 8."""

    @pytest.mark.parametrize("size", [5, 40])
    def test_constant_whatever_the_catalogue_size(self, size, django_assert_num_queries):
        for _ in range(size):
            OrganizationFactory(
                sectors=sectors("home-care", "housing"),
                region=Region.objects.get(code="qc-06"),
                regions_served=regions("qc-01", "qc-02"),
                constituencies=constituencies("youth", "women"),
            )

        with django_assert_num_queries(8):
            result = run("sector=health-social&region=qc")
            [list(organization.sectors.all()) for organization in result.page]

        assert result.total == size


class TestHierarchyLinks:
    def test_choosing_a_child_replaces_its_chosen_parent_and_back(self, catalogue):
        with_parent = run("sector=health-social&sector=housing")
        with_child = run("sector=home-care")

        assert option(with_parent, "sector", "home-care").querystring == (
            "?sector=home-care&sector=housing"
        )
        assert option(with_child, "sector", "health-social").querystring == (
            "?sector=health-social"
        )
        assert option(with_child, "region", "qc").querystring == "?region=qc&sector=home-care"
