"""Public pages of the fora and the representation burden: the list of fora, a forum,
an organization's own seats, the dashboard and its CSV export — content, languages,
refused parameters, and query counts that do not grow with the data."""

import csv
import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify

from consultations.fora import burden_report
from consultations.fora import views as fora_views
from consultations.fora.models import Forum, Meeting, Seat
from consultations.fora.services import assign_seat, confirm_attendance
from organizations.models import Constituency, Organization, OrganizationKind, Region, Sector
from tests.chart_reading import chart_bars, chart_html
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2002, 12, 31)
STARTED = datetime.date(2001, 1, 1)
# The statements around the burden's grouped queries on PostgreSQL: a savepoint (the
# tests run in a transaction), `SET LOCAL jit = off`, and the savepoint's release.
WITHOUT_JIT = 3 if connection.vendor == "postgresql" else 0


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:800]
    return html.unescape(response.content.decode())


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def sector(code: str) -> Sector:
    return Sector.objects.get(code=code)


def make_forum(name: str, convenor: Organization, **fields) -> Forum:
    fields.setdefault("level", "regional")
    fields.setdefault("kind", "government_table")
    fields.setdefault("region", region("qc-06"))
    return Forum.objects.create(
        name=name,
        slug=slugify(name),
        convenor=convenor,
        active_from=datetime.date(2000, 1, 1),
        **fields,
    )


def meeting(forum: Forum, day: datetime.date, hours: int, travel: int = 0) -> Meeting:
    return Meeting.objects.create(
        forum=forum,
        held_on=day,
        duration_hours=hours,
        mode="in_person" if travel else "online",
        travel_hours=travel,
    )


@pytest.fixture
def story(settings):
    """One regional table in Montréal with three seats: Entraide Montréal holds the
    community seat (a per diem) and sends Marie Tremblay; Logement Laval, volunteer-run,
    holds the housing seat (no support); the youth seat is vacant since its former
    holder's term ended. Two meetings in 2002: in March (3 h, 2 h of travel), which both
    holders attended, and in June (2 h online), which only Entraide attended."""
    settings.BURDEN_WINDOW_MONTHS = 12
    settings.BURDEN_OVERLOAD_INDEX = 1.5
    settings.BURDEN_OVERLOAD_SEATS = 6
    settings.BURDEN_MIN_FTE = 0.5
    ministry = OrganizationFactory(
        name="Ministère de la Santé",
        kind=OrganizationKind.GOVERNMENT,
        region=region("qc"),
        sectors=[],
    )
    entraide = OrganizationFactory(
        name="Entraide Montréal",
        staff_fte=Decimal(2),
        region=region("qc-06"),
        sectors=[sector("home-care")],
    )
    logement = OrganizationFactory(
        name="Logement Laval",
        staff_fte=Decimal(0),
        region=region("qc-13"),
        sectors=[sector("housing")],
    )
    former = OrganizationFactory(
        name="Ancien titulaire",
        staff_fte=Decimal(1),
        region=region("qc-06"),
        sectors=[sector("mental-health")],
    )
    table = make_forum("Table régionale de concertation", ministry)
    table.sectors.set([sector("health-social")])
    community = Seat.objects.create(
        forum=table,
        label="Community seat",
        designation="sector",
        sector=sector("home-care"),
        per_diem=Decimal(100),
    )
    housing = Seat.objects.create(
        forum=table, label="Housing seat", designation="sector", sector=sector("housing")
    )
    youth = Seat.objects.create(
        forum=table,
        label="Youth seat",
        designation="constituency",
        constituency=Constituency.objects.get(code="youth"),
        travel_allowance=Decimal(40),
        release_time_hours=Decimal(4),
    )
    entraide_term = assign_seat(community, entraide, starts_on=STARTED, delegate="Marie Tremblay")
    logement_term = assign_seat(housing, logement, starts_on=STARTED)
    assign_seat(
        youth, former, starts_on=datetime.date(2000, 1, 1), ends_on=datetime.date(2002, 1, 1)
    )
    march = meeting(table, datetime.date(2002, 3, 10), 3, travel=2)
    june = meeting(table, datetime.date(2002, 6, 10), 2)
    confirm_attendance(march, entraide_term, attended=True, user=None)
    confirm_attendance(march, logement_term, attended=True, user=None)
    confirm_attendance(june, entraide_term, attended=True, user=None)
    return {
        "ministry": ministry,
        "entraide": entraide,
        "logement": logement,
        "former": former,
        "table": table,
    }


def cells(row_html: str) -> list[str]:
    """The text of each cell of a table row."""
    found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row_html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in found]


def burden_table(content: str) -> dict[str, list[str]]:
    """The dashboard's organization rows by slug."""
    table = content[content.index('id="burden-table"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<tr[^>]*data-organization="([^"]+)"[^>]*>(.*?)</tr>', table, flags=re.S)
    return {slug: cells(row) for slug, row in rows}


def group_table(content: str, table_id: str) -> dict[str, list[str]]:
    table = content[content.index(f'id="{table_id}"') :]
    table = table[table.index("<tbody>") : table.index("</table>")]
    rows = [cells(row) for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)]
    return {row[0]: row[1:] for row in rows}


# --- the list of fora ------------------------------------------------------------------


class TestForumList:
    def test_each_forum_with_its_seats_and_vacancies(self, client, story):
        content = page(client, "/fora/")

        assert f'<a href="{story["table"].get_absolute_url()}">Table régionale' in content
        assert "Regional · Government-convened table · Montréal" in content
        assert "convened by Ministère de la Santé" in content
        assert "Health and social services" in content
        assert "3 seats · 1 vacant" in content

    @pytest.mark.parametrize(
        ("querystring", "shown"),
        [
            ("level=regional", True),
            ("level=national", False),
            ("kind=government_table", True),
            ("kind=health_board", False),
            ("region=qc-06", True),
            ("region=qc", True),  # a province selects its administrative regions
            ("region=qc-13", False),
            ("level=regional&kind=government_table&region=qc", True),
        ],
    )
    def test_filters(self, client, story, querystring, shown):
        OrganizationFactory(name="Other convenor")
        make_forum(
            "National working group",
            story["logement"],
            level="national",
            kind="working_group",
            region=region("on"),
        )

        content = page(client, f"/fora/?{querystring}")

        assert ("Table régionale de concertation" in content) is shown
        assert "Clear all filters" in content

    @pytest.mark.parametrize(
        ("querystring", "parameter"),
        [
            ("level=galactic", "level"),
            ("kind=secret_society", "kind"),
            ("region=zz-99", "region"),
            ("region=%3Cscript%3E", "region"),
            ("level=local&level=national", "level"),
            ("page=abc", "page"),
            ("page=0", "page"),
            ("page=2", "page"),
            ("page=" + "9" * 12, "page"),
        ],
    )
    def test_bad_parameters_are_a_400_naming_them(self, client, story, querystring, parameter):
        content = page(client, f"/fora/?{querystring}", status=400)

        assert f"The parameter “{parameter}” is not valid" in content

    def test_unknown_parameters_are_ignored(self, client, story):
        assert "Table régionale" in page(client, "/fora/?utm_source=mail&sort=evil")

    def test_in_french(self, client, story):
        content = page(client, "/fr/fora/?region=qc")

        assert '<html lang="fr">' in content
        assert "Organismes" in content
        assert "Santé et services sociaux" in content
        assert 'href="/fr/fora/table-regionale-de-concertation/"' in content

    def test_in_french_a_bad_parameter_is_named_in_french(self, client, story):
        content = page(client, "/fr/fora/?level=galactic", status=400)

        assert "Le paramètre « level » n'est pas valide" in content

    @pytest.mark.parametrize("size", [2, 25])
    def test_queries_do_not_grow_with_fora_and_seats(self, client, size):
        """The regions, the count, the page with its seat counts, the page's sectors."""
        convenor = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
        holder = OrganizationFactory()
        for number in range(size):
            forum = make_forum(f"Forum {number:02d}", convenor)
            forum.sectors.set([sector("housing"), sector("home-care")])
            for seat_number in range(3):
                seat = Seat.objects.create(
                    forum=forum, label=f"Seat {seat_number}", designation="government"
                )
                if seat_number:
                    assign_seat(seat, holder, starts_on=STARTED)

        with CaptureQueriesContext(connection) as queries:
            content = page(client, "/fora/?region=qc")

        assert len(queries) == 4
        assert content.count("3 seats · 1 vacant") == size


# --- one forum -------------------------------------------------------------------------


class TestForumPage:
    def test_seats_holders_vacancies_and_support(self, client, story):
        content = page(client, "/fora/table-regionale-de-concertation/")

        rows = {
            row[0]: row
            for row in map(
                cells, re.findall(r"<tr class=\"seat--[^\"]+\">(.*?)</tr>", content, flags=re.S)
            )
        }
        assert rows["Community seat"][1:5] == [
            "The sector “Home care”",
            "Per diem: $100.00 a meeting",
            "Entraide Montréal since Jan. 1, 2001",
            "Marie Tremblay",
        ]
        assert rows["Housing seat"][2] == "No support"
        assert rows["Housing seat"][3].startswith("Logement Laval")
        assert rows["Youth seat"][1] == "The constituency “Youth”"
        assert rows["Youth seat"][2] == (
            "Travel costs: up to $40.00 a meeting Release time: 4 h a month"
        )
        assert rows["Youth seat"][3] == "Vacant"
        assert "Ancien titulaire" in rows["Youth seat"][5]
        assert "3 seats · 1 vacant" in content
        # The facts.
        assert "Ministère de la Santé" in content
        assert "Health and social services" in content
        assert "Government-convened table" in content
        # Holders link to their seats.
        assert f'href="/organizations/{story["entraide"].slug}/seats/"' in content

    def test_recent_meetings_with_duration_mode_and_travel(self, client, story):
        content = page(client, story["table"].get_absolute_url())

        meetings = content[content.index('class="assessments data-table meetings"') :]
        rows = [cells(row) for row in re.findall(r"<tr>(.*?)</tr>", meetings, flags=re.S)][1:]
        assert rows == [
            ["June 10, 2002", "2", "Online", "0", "1"],
            ["March 10, 2002", "3", "In person", "2", "2"],
        ]

    def test_in_french(self, client, story):
        content = page(client, "/fr/fora/table-regionale-de-concertation/")

        assert '<html lang="fr">' in content
        assert "Santé et services sociaux" in content
        assert "Soutien à domicile" in content
        assert "Entraide Montréal" in content

    def test_unknown_forum_is_a_404(self, client):
        assert client.get("/fora/no-such-forum/").status_code == 404
        assert client.get("/fr/fora/no-such-forum/").status_code == 404

    def test_get_absolute_url(self, story):
        assert story["table"].get_absolute_url() == "/fora/table-regionale-de-concertation/"

    def test_queries_do_not_grow_with_seats_terms_and_meetings(self, client):
        """The forum with its convenor and region, its sectors, its seats, their terms
        with their holders, and the recent meetings: 5, for 2 seats or 30."""
        convenor = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
        counts = []
        for size in (2, 30):
            forum = make_forum(f"Forum of {size}", convenor)
            forum.sectors.set([sector("housing")])
            for number in range(size):
                seat = Seat.objects.create(
                    forum=forum,
                    label=f"Seat {number:02d}",
                    designation="sector",
                    sector=sector("housing"),
                )
                former, holder = OrganizationFactory(), OrganizationFactory()
                assign_seat(seat, former, starts_on=datetime.date(1999, 1, 1), ends_on=STARTED)
                term = assign_seat(seat, holder, starts_on=STARTED)
                held = meeting(forum, datetime.date(2002, 1, 1) + datetime.timedelta(number), 2)
                confirm_attendance(held, term, attended=True, user=None)
            with CaptureQueriesContext(connection) as queries:
                content = page(client, forum.get_absolute_url())
            counts.append(len(queries))
            assert content.count('class="seat--held"') == size
        assert counts == [5, 5]


# --- an organization's seats -----------------------------------------------------------


class TestOurSeats:
    def test_seats_support_burden_and_trend(self, client, story):
        entraide = story["entraide"]

        content = page(client, f"/organizations/{entraide.slug}/seats/?as_of=2002-12-31")

        assert "Our seats — Entraide Montréal" in content
        held = content[content.index('id="seats-active"') : content.index('id="seats-past"')]
        assert "Table régionale de concertation" in held
        assert "Community seat" in held
        assert "Per diem: $100.00 a meeting" in held
        assert "Marie Tremblay" in held
        # Two meetings attended in the window: 3 + 2 h, and 2 h of travel.
        row = cells(re.search(r"<tr><th scope=\"row\">(.*?)</tr>", held, flags=re.S).group(0))
        assert row[-3:] == ["2", "5.00", "2.00"]
        figures = content[content.index('class="facts burden-figures"') :]
        figures = dict(
            re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", figures[: figures.index("</dl>")])
        )
        assert figures == {
            "Active seats": "1",
            "Fora": "1",
            "Meeting hours per month": "0.42",
            "Travel hours per month": "0.17",
            "Unsupported hours per month": "0.00",
            "Staff (full-time equivalents)": "2.00",
            "Hours per month per staff FTE": "0.29",
            "Burden index": "0.29",
        }
        assert "Overloaded" not in content[content.index('id="seats-burden"') :]

    def test_trend_chart_and_its_table(self, client, story):
        content = page(client, f"/organizations/{story['entraide'].slug}/seats/?as_of=2002-12-31")

        chart = chart_html(content, "trend-chart")
        assert "Meeting and travel hours per month, the 12 months to Dec. 31, 2002" in chart
        bars = chart_bars(content, "trend-chart")
        # Labelled and written as the table below writes them.
        assert ("March 2002", "5.0") in bars
        assert ("June 2002", "2.0") in bars
        assert len(bars) == 12
        assert 'href="#trend-table"' in chart
        trend = content[content.index('id="trend-table"') :]
        rows = [cells(row) for row in re.findall(r"<tr>(.*?)</tr>", trend, flags=re.S)][1:]
        assert rows[0] == ["January 2002", "0.0"]
        assert ["March 2002", "5.0"] in rows
        assert ["June 2002", "2.0"] in rows
        assert len(rows) == 12

    def test_an_overloaded_organization_is_flagged(self, client, story):
        content = page(client, f"/organizations/{story['logement'].slug}/seats/?as_of=2002-12-31")

        assert "No support" in content
        assert '<p class="notice overloaded" role="note"><strong>Overloaded</strong>' in content
        assert "No paid staff recorded" in content

    def test_past_seats(self, client, story):
        content = page(client, f"/organizations/{story['former'].slug}/seats/?as_of=2002-12-31")

        assert "It holds no seat on this date." in content
        past = content[content.index('id="seats-past"') :]
        assert "Youth seat" in past
        assert "from Jan. 1, 2000 to Jan. 1, 2002" in past

    def test_linked_from_the_profile(self, client, story):
        content = page(client, story["entraide"].get_absolute_url())

        assert f'href="/organizations/{story["entraide"].slug}/seats/"' in content

    def test_in_french(self, client, story):
        content = page(client, f"/fr/organizations/{story['entraide'].slug}/seats/")

        assert '<html lang="fr">' in content
        assert "Organismes" in content
        assert 'href="/fr/fora/table-regionale-de-concertation/"' in content

    @pytest.mark.parametrize(
        "value", ["yesterday", "2002-13-45", "31/12/2002", "20021231", "0001-01-01"]
    )
    def test_a_bad_date_is_a_400_naming_as_of(self, client, story, value):
        content = page(
            client, f"/organizations/{story['entraide'].slug}/seats/?as_of={value}", status=400
        )

        assert "The parameter “as_of” is not valid" in content

    def test_unknown_organization_is_a_404(self, client):
        assert client.get("/organizations/no-such-organization/seats/").status_code == 404

    def test_queries_do_not_grow_with_seats(self, client, story):
        """The organization with its burden, its terms with their seats and fora, the
        trend: 3, for 1 seat or 15."""
        busy = OrganizationFactory(name="Busy", staff_fte=Decimal(3))
        convenor = story["ministry"]
        for number in range(15):
            forum = make_forum(f"Busy forum {number:02d}", convenor)
            seat = Seat.objects.create(forum=forum, label="Seat", designation="government")
            term = assign_seat(seat, busy, starts_on=STARTED)
            confirm_attendance(
                meeting(forum, datetime.date(2002, 5, 1), 2), term, attended=True, user=None
            )

        counts = []
        for organization in (story["entraide"], busy):
            with CaptureQueriesContext(connection) as queries:
                page(client, f"/organizations/{organization.slug}/seats/?as_of=2002-12-31")
            counts.append(len(queries))

        assert counts == [3, 3]


# --- the dashboard and the export -----------------------------------------------------


class TestBurdenDashboard:
    def test_organizations_heaviest_first_with_every_figure(self, client, story):
        content = page(client, "/burden/?as_of=2002-12-31")

        rows = burden_table(content)
        assert list(rows) == [
            "logement-laval",
            "entraide-montreal",
            "ancien-titulaire",
            "ministere-de-la-sante",
        ]
        # The organization, its index and whether it is overloaded first; then the
        # figures they come from.
        assert rows["logement-laval"] == [
            "Logement Laval",
            "1.67",
            "Overloaded",
            "Laval",
            "0.00",
            "1",
            "1",
            "0.25",
            "0.17",
            "0.42",
            "—",
        ]
        assert rows["entraide-montreal"] == [
            "Entraide Montréal",
            "0.29",
            "No",
            "Montréal",
            "2.00",
            "1",
            "1",
            "0.42",
            "0.17",
            "0.00",
            "0.29",
        ]
        headers = re.findall(r'<th scope="col" class="column--(\w+)"', content)
        assert headers[:3] == ["organization", "burden_index", "overloaded"]
        assert "4 organizations · 1 overloaded" in content
        assert '<tr class="row--overloaded" data-organization="logement-laval">' in content

    def test_by_sector_and_by_region(self, client, story):
        content = page(client, "/burden/?as_of=2002-12-31")

        sectors = group_table(content, "sector-table")
        # Home care rolls up into its sector; the ministry has none.
        # The mean index and the overloaded organizations first, as in the main table.
        assert sectors["Housing"] == ["1.67", "1", "1", "1", "0.25", "0.17", "0.42", "0.42"]
        assert sectors["Health and social services"] == [
            "0.15",
            "0",
            "2",
            "1",
            "0.42",
            "0.17",
            "0.58",
            "0.00",
        ]
        assert sectors["No sector recorded"][2] == "1"
        regions = group_table(content, "region-table")
        assert regions["Montréal"] == ["0.15", "0", "2", "1", "0.42", "0.17", "0.58", "0.00"]
        assert regions["Laval"][1:3] == ["1", "1"]
        assert list(regions) == ["Montréal", "Laval", "Quebec"]  # the most hours first
        # Folded under their charts, to keep the page short; the charts link to them.
        for table_id in ("sector-table", "region-table"):
            before = content[: content.index(f'id="{table_id}"')]
            assert before.rfind('<details class="table-details">') > before.rfind("</details>")

    def test_charts_are_text_beside_bars_with_the_table_numbers(self, client, story):
        content = page(client, "/burden/?as_of=2002-12-31")

        for chart_id, table_id, title in [
            ("organization-chart", "burden-table", "Highest burden index"),
            ("sector-chart", "sector-table", "Meeting and travel hours per month, by sector"),
            ("region-chart", "region-table", "Meeting and travel hours per month, by region"),
        ]:
            chart = chart_html(content, chart_id)
            assert f'<figcaption id="{chart_id}-title">{title}</figcaption>' in chart
            # Its text alternative: the table of the same figures.
            assert f'href="#{table_id}"' in chart
            # Labels and values are HTML text (they keep the page's size on a phone);
            # only the bar is drawn, and hidden from assistive technology.
            assert '<svg class="chart-track"' in chart and 'aria-hidden="true"' in chart
        bars = chart_bars(content, "organization-chart")
        assert bars[0] == ("Logement Laval Overloaded", "1.67")  # not by colour alone
        assert ("Housing", "0.42") in chart_bars(content, "sector-chart")
        assert ("Montréal", "0.58") in chart_bars(content, "region-chart")
        assert "chart-bar--highlight" in chart_html(content, "organization-chart")
        # Bar lengths are written with dots whatever the language; values are not.
        french = page(client, "/fr/burden/?as_of=2002-12-31")
        assert re.search(r'<rect width="\d+\.\d+" height="10"/>', french)
        assert chart_bars(french, "organization-chart")[0][1] == "1,67"

    def test_a_column_header_sorts_the_table_without_javascript(self, client, story):
        default = page(client, "/burden/?as_of=2002-12-31")
        by_name = page(client, "/burden/?as_of=2002-12-31&sort=organization")
        by_name_reversed = page(client, "/burden/?as_of=2002-12-31&sort=-organization")

        alphabetical = [
            "ancien-titulaire",
            "entraide-montreal",
            "logement-laval",
            "ministere-de-la-sante",
        ]
        assert list(burden_table(by_name)) == alphabetical
        assert list(burden_table(by_name_reversed)) == alphabetical[::-1]
        # The sorted column says so; following its header again reverses the order,
        # another header sorts by its column (figures largest first).
        assert (
            '<th scope="col" class="column--burden_index" aria-sort="descending">'
            '<a class="sort-link" href="/burden/?as_of=2002-12-31&sort=burden_index#burden-table">'
        ) in default
        assert (
            '<th scope="col" class="column--organization" aria-sort="ascending">'
            '<a class="sort-link" href="/burden/?as_of=2002-12-31&sort=-organization#burden-table">'
        ) in by_name
        assert 'href="/burden/?as_of=2002-12-31&sort=-active_seats#burden-table"' in by_name
        assert default.count("aria-sort=") == 1
        # Back to the default order: the link carries no `sort`.
        assert 'href="/burden/?as_of=2002-12-31#burden-table"' in by_name
        # Figures are sorted as numbers; an unrecorded one is last either way.
        by_staff = burden_table(page(client, "/burden/?as_of=2002-12-31&sort=-staff_fte"))
        assert list(by_staff) == [
            "entraide-montreal",
            "ancien-titulaire",
            "logement-laval",
            "ministere-de-la-sante",
        ]
        assert by_staff["ministere-de-la-sante"][4] == "—"

    def test_pagination_keeps_the_sort(self, client, story, monkeypatch):
        monkeypatch.setattr(fora_views, "BURDEN_PAGE_SIZE", 3)

        first = page(client, "/burden/?sort=organization")
        second = page(client, "/burden/?sort=organization&page=2")

        assert 'href="/burden/?sort=organization&page=2" rel="next"' in first
        assert list(burden_table(second)) == ["ministere-de-la-sante"]

    def test_pagination_keeps_the_date(self, client, story, monkeypatch):
        monkeypatch.setattr(fora_views, "BURDEN_PAGE_SIZE", 3)

        first = page(client, "/burden/?as_of=2002-12-31")
        second = page(client, "/burden/?as_of=2002-12-31&page=2")

        assert 'href="/burden/?as_of=2002-12-31&page=2" rel="next"' in first
        assert 'href="/burden/?as_of=2002-12-31&page=1" rel="prev"' in second
        assert list(burden_table(second)) == ["ministere-de-la-sante"]
        # The aggregates cover every organization, whatever the page.
        assert group_table(second, "region-table") == group_table(first, "region-table")
        page(client, "/burden/?as_of=2002-12-31&page=3", status=400)

    @pytest.mark.parametrize(
        ("querystring", "parameter"),
        [
            ("as_of=yesterday", "as_of"),
            ("as_of=2002-02-30", "as_of"),
            ("as_of=2002-12-31T00:00", "as_of"),
            ("as_of=0001-01-01", "as_of"),
            ("as_of=2002-01-01&as_of=2003-01-01", "as_of"),
            ("page=abc", "page"),
            ("page=-1", "page"),
            ("page=2", "page"),
            ("sort=evil", "sort"),
            ("sort=name", "sort"),
            ("sort=organization&sort=-organization", "sort"),
        ],
    )
    def test_bad_parameters_are_a_400_naming_them(self, client, story, querystring, parameter):
        content = page(client, f"/burden/?{querystring}", status=400)

        assert f"The parameter “{parameter}” is not valid" in content

    def test_in_french(self, client, story):
        content = page(client, "/fr/burden/?as_of=2002-12-31")

        assert '<html lang="fr">' in content
        assert "Habitation" in content
        assert "Santé et services sociaux" in content
        assert "1,67" in content
        refused = page(client, "/fr/burden/?as_of=hier", status=400)
        assert "Le paramètre « as_of » n'est pas valide" in refused

    @pytest.mark.parametrize("size", [3, 40])
    def test_two_queries_whatever_the_number_of_organizations(self, client, size):
        """The summarized months, then one statement working out, sorting, paging and
        summing the figures in the database (and, on PostgreSQL, JIT turned off in a
        savepoint around them)."""
        convenor = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
        forum = make_forum("A table", convenor)
        for number in range(size):
            organization = OrganizationFactory(
                staff_fte=Decimal(1), sectors=[sector("housing"), sector("home-care")]
            )
            seat = Seat.objects.create(
                forum=forum, label=f"Seat {number}", designation="government"
            )
            term = assign_seat(seat, organization, starts_on=STARTED)
            confirm_attendance(
                meeting(forum, datetime.date(2002, 5, 1), 2), term, attended=True, user=None
            )

        with CaptureQueriesContext(connection) as queries:
            content = page(client, "/burden/?as_of=2002-12-31")

        assert len(queries) == 2 + WITHOUT_JIT
        reads = [query["sql"].lstrip().split(None, 1)[0] for query in queries]
        assert reads.count("SELECT") + reads.count("WITH") == 2
        assert len(burden_table(content)) == min(size + 1, fora_views.BURDEN_PAGE_SIZE)


class TestBurdenExport:
    def read(self, client, url: str) -> list[list[str]]:
        response = client.get(url)
        assert response.status_code == 200
        assert response.streaming
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        body = b"".join(response.streaming_content).decode()
        return list(csv.reader(io.StringIO(body)))

    def test_header_and_rows_match_the_table(self, client, story):
        lines = self.read(client, "/burden/export.csv?as_of=2002-12-31")

        assert lines[0] == [
            "organization",
            "region",
            "staff_fte",
            "active_seats",
            "distinct_fora",
            "meeting_hours_per_month",
            "travel_hours_per_month",
            "unsupported_hours_per_month",
            "hours_per_fte",
            "burden_index",
            "overloaded",
        ]
        assert lines[1] == [
            "Logement Laval",
            "Laval",
            "0.00",
            "1",
            "1",
            "0.25",
            "0.17",
            "0.42",
            "",
            "1.67",
            "true",
        ]
        assert lines[2] == [
            "Entraide Montréal",
            "Montréal",
            "2.00",
            "1",
            "1",
            "0.42",
            "0.17",
            "0.00",
            "0.29",
            "0.29",
            "false",
        ]
        # Every row is the dashboard's, in the same order, column for column (the table
        # shows its key columns first).
        shown = {"—": "", "Overloaded": "true", "No": "false"}
        table = burden_table(page(client, "/burden/?as_of=2002-12-31"))
        order = [key for key, _label in burden_report.TABLE_COLUMNS]
        as_csv = [[row[order.index(key)] for key in lines[0]] for row in table.values()]
        assert [[shown.get(cell, cell) for cell in row] for row in as_csv] == lines[1:]

    def test_named_for_its_date(self, client, story):
        response = client.get("/burden/export.csv?as_of=2002-12-31")

        assert response["Content-Disposition"] == (
            'attachment; filename="representation-burden-2002-12-31.csv"'
        )

    def test_linked_from_the_dashboard(self, client, story):
        content = page(client, "/burden/?as_of=2002-12-31")

        assert 'href="/burden/export.csv?as_of=2002-12-31" download' in content

    def test_a_bad_date_is_a_400_naming_as_of(self, client):
        response = client.get("/burden/export.csv?as_of=31-12-2002")

        assert response.status_code == 400
        assert "The parameter “as_of” is not valid" in response.content.decode()

    def test_in_french(self, client, story):
        lines = self.read(client, "/fr/burden/export.csv?as_of=2002-12-31")

        assert lines[0][0] == "organization"
        assert lines[1][:2] == ["Logement Laval", "Laval"]
        assert lines[1][-2:] == ["1.67", "true"]
        # Names in the visitor's language, numbers written the same way.
        assert lines[-1][:3] == ["Ministère de la Santé", "Québec", ""]
        assert self.read(client, "/burden/export.csv")[-1][1] == "Quebec"

    def test_a_name_that_looks_like_a_formula_is_not_run(self, client):
        OrganizationFactory(name="=HYPERLINK(1)", slug="formula")

        lines = self.read(client, "/burden/export.csv")

        assert lines[1][0] == "'=HYPERLINK(1)"

    @pytest.mark.parametrize("size", [3, 40])
    def test_four_queries_whatever_the_number_of_organizations(self, client, size):
        """The organizations, their grouped seats, the summarized months, their hours."""
        for _number in range(size):
            OrganizationFactory(staff_fte=Decimal(1))

        with CaptureQueriesContext(connection) as queries:
            lines = self.read(client, "/burden/export.csv")

        assert len(lines) == size + 1
        assert len(queries) == 4 + WITHOUT_JIT


# --- the chart geometry ----------------------------------------------------------------


def test_the_largest_bar_fills_its_row_and_values_keep_their_order():
    from concertation import charts

    chart = charts.bar_chart(
        "Hours", [charts.Datum("A", 4.0), charts.Datum("B", 1.0, highlight=True)]
    )

    assert [bar.share for bar in chart.bars] == [100.0, 25.0]
    assert [bar.highlight for bar in chart.bars] == [False, True]
    assert chart.description == "A: 4.00; B: 1.00"


def test_zeros_and_negatives_draw_no_bar_and_an_empty_chart_is_false():
    from concertation import charts

    chart = charts.bar_chart("Months", [charts.Datum("Jan", 0.0), charts.Datum("Feb", 0.0)])
    assert [bar.share for bar in chart.bars] == [0.0, 0.0]
    moved = charts.bar_chart("Net", [charts.Datum("A", -5), charts.Datum("B", 10)])
    assert [bar.share for bar in moved.bars] == [0.0, 100.0]
    assert not charts.bar_chart("Nothing", [])


def test_values_are_written_by_the_given_formatter_in_the_active_language():
    from django.utils import translation

    from concertation import charts, formats

    with translation.override("fr"):
        chart = charts.bar_chart("Argent", [charts.Datum("A", 2114000)], text=formats.money)
    assert chart.bars[0].text == "2\N{NO-BREAK SPACE}114\N{NO-BREAK SPACE}000,00\N{NO-BREAK SPACE}$"
