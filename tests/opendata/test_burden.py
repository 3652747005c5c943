"""The representation burden of /api/v1/: each organization's figures as the /burden/
dashboard and its CSV export show them (equal to them, on the day asked for), nothing
the dashboard does not show, the filters and their refusals, constant queries per page,
French labels, and answers matching the description."""

import datetime
from decimal import Decimal

import jsonschema
import pytest

from concertation.factories import ForumFactory, OrganizationFactory
from consultations.fora import burden_report
from consultations.fora.burden import window
from consultations.fora.models import Attendance, Meeting, Seat
from consultations.fora.services import assign_seat
from organizations.models import Organization, Region
from tests.opendata.support import body_schema, ids, queries_per_page, refused

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

BURDEN = "/api/v1/burden/"
AS_OF = datetime.date(2001, 12, 31)
FIELDS = {
    "id",
    "name",
    "region",
    "as_of",
    "window_starts_on",
    "staff_fte",
    "active_seats",
    "distinct_fora",
    "meeting_hours_per_month",
    "travel_hours_per_month",
    "unsupported_hours_per_month",
    "hours_per_fte",
    "burden_index",
    "overloaded",
    "url",
}


def meeting(forum, held_on, term, hours=3, **fields) -> Meeting:
    fields.setdefault("mode", "online")
    held = Meeting.objects.create(
        forum=forum, held_on=held_on, duration_hours=Decimal(hours), **fields
    )
    Attendance.objects.create(meeting=held, term=term, attended=True)
    return held


@pytest.fixture
def story():
    """A coalition with one staff member holding an unsupported seat since 2001 (six
    three-hour in-person meetings in 2001 with two hours of travel each) and a supported
    one (a per diem) given up at the end of 2001; a volunteer group holding nothing."""
    forum = ForumFactory(name="Regional table")
    other = ForumFactory(name="Working group")
    coalition = OrganizationFactory(
        name="Coalition", staff_fte=Decimal(1), region=Region.objects.get(code="qc-08")
    )
    volunteers = OrganizationFactory(name="Volunteers", staff_fte=None)
    bare = Seat.objects.create(forum=forum, label="Bare seat", designation="government")
    paid = Seat.objects.create(
        forum=other, label="Paid seat", designation="government", per_diem=Decimal(50)
    )
    held = assign_seat(bare, coalition, starts_on=datetime.date(2001, 1, 1))
    given_up = assign_seat(
        paid, coalition, starts_on=datetime.date(2001, 1, 1), ends_on=datetime.date(2002, 1, 1)
    )
    for month in range(1, 7):
        meeting(
            forum,
            datetime.date(2001, month, 10),
            held,
            mode="in_person",
            travel_hours=Decimal(2),
        )
    meeting(other, datetime.date(2001, 9, 1), given_up, hours=6)
    return {"coalition": coalition, "volunteers": volunteers}


def test_an_organization_s_figures_as_the_dashboard_shows_them(client, story):
    coalition = story["coalition"]

    record = client.get(BURDEN, {"organization": coalition.pk, "as_of": "2001-12-31"}).json()[
        "results"
    ][0]

    assert set(record) == FIELDS  # no meeting, delegate or attendance of its own
    assert record["as_of"] == "2001-12-31" and record["window_starts_on"] == "2001-01-01"
    assert (record["active_seats"], record["distinct_fora"]) == (2, 2)
    # 6 × 3 h + 6 h of meetings, 6 × 2 h of travel, the bare seat's 30 h unsupported.
    assert record["meeting_hours_per_month"] == 2.0
    assert record["travel_hours_per_month"] == 1.0
    assert record["unsupported_hours_per_month"] == 2.5
    assert record["hours_per_fte"] == 3.0 and record["burden_index"] == 5.5
    assert record["overloaded"] is False
    assert record["region"]["id"] == "qc-08"
    assert record["url"] == (
        f"http://testserver/organizations/{coalition.slug}/seats/?as_of=2001-12-31"
    )
    dashboard = {row.pk: row for row in burden_report.rows(window(AS_OF))}[coalition.pk]
    assert record["burden_index"] == round(dashboard.burden_index, 2)
    assert record["active_seats"] == dashboard.active_seats


def test_every_organization_is_listed_with_today_s_burden(client, story):
    volunteers = client.get(f"{BURDEN}{story['volunteers'].pk}/").json()
    today = client.get(f"{BURDEN}{story['coalition'].pk}/").json()

    # Every organization, the fora's convenors too, as the dashboard lists them.
    assert ids(client.get(BURDEN)) == sorted(Organization.objects.values_list("pk", flat=True))
    assert volunteers["staff_fte"] is None and volunteers["hours_per_fte"] is None
    assert volunteers["active_seats"] == 0 and volunteers["burden_index"] == 0.0
    assert today["as_of"] == datetime.date.today().isoformat()
    # The seat given up at the end of 2001 no longer counts; the meetings left the window.
    assert (today["active_seats"], today["meeting_hours_per_month"]) == (1, 0.0)


def test_the_burden_of_a_year_is_measured_on_its_last_day(client, story):
    by_year = client.get(BURDEN, {"year": "2001"}).json()["results"]
    by_day = client.get(BURDEN, {"as_of": "2001-12-31"}).json()["results"]
    earlier = client.get(BURDEN, {"as_of": "2001-03-31", "organization": story["coalition"].pk})

    assert by_year == by_day
    [record] = earlier.json()["results"]
    assert record["window_starts_on"] == "2000-04-01"
    assert record["meeting_hours_per_month"] == 0.75  # three meetings of three hours


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"as_of": "2001-02-30"}, "as_of"),
        ({"as_of": "31/12/2001"}, "as_of"),
        ({"year": "01"}, "year"),
        ({"year": "2001", "as_of": "2001-12-31"}, "year"),
        ({"organization": "999999"}, "organization"),
        ({"organization": "coalition"}, "organization"),
        ({"sort": "burden_index"}, "sort"),
        ({"fields": "id,delegate"}, "fields"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(client, story, params, parameter):
    assert refused(client.get(BURDEN, params)) == parameter


def test_french_labels(client, story):
    record = client.get(f"{BURDEN}{story['coalition'].pk}/", {"lang": "fr"}).json()

    assert record["region"]["label"] == Region.objects.get(code="qc-08").name_fr
    assert record["url"].startswith("http://testserver/fr/")


def test_a_page_of_5_and_a_page_of_25_cost_the_same_queries(client, story):
    forum = ForumFactory(name="Busy table")
    for number in range(30):
        seat = Seat.objects.create(forum=forum, label=f"Seat {number}", designation="government")
        term = assign_seat(seat, OrganizationFactory(), starts_on=datetime.date(2001, 1, 1))
        meeting(forum, datetime.date(2001, 6, 1), term)

    counts = queries_per_page(client, BURDEN)

    assert counts[5] == counts[25]


def test_the_answers_are_the_bodies_described(client, story):
    description = client.get("/api/v1/openapi.json").json()
    answers = [
        (BURDEN, client.get(BURDEN, {"year": "2001", "lang": "fr"})),
        ("/api/v1/burden/{id}/", client.get(f"{BURDEN}{story['volunteers'].pk}/")),
    ]

    for path, response in answers:
        assert response.status_code == 200, (path, response.content)
        jsonschema.validate(response.json(), body_schema(description, path, 200))
    jsonschema.validate(
        client.get(BURDEN, {"year": "x"}).json(), body_schema(description, BURDEN, 400)
    )
    query = {p["name"] for p in description["paths"][BURDEN]["get"]["parameters"]}
    assert {"as_of", "year", "organization"} <= query
