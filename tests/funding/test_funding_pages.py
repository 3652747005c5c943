"""Public funding pages: an organization's funding beside its service load, the funding
explorer, new and moved money, and the CSV export — exact figures, who sees which
allocations and details (drafts never counted, never shown to the public or to an
organization's editors), languages, refused parameters, and query counts that do not
grow with the data."""

import csv
import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.funding import views as funding_views
from organizations.funding.flows import split
from organizations.funding.models import Allocation, Programme, ProgrammeBudget, ServiceLoad
from organizations.funding.permissions import grant_programme
from organizations.funding.services import record_allocation
from organizations.models import OrganizationKind, Region, Sector
from organizations.permissions import grant_editor
from tests.chart_reading import chart_bars, chart_html
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:800]
    return html.unescape(response.content.decode())


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def sector(code: str) -> Sector:
    return Sector.objects.get(code=code)


def cells(row_html: str) -> list[str]:
    """The text of each cell of a table row."""
    found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row_html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in found]


def table(content: str, table_id: str) -> list[list[str]]:
    """The body rows of the table `table_id`, as lists of cell texts."""
    found = content[content.index(f'id="{table_id}"') :]
    found = found[found.index("<tbody>") : found.index("</tbody>")]
    return [cells(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", found, flags=re.S)]


def keyed(content: str, table_id: str) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in table(content, table_id)}


def csv_lines(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:800]
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def make_programme(name: str, slug: str, funder, mode: str, budgets: dict[int, int]) -> Programme:
    programme = Programme.objects.create(
        name=name, slug=slug, funder=funder, mode=mode, first_fiscal_year=2000
    )
    for year, amount in budgets.items():
        ProgrammeBudget.objects.create(programme=programme, fiscal_year=year, amount=amount)
    return programme


@pytest.fixture
def recorder():
    """Someone who records allocations in every programme (setting the scene only)."""
    return UserFactory(username="recorder", is_superuser=True)


def allocate(recorder, organization, programme, year, amount, status="published", **fields):
    return record_allocation(
        recorder,
        organization=organization,
        programme=programme,
        fiscal_year=year,
        amount=Decimal(amount),
        status=status,
        **fields,
    )


@pytest.fixture
def story(recorder):
    """Two programmes of the secretariat fund three organizations.

    Published: Entraide Montréal (home care) gets 50,000 of new money in 2000 and, in
    2001, 60,000 moved from mental health; Logement Laval (housing) 30,000 of new money
    in 2001; Santé Ontario (mental health and housing) 10,000.01 in 2001 moved from the
    global mission programme. Approved, not published: 7,000 for Entraide in 2001.
    Drafts: 99,000 for Entraide in 2001, 5,000 for Logement in 2000. Entraide reports
    its service load (100 people in 2000, 150 in 2001); Logement reports none."""
    secretariat = OrganizationFactory(
        name="Secrétariat", kind=OrganizationKind.GOVERNMENT, region=region("qc"), sectors=[]
    )
    mission = make_programme(
        "Global mission support",
        "global-mission",
        secretariat,
        "global_mission",
        {2000: 100_000, 2001: 200_000},
    )
    housing = make_programme(
        "Housing projects", "housing-projects", secretariat, "project", {2001: 100_000}
    )
    entraide = OrganizationFactory(
        name="Entraide Montréal", region=region("qc-06"), sectors=[sector("home-care")]
    )
    logement = OrganizationFactory(
        name="Logement Laval", region=region("qc-13"), sectors=[sector("housing")]
    )
    ontario = OrganizationFactory(
        name="Santé Ontario",
        region=region("on"),
        sectors=[sector("mental-health"), sector("housing")],
    )
    allocations = {
        "entraide_2000": allocate(recorder, entraide, mission, 2000, 50_000),
        "entraide_2001": allocate(
            recorder,
            entraide,
            mission,
            2001,
            60_000,
            origin="reallocated",
            reallocated_from_sector=sector("mental-health"),
            starts_on=datetime.date(2001, 4, 1),
            ends_on=datetime.date(2002, 3, 31),
            notes="Moved from mental health",
        ),
        "logement_2001": allocate(recorder, logement, housing, 2001, 30_000),
        "ontario_2001": allocate(
            recorder,
            ontario,
            housing,
            2001,
            "10000.01",
            origin="reallocated",
            reallocated_from_programme=mission,
        ),
        "approved": allocate(
            recorder, entraide, housing, 2001, 7_000, status="approved", notes="Approved note"
        ),
        "draft": allocate(
            recorder,
            entraide,
            mission,
            2001,
            99_000,
            status="draft",
            origin="reallocated",
            reallocated_from_sector=sector("housing"),
            notes="Draft note",
        ),
        "logement_draft": allocate(recorder, logement, mission, 2000, 5_000, status="draft"),
    }
    ServiceLoad.objects.create(
        organization=entraide,
        fiscal_year=2000,
        people_served=100,
        service_hours=2000,
        waiting_list=10,
    )
    ServiceLoad.objects.create(organization=entraide, fiscal_year=2001, people_served=150)
    return {
        "mission": mission,
        "housing": housing,
        "entraide": entraide,
        "logement": logement,
        "ontario": ontario,
        **allocations,
    }


@pytest.fixture
def entraide_editor(story):
    user = UserFactory(username="entraide-editor")
    grant_editor(user, story["entraide"])
    return user


@pytest.fixture
def mission_staff(story):
    user = UserFactory(username="mission-finance")
    grant_programme(user, story["mission"])
    return user


def funding_url(organization, language: str = "") -> str:
    prefix = f"/{language}" if language else ""
    return f"{prefix}/organizations/{organization.slug}/funding/"


# --- an organization's funding ---------------------------------------------------------


class TestOrganizationFunding:
    def test_the_public_sees_published_allocations_and_funding_per_person(self, client, story):
        content = page(client, funding_url(story["entraide"]))

        assert "Funding — Entraide Montréal" in content
        assert keyed(content, "funding-years") == {
            "2000–2001": [
                "$50,000.00",
                "$50,000.00",
                "$0.00",
                "100",
                "2,000",
                "10",
                "$500.00",
                "$25.00",
            ],
            "2001–2002": ["$60,000.00", "$0.00", "$60,000.00", "150", "—", "—", "$400.00", "—"],
        }
        assert table(content, "allocations-2001") == [
            [
                "Global mission support",
                "Global mission support",
                "Reallocated from the sub-sector Mental health",
                "$60,000.00",
            ]
        ]
        assert table(content, "allocations-2000") == [
            ["Global mission support", "Global mission support", "New money", "$50,000.00"]
        ]
        # Neither the approved allocation, nor the draft, nor any detail.
        assert "7,000.00" not in content
        assert "99,000.00" not in content
        assert "Moved from mental health" not in content
        assert "Draft note" not in content
        assert "detailed records" not in content
        assert 'id="allocation-drafts"' not in content

    def test_the_chart_is_funding_per_person_served_by_year(self, client, story):
        content = page(client, funding_url(story["entraide"]))

        chart = chart_html(content, "per-person-chart")
        assert "Funding per person served, by fiscal year (CAD)</figcaption>" in chart
        # Written as the table writes them, the largest bar filling its row.
        assert chart_bars(content, "per-person-chart") == [
            ("2000–2001", "$500.00"),
            ("2001–2002", "$400.00"),
        ]
        assert '<rect width="100.0"' in chart and '<rect width="80.0"' in chart
        assert 'href="#funding-years"' in chart  # its text alternative

    def test_without_a_service_load_funding_per_person_is_a_dash(self, client, story):
        content = page(client, funding_url(story["logement"]))

        assert keyed(content, "funding-years") == {
            "2001–2002": ["$30,000.00", "$30,000.00", "$0.00", "—", "—", "—", "—", "—"]
        }
        assert "has not reported its service load" in content
        # No value to draw: no chart, the table says "—".
        assert 'id="per-person-chart"' not in content
        # Its draft is nobody's business but its programme's finance staff.
        assert "5,000.00" not in content

    def test_nothing_recorded(self, client, story):
        content = page(client, funding_url(OrganizationFactory(name="Nouvel organisme")))

        assert "No funding and no service load are recorded" in content

    def test_its_editor_sees_its_approved_allocation_and_details_never_drafts(
        self, client, story, entraide_editor
    ):
        client.force_login(entraide_editor)

        content = page(client, funding_url(story["entraide"]))

        years = keyed(content, "funding-years")
        # 60,000 + 7,000 counted in 2001, over 150 people served.
        assert years["2001–2002"][0] == "$67,000.00"
        assert years["2001–2002"][6] == "$446.67"
        rows = {row[0]: row[1:] for row in table(content, "allocations-2001")}
        assert rows["Housing projects"] == [
            "Project",
            "New money",
            "$7,000.00",
            "Approved",
            "—",
            "Approved note",
        ]
        assert rows["Global mission support"][3:] == [
            "Published",
            "from April 1, 2001 to March 31, 2002",
            "Moved from mental health",
        ]
        assert "You are seeing detailed records" in content
        assert "99,000.00" not in content
        assert "Draft note" not in content

    def test_its_editor_sees_nothing_more_on_another_organizations_page(
        self, client, story, entraide_editor
    ):
        client.force_login(entraide_editor)

        content = page(client, funding_url(story["logement"]))

        # The page's content is the public's; only the header's account link differs.
        assert main_content(content) == main_content(
            page_as_public(client, funding_url(story["logement"]))
        )
        assert "detailed records" not in content
        assert "Status" not in content

    def test_finance_staff_see_their_programmes_drafts_listed_but_not_counted(
        self, client, story, mission_staff
    ):
        client.force_login(mission_staff)

        content = page(client, funding_url(story["entraide"]))

        # The 2001 figures are the public's: the draft is listed apart, not counted,
        # and the approved allocation of another programme stays invisible.
        years = keyed(content, "funding-years")
        assert years["2001–2002"][0] == "$60,000.00"
        assert years["2001–2002"][6] == "$400.00"
        assert "7,000.00" not in content
        drafts = table(content, "allocation-drafts")
        assert drafts == [
            [
                "2001–2002",
                "Global mission support",
                "Global mission support",
                "Reallocated from the sub-sector Housing",
                "$99,000.00",
                "—",
                "Draft note",
            ]
        ]
        # Details of their programme's allocations.
        assert "Moved from mental health" in content

    def test_linked_from_the_profile(self, client, story):
        content = page(client, story["entraide"].get_absolute_url())

        assert f'href="/organizations/{story["entraide"].slug}/funding/"' in content

    def test_in_french(self, client, story):
        content = page(client, funding_url(story["entraide"], "fr"))

        assert '<html lang="fr">' in content
        assert "Organismes" in content
        years = keyed(content, "funding-years")
        # CLDR's Canadian French: a no-break space groups thousands and precedes the sign.
        assert years["2001–2002"][:2] == ["60 000,00 $", "0,00 $"]
        assert years["2001–2002"][-2] == "400,00 $"
        assert '<td class="figure">60\N{NO-BREAK SPACE}000,00\N{NO-BREAK SPACE}$</td>' in content
        assert "Santé mentale" in content
        assert chart_bars(content, "per-person-chart")[0] == (
            "2000–2001",
            "500,00\N{NO-BREAK SPACE}$",
        )

    def test_unknown_organization_is_a_404(self, client):
        assert client.get("/organizations/no-such-organization/funding/").status_code == 404
        assert client.get("/fr/organizations/no-such-organization/funding/").status_code == 404

    @pytest.mark.parametrize("logged_in", [False, True])
    def test_queries_do_not_grow_with_allocations_and_years(self, client, recorder, logged_in):
        """The organization, its allocations, its service loads (and, logged in, the
        session, the user and what they may read in detail): the same for 1 year or 8."""
        secretariat = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
        programmes = [
            make_programme(
                f"Programme {number}",
                f"programme-{number}",
                secretariat,
                "project",
                dict.fromkeys(range(2000, 2008), 1_000_000),
            )
            for number in range(3)
        ]
        small, large = OrganizationFactory(name="Small"), OrganizationFactory(name="Large")
        allocate(recorder, small, programmes[0], 2000, 1_000)
        ServiceLoad.objects.create(organization=small, fiscal_year=2000, people_served=10)
        for year in range(2000, 2008):
            ServiceLoad.objects.create(organization=large, fiscal_year=year, people_served=10)
            for programme in programmes:
                allocate(
                    recorder,
                    large,
                    programme,
                    year,
                    1_000,
                    origin="reallocated",
                    reallocated_from_programme=programmes[0],
                    reallocated_from_sector=sector("housing"),
                )
        if logged_in:
            user = UserFactory(username="two-hats")
            grant_editor(user, small)
            grant_editor(user, large)
            grant_programme(user, programmes[1])
            client.force_login(user)

        counts = []
        for organization in (small, large):
            with CaptureQueriesContext(connection) as queries:
                content = page(client, funding_url(organization))
            counts.append(len(queries))
        assert content.count("<tr data-allocation=") == 24

        assert counts[0] == counts[1]
        if not logged_in:
            assert counts == [3, 3]


def main_content(html_page: str) -> str:
    """The page's `<main>` element: what the page says, without the site's header."""
    start = html_page.index("<main")
    return html_page[start : html_page.index("</main>", start)]


def page_as_public(client, url: str) -> str:
    """The page as the public sees it, the client logged out (and not logged back in)."""
    client.logout()
    return page(client, url)


# --- the explorer ----------------------------------------------------------------------

# The public's seven, and the session, the user and the user's permissions (two).
LOGGED_IN_EXPLORER_QUERIES = 7 + 4


class TestExplorer:
    def test_totals_by_year_programme_mode_region_and_sector(self, client, story):
        content = page(client, "/funding/")

        assert "4 allocations · $150,000.01 in all: $80,000.00 new, $70,000.01 reallocated" in (
            content
        )
        assert keyed(content, "year-table") == {
            "2000–2001": ["1", "$50,000.00", "$0.00", "$50,000.00"],
            "2001–2002": ["3", "$30,000.00", "$70,000.01", "$100,000.01"],
        }
        assert keyed(content, "programme-table") == {
            "Global mission support": ["2", "$50,000.00", "$60,000.00", "$110,000.00"],
            "Housing projects": ["2", "$30,000.00", "$10,000.01", "$40,000.01"],
        }
        assert keyed(content, "mode-table") == {
            "Global mission support": ["2", "$50,000.00", "$60,000.00", "$110,000.00"],
            "Project": ["2", "$30,000.00", "$10,000.01", "$40,000.01"],
        }
        regions = table(content, "region-table")
        assert [row[0] for row in regions] == ["Montréal", "Laval", "Ontario"]
        assert regions[0][1:] == ["2", "$50,000.00", "$60,000.00", "$110,000.00"]
        assert regions[2][1:] == ["1", "$0.00", "$10,000.01", "$10,000.01"]
        # Rolled up to the top level; Santé Ontario counts in both of its sectors.
        assert keyed(content, "sector-table") == {
            "Health and social services": ["3", "$50,000.00", "$70,000.01", "$120,000.01"],
            "Housing": ["2", "$30,000.00", "$10,000.01", "$40,000.01"],
        }

    def test_rows_link_to_their_allocations(self, client, story):
        content = page(client, "/funding/?mode=project")

        assert 'href="/funding/?programme=housing-projects&mode=project"' in content
        assert 'href="/funding/?year=2001&mode=project"' in content
        assert 'href="/funding/?region=qc-13&mode=project"' in content
        assert 'href="/funding/?sector=housing&mode=project"' in content
        assert story["housing"].get_absolute_url() == "/funding/?programme=housing-projects"

    def test_the_list_of_allocations(self, client, story):
        content = page(client, "/funding/")

        rows = table(content, "allocation-table")
        # Who, when and how much first; then the programme, the region, the mode and
        # where the money comes from. The latest year first by default.
        assert rows == [
            [
                "Entraide Montréal",
                "2001–2002",
                "$60,000.00",
                "Global mission support",
                "Montréal",
                "Global mission support",
                "Reallocated from the sub-sector Mental health",
            ],
            [
                "Logement Laval",
                "2001–2002",
                "$30,000.00",
                "Housing projects",
                "Laval",
                "Project",
                "New money",
            ],
            [
                "Santé Ontario",
                "2001–2002",
                "$10,000.01",
                "Housing projects",
                "Ontario",
                "Project",
                "Reallocated from the programme Global mission support",
            ],
            [
                "Entraide Montréal",
                "2000–2001",
                "$50,000.00",
                "Global mission support",
                "Montréal",
                "Global mission support",
                "New money",
            ],
        ]
        assert f'href="/organizations/{story["ontario"].slug}/funding/"' in content

    @pytest.mark.parametrize(
        ("querystring", "total", "count"),
        [
            ("year=2000", "$50,000.00", 1),
            ("year=2001", "$100,000.01", 3),
            ("year=1999", "$0.00", 0),
            ("region=qc-06", "$110,000.00", 1 + 1),
            ("region=qc", "$140,000.00", 3),  # a province selects its administrative regions
            ("region=on", "$10,000.01", 1),
            ("sector=health-social", "$120,000.01", 3),  # a sector selects its sub-sectors
            ("sector=home-care", "$110,000.00", 2),
            ("sector=housing", "$40,000.01", 2),
            ("programme=housing-projects", "$40,000.01", 2),
            ("mode=global_mission", "$110,000.00", 2),
            (
                "year=2001&region=qc&sector=housing&programme=housing-projects&mode=project",
                "$30,000.00",
                1,
            ),
        ],
    )
    def test_filters(self, client, story, querystring, total, count):
        content = page(client, f"/funding/?{querystring}")

        assert f"{count} allocation{'s' if count != 1 else ''} · {total} in all" in content
        assert "Clear all filters" in content
        assert f'href="/funding/export.csv?{querystring}" download' in content

    def test_drafts_and_approved_allocations_are_not_public(self, client, story):
        content = page(client, "/funding/")

        assert "99,000.00" not in content
        assert "7,000.00" not in content
        assert "5,000.00" not in content

    def test_an_editor_sees_its_approved_allocation_counted_never_a_draft(
        self, client, story, entraide_editor
    ):
        client.force_login(entraide_editor)

        content = page(client, "/funding/")

        assert "5 allocations · $157,000.01 in all" in content
        assert keyed(content, "programme-table")["Housing projects"][-1] == "$47,000.01"
        assert "99,000.00" not in content

    def test_finance_staff_aggregates_never_include_drafts(self, client, story, mission_staff):
        public = page(client, "/funding/")
        client.force_login(mission_staff)

        content = page(client, "/funding/")

        assert "4 allocations · $150,000.01 in all" in content
        for table_id in ("year-table", "programme-table", "region-table", "sector-table"):
            assert table(content, table_id) == table(public, table_id)
        assert "99,000.00" not in content

    def test_pagination_keeps_the_filters(self, client, story, monkeypatch):
        monkeypatch.setattr(funding_views, "PAGE_SIZE", 2)

        first = page(client, "/funding/?year=2001")
        second = page(client, "/funding/?year=2001&page=2")

        assert 'href="/funding/?year=2001&page=2" rel="next"' in first
        assert 'href="/funding/?year=2001" rel="prev"' in second
        assert "Page 2 of 2" in second
        assert [row[0] for row in table(second, "allocation-table")] == ["Santé Ontario"]
        # The totals cover every allocation, whatever the page.
        assert table(second, "year-table") == table(first, "year-table")
        page(client, "/funding/?year=2001&page=3", status=400)

    @pytest.mark.parametrize(
        ("querystring", "parameter"),
        [
            ("year=last", "year"),
            ("year=20001", "year"),
            ("year=0999", "year"),
            ("year=2000&year=2001", "year"),
            ("region=zz-99", "region"),
            ("region=%3Cscript%3E", "region"),
            ("sector=nonsense", "sector"),
            ("sector=" + "a" * 41, "sector"),
            ("programme=no-such-programme", "programme"),
            ("programme=drop%20table", "programme"),
            ("mode=gift", "mode"),
            ("page=abc", "page"),
            ("page=0", "page"),
            ("page=2", "page"),
            ("page=" + "9" * 12, "page"),
            ("sort=evil", "sort"),
            ("sort=-mode", "sort"),
            ("sort=amount&sort=-amount", "sort"),
        ],
    )
    def test_bad_parameters_are_a_400_naming_them(self, client, story, querystring, parameter):
        content = page(client, f"/funding/?{querystring}", status=400)

        assert f"The parameter “{parameter}” is not valid" in content

    def test_unknown_parameters_are_ignored(self, client, story):
        assert "4 allocations" in page(client, "/funding/?utm_source=mail&order=evil")

    def test_a_column_header_sorts_the_allocations_without_javascript(self, client, story):
        default = page(client, "/funding/")
        smallest_first = page(client, "/funding/?mode=project&sort=amount")
        largest_first = page(client, "/funding/?sort=-amount")

        assert [row[2] for row in table(largest_first, "allocation-table")] == [
            "$60,000.00",
            "$50,000.00",
            "$30,000.00",
            "$10,000.01",
        ]
        assert [row[2] for row in table(smallest_first, "allocation-table")] == [
            "$10,000.01",
            "$30,000.00",
        ]
        by_name = [
            row[0] for row in table(page(client, "/funding/?sort=organization"), "allocation-table")
        ]
        assert by_name == [
            "Entraide Montréal",
            "Entraide Montréal",
            "Logement Laval",
            "Santé Ontario",
        ]
        # The sorted column carries aria-sort; its header reverses the order and keeps
        # the filters; the others sort by their column.
        assert (
            '<th scope="col" class="column--fiscal_year" aria-sort="descending">'
            '<a class="sort-link" href="/funding/?sort=fiscal_year#allocation-table">'
        ) in default
        assert (
            '<th scope="col" class="column--amount" aria-sort="ascending">'
            '<a class="sort-link" href="/funding/?mode=project&sort=-amount#allocation-table">'
        ) in smallest_first
        assert 'href="/funding/?mode=project#allocation-table"' in smallest_first
        assert default.count("aria-sort=") == 1

    def test_pagination_keeps_the_sort(self, client, story, monkeypatch):
        monkeypatch.setattr(funding_views, "PAGE_SIZE", 2)

        first = page(client, "/funding/?sort=-amount")
        second = page(client, "/funding/?sort=-amount&page=2")

        assert 'href="/funding/?sort=-amount&page=2" rel="next"' in first
        assert [row[2] for row in table(second, "allocation-table")] == [
            "$30,000.00",
            "$10,000.01",
        ]

    def test_nothing_published(self, client):
        content = page(client, "/funding/")

        assert "0 allocations · $0.00 in all" in content
        assert "No allocation is published yet." in content
        assert 'id="year-chart"' not in content

    def test_charts_are_svg_with_the_table_numbers(self, client, story):
        content = page(client, "/funding/")

        for chart_id, title in [
            ("year-chart", "Money allocated by fiscal year (CAD)"),
            ("programme-chart", "Money allocated by programme (CAD)"),
            ("mode-chart", "Money allocated by mode (CAD)"),
            ("region-chart", "Money allocated by head-office region (CAD)"),
            ("sector-chart", "Money allocated by sector (CAD)"),
        ]:
            chart = chart_html(content, chart_id)
            assert f"{title}</figcaption>" in chart
            assert f'href="#{chart_id.replace("chart", "table")}"' in chart
        # The charts write amounts as the tables beside them do.
        assert ("2001–2002", "$100,000.01") in chart_bars(content, "year-chart")
        assert ("Housing projects", "$40,000.01") in chart_bars(content, "programme-chart")
        assert ("Laval", "$30,000.00") in chart_bars(content, "region-chart")
        assert ("Health and social services", "$120,000.01") in chart_bars(content, "sector-chart")
        assert keyed(content, "programme-table")["Housing projects"][-1] == "$40,000.01"

    def test_in_french(self, client, story):
        content = page(client, "/fr/funding/?region=qc")

        assert '<html lang="fr">' in content
        assert "Organismes" in content
        assert "Santé et services sociaux" in content
        assert "Habitation" in content
        assert "140\N{NO-BREAK SPACE}000,00\N{NO-BREAK SPACE}$" in content
        assert 'href="/fr/organizations/' in content
        refused = page(client, "/fr/funding/?mode=cadeau", status=400)
        assert "Le paramètre « mode » n'est pas valide" in refused

    def test_in_the_navigation(self, client, story):
        assert '<a href="/funding/">Funding</a>' in page(client, "/organizations/")

    @pytest.mark.parametrize("size", [2, 30])
    def test_queries_do_not_grow_with_allocations(self, client, recorder, size):
        """The regions, sectors and programmes (the menus), the totals by year,
        programme, mode and region, the totals by sector, the count and the page; and
        the same for someone logged in, whatever the data."""
        secretariat = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
        programme = make_programme(
            "Programme", "programme", secretariat, "project", {2001: 10_000_000, 2002: 10_000_000}
        )
        for number in range(size):
            organization = OrganizationFactory(
                region=region("qc-06" if number % 2 else "on"),
                sectors=[sector("housing"), sector("home-care")],
            )
            allocate(recorder, organization, programme, 2001 + number % 2, 1_000)

        with CaptureQueriesContext(connection) as queries:
            content = page(client, "/funding/?region=qc&sector=housing")

        assert len(queries) == 7
        assert content.count("<tr data-allocation=") == size // 2
        user = UserFactory(username="finance")
        grant_programme(user, programme)
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            page(client, "/funding/?region=qc&sector=housing")
        assert len(queries) == LOGGED_IN_EXPLORER_QUERIES


# --- new money and moved money ---------------------------------------------------------


class TestNewAndMoved:
    def test_new_against_reallocated_money_by_year(self, client, story):
        content = page(client, "/funding/new-and-moved/")

        assert keyed(content, "year-table") == {
            "2000–2001": ["$50,000.00", "$0.00", "$50,000.00", "0.0"],
            "2001–2002": ["$30,000.00", "$70,000.01", "$100,000.01", "70.0"],
        }
        bars = chart_bars(content, "year-chart")
        assert ("2001–2002 reallocated", "$70,000.01") in bars
        assert ("2001–2002 new", "$30,000.00") in bars

    def test_which_sub_sectors_lost_what_others_gained(self, client, story):
        content = page(client, "/funding/new-and-moved/")

        # Santé Ontario works in housing and mental health: the 10,000.01 moved from a
        # programme is shared between them, the odd cent to the first by code.
        assert table(content, "flow-table") == [
            ["2001–2002", "Mental health", "Home care", "$60,000.00"],
            ["2001–2002", "Programme: Global mission support", "Housing", "$5,000.01"],
            ["2001–2002", "Programme: Global mission support", "Mental health", "$5,000.00"],
        ]
        assert keyed(content, "balance-table") == {
            "Home care": ["$0.00", "$60,000.00", "$60,000.00"],
            "Housing": ["$0.00", "$5,000.01", "$5,000.01"],
            "Mental health": ["$60,000.00", "$5,000.00", "-$55,000.00"],
        }
        assert list(keyed(content, "balance-table")) == ["Home care", "Housing", "Mental health"]
        assert chart_bars(content, "lost-chart") == [("Mental health", "$60,000.00")]
        assert ("Home care", "$60,000.00") in chart_bars(content, "gained-chart")
        assert '<tr class="row--lost"><th scope="row">Mental health</th>' in content

    def test_one_years_flows(self, client, story, recorder):
        allocate(
            recorder,
            story["logement"],
            story["mission"],
            2000,
            1_000,
            origin="reallocated",
            reallocated_from_sector=sector("home-care"),
        )

        every_year = page(client, "/funding/new-and-moved/")
        content = page(client, "/funding/new-and-moved/?year=2000")

        assert table(content, "flow-table") == [["2000–2001", "Home care", "Housing", "$1,000.00"]]
        assert keyed(content, "balance-table") == {
            "Housing": ["$0.00", "$1,000.00", "$1,000.00"],
            "Home care": ["$1,000.00", "$0.00", "-$1,000.00"],
        }
        assert "in 2000–2001" in content
        # The years stay whole, each linking to its flows.
        assert table(content, "year-table") == table(every_year, "year-table")
        assert 'href="/funding/new-and-moved/?year=2001#moved-flows"' in every_year
        assert keyed(every_year, "balance-table")["Home care"] == [
            "$1,000.00",
            "$60,000.00",
            "$59,000.00",
        ]

    @pytest.mark.parametrize("querystring", ["year=next", "year=1800", "year=2000&year=2001"])
    def test_a_bad_year_is_a_400_naming_it(self, client, story, querystring):
        content = page(client, f"/funding/new-and-moved/?{querystring}", status=400)

        assert "The parameter “year” is not valid" in content

    def test_drafts_are_never_counted(self, client, story, mission_staff, entraide_editor):
        public = page(client, "/funding/new-and-moved/")
        client.force_login(mission_staff)
        finance = page(client, "/funding/new-and-moved/")
        client.force_login(entraide_editor)
        editor = page(client, "/funding/new-and-moved/")

        # The draft moving 99,000 from housing appears nowhere.
        for content in (public, finance, editor):
            assert "99,000.00" not in content
            assert keyed(content, "balance-table")["Housing"][0] == "$0.00"
        assert table(finance, "year-table") == table(public, "year-table")
        # The editor's approved 7,000 of new money counts for them.
        assert keyed(editor, "year-table")["2001–2002"][0] == "$37,000.00"

    def test_in_french(self, client, story):
        content = page(client, "/fr/funding/new-and-moved/")

        assert '<html lang="fr">' in content
        assert "Soutien à domicile" in content
        assert "Santé mentale" in content
        assert "60\N{NO-BREAK SPACE}000,00\N{NO-BREAK SPACE}$" in content

    def test_nothing_published(self, client):
        content = page(client, "/funding/new-and-moved/")

        assert "No allocation is published yet." in content

    @pytest.mark.parametrize("size", [2, 30])
    def test_queries_do_not_grow_with_allocations(self, client, recorder, size):
        """The money by year and origin, the reallocated money by source and
        organization, and those organizations' sectors."""
        secretariat = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
        programme = make_programme(
            "Programme", "programme", secretariat, "project", {2001: 10_000_000}
        )
        for _number in range(size):
            organization = OrganizationFactory(sectors=[sector("housing"), sector("home-care")])
            allocate(
                recorder,
                organization,
                programme,
                2001,
                1_000,
                origin="reallocated",
                reallocated_from_sector=sector("mental-health"),
            )

        with CaptureQueriesContext(connection) as queries:
            content = page(client, "/funding/new-and-moved/")

        assert len(queries) == 3
        assert keyed(content, "balance-table")["Mental health"][0] == f"${size * 1000:,}.00"


# --- the export ------------------------------------------------------------------------


HEADER = [
    "fiscal_year",
    "organization",
    "organization_slug",
    "region",
    "programme",
    "programme_slug",
    "mode",
    "origin",
    "reallocated_from_programme",
    "reallocated_from_sector",
    "amount",
    "status",
    "starts_on",
    "ends_on",
    "notes",
]


class TestExport:
    def test_the_public_gets_the_published_allocations(self, client, story):
        lines = csv_lines(client, "/funding/export.csv")

        assert lines[0] == HEADER
        assert lines[1] == [
            "2001",
            "Entraide Montréal",
            "entraide-montreal",
            "Montréal",
            "Global mission support",
            "global-mission",
            "global_mission",
            "reallocated",
            "",
            "Mental health",
            "60000.00",
            "published",
            "",
            "",
            "",
        ]
        assert {line[11] for line in lines[1:]} == {"published"}
        assert [(line[1], line[10]) for line in lines[1:]] == [
            ("Entraide Montréal", "60000.00"),
            ("Logement Laval", "30000.00"),
            ("Santé Ontario", "10000.01"),
            ("Entraide Montréal", "50000.00"),
        ]

    def test_the_explorers_filters_apply(self, client, story):
        lines = csv_lines(client, "/funding/export.csv?region=qc&year=2001")

        assert [line[1] for line in lines[1:]] == ["Entraide Montréal", "Logement Laval"]
        response = client.get("/funding/export.csv?region=qc&year=2001")
        assert response["Content-Disposition"] == ('attachment; filename="funding-2001-qc.csv"')

    def test_an_editor_gets_its_approved_allocation_with_details_never_a_draft(
        self, client, story, entraide_editor
    ):
        client.force_login(entraide_editor)

        lines = csv_lines(client, "/funding/export.csv")

        rows = {line[11]: line for line in lines[1:] if line[1] == "Entraide Montréal"}
        assert rows["approved"][10:] == ["7000.00", "approved", "", "", "Approved note"]
        assert "draft" not in [line[11] for line in lines[1:]]
        assert len(lines) == 1 + 5
        moved = next(line for line in lines[1:] if line[9] == "Mental health")
        assert moved[12:] == ["2001-04-01", "2002-03-31", "Moved from mental health"]
        # No details of other organizations' allocations.
        logement = next(line for line in lines[1:] if line[1] == "Logement Laval")
        assert logement[12:] == ["", "", ""]

    def test_finance_staff_get_their_programmes_drafts_marked_as_drafts(
        self, client, story, mission_staff
    ):
        client.force_login(mission_staff)

        lines = csv_lines(client, "/funding/export.csv")

        drafts = [line for line in lines[1:] if line[11] == "draft"]
        assert sorted((line[1], line[10], line[14]) for line in drafts) == [
            ("Entraide Montréal", "99000.00", "Draft note"),
            ("Logement Laval", "5000.00", ""),
        ]
        assert len(lines) == 1 + 6
        assert "approved" not in [line[11] for line in lines[1:]]

    @pytest.mark.parametrize(
        ("querystring", "parameter"),
        [("year=soon", "year"), ("region=zz", "region"), ("programme=nope", "programme")],
    )
    def test_bad_parameters_are_a_400_naming_them(self, client, story, querystring, parameter):
        response = client.get(f"/funding/export.csv?{querystring}")

        assert response.status_code == 400
        assert f"The parameter “{parameter}” is not valid" in response.content.decode()

    def test_a_name_that_looks_like_a_formula_is_not_run(self, client, story):
        story["entraide"].__class__.objects.filter(pk=story["entraide"].pk).update(
            name="=HYPERLINK(1)"
        )

        lines = csv_lines(client, "/funding/export.csv")

        assert lines[1][1] == "'=HYPERLINK(1)"
        assert lines[1][10] == "60000.00"

    def test_in_french(self, client, story):
        lines = csv_lines(client, "/fr/funding/export.csv")

        assert lines[0] == HEADER
        assert lines[1][3] == "Montréal"
        assert lines[1][9] == "Santé mentale"
        assert lines[1][10] == "60000.00"

    def test_a_formula_name_among_several_programmes_is_quoted(self, client, story, recorder):
        formula = OrganizationFactory(name="=HYPERLINK(1)", slug="formula")
        allocate(recorder, formula, story["housing"], 2001, 1_000)

        lines = csv_lines(client, "/funding/export.csv?programme=housing-projects")

        assert "'=HYPERLINK(1)" in [line[1] for line in lines]

    @pytest.mark.parametrize("size", [2, 30])
    def test_one_query_whatever_the_number_of_allocations(self, client, recorder, size):
        secretariat = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
        programme = make_programme(
            "Programme", "programme", secretariat, "project", {2001: 10_000_000}
        )
        for _number in range(size):
            allocate(recorder, OrganizationFactory(), programme, 2001, 1_000)

        with CaptureQueriesContext(connection) as queries:
            lines = csv_lines(client, "/funding/export.csv")

        assert len(lines) == size + 1
        assert len(queries) == 1
        assert Allocation.objects.count() == size


# --- the arithmetic --------------------------------------------------------------------


def test_an_amount_shared_between_sectors_adds_up_to_the_cent():
    assert split(Decimal("10000.01"), 2) == [Decimal("5000.01"), Decimal("5000.00")]
    assert split(Decimal("100"), 3) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert sum(split(Decimal("0.05"), 3)) == Decimal("0.05")
