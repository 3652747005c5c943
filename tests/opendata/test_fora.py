"""The fora, seats, seat terms and meetings of /api/v1/ and their Popolo document: what
the public fora pages show (a delegate for today's term only), the filters and their
refusals, constant queries per page, French labels, and answers matching the
description."""

import datetime
import re
from decimal import Decimal

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from concertation.factories import ForumFactory, OrganizationFactory, SectorFactory
from consultations.fora.models import Attendance, Meeting, Seat
from consultations.fora.services import assign_seat
from tests.opendata.support import body_schema, ids, queries_per_page

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

API = "/api/v1/"
POPOLO = "/api/v1/popolo/fora.json"
LISTS = ("fora", "seats", "seat-terms", "meetings")


def forum_of(sectors=(), **fields):
    forum = ForumFactory(**fields)
    forum.sectors.set(sectors)
    return forum


def add_seat(forum, label: str, **fields) -> Seat:
    fields.setdefault("designation", "government")
    return Seat.objects.create(forum=forum, label=label, **fields)


def add_meeting(forum, held_on: datetime.date, attended=(), **fields) -> Meeting:
    fields.setdefault("duration_hours", Decimal(3))
    fields.setdefault("mode", "online")
    meeting = Meeting.objects.create(forum=forum, held_on=held_on, **fields)
    for term in attended:
        Attendance.objects.create(meeting=meeting, term=term, attended=True)
    return meeting


@pytest.fixture
def world():
    """A forum with a housing seat held by one organization in 2001–2002 (its delegate
    named) and by another since 2003 (delegate named), a vacant seat, two meetings; and a
    second forum with one seat and an online meeting in 2010."""
    housing = SectorFactory(code="api-housing", name_en="Housing", name_fr="Logement")
    forum = forum_of([housing], name="Table régionale", kind="government_table")
    other_forum = ForumFactory(name="Working group", kind="working_group")
    before = OrganizationFactory(name="Before")
    now = OrganizationFactory(name="Now")
    seat = add_seat(forum, "Housing seat", designation="sector", sector=housing, per_diem=50)
    vacant = add_seat(forum, "Vacant seat")
    other_seat = add_seat(other_forum, "Other seat")
    past = assign_seat(
        seat,
        before,
        starts_on=datetime.date(2001, 1, 1),
        ends_on=datetime.date(2003, 1, 1),
        delegate="Paula Past",
    )
    current = assign_seat(seat, now, starts_on=datetime.date(2003, 1, 1), delegate="Cora Current")
    elsewhere = assign_seat(other_seat, before, starts_on=datetime.date(2009, 1, 1))
    meeting_2002 = add_meeting(
        forum,
        datetime.date(2002, 5, 1),
        attended=[past],
        mode="in_person",
        travel_hours=Decimal(2),
    )
    meeting_2004 = add_meeting(forum, datetime.date(2004, 5, 1), attended=[current])
    meeting_2010 = add_meeting(other_forum, datetime.date(2010, 5, 1), attended=[elsewhere])
    return {
        "forum": forum,
        "other_forum": other_forum,
        "before": before,
        "now": now,
        "seat": seat,
        "vacant": vacant,
        "other_seat": other_seat,
        "past": past,
        "current": current,
        "elsewhere": elsewhere,
        "meeting_2002": meeting_2002,
        "meeting_2004": meeting_2004,
        "meeting_2010": meeting_2010,
    }


def test_a_forum_with_what_its_page_shows(client, world):
    forum = world["forum"]

    listed = ids(client.get(f"{API}fora/"))
    record = client.get(f"{API}fora/{forum.pk}/").json()

    assert sorted(listed) == sorted([forum.pk, world["other_forum"].pk])
    assert record["name"] == "Table régionale"
    assert record["kind"] == {"id": "government_table", "label": "Government-convened table"}
    assert record["convenor"] == {"id": forum.convenor_id, "name": forum.convenor.name}
    assert record["sectors"] == [{"id": "api-housing", "label": "Housing", "parent": None}]
    assert record["active_from"] == "2000-01-01" and record["active_until"] is None
    assert record["url"] == f"http://testserver/fora/{forum.slug}/"


def test_a_seat_with_its_support_and_todays_holder(client, world):
    seat = client.get(f"{API}seats/{world['seat'].pk}/").json()
    vacant = client.get(f"{API}seats/{world['vacant'].pk}/").json()

    assert seat["forum"] == {"id": world["forum"].pk, "name": "Table régionale"}
    assert seat["designation"]["id"] == "sector"
    assert seat["designated_for"] == "the sector “Housing”"
    assert seat["sector"]["id"] == "api-housing"
    assert seat["support"]["per_diem"] == "50.00"
    assert seat["holder"] == {"id": world["now"].pk, "name": "Now"}
    assert vacant["holder"] is None


def test_seat_terms_show_the_delegate_of_todays_term_only(client, world):
    """The forum's page names the current holder's delegate, never a past one's: the API
    does the same, and never answers who confirmed an attendance."""
    current = client.get(f"{API}seat-terms/{world['current'].pk}/").json()
    past = client.get(f"{API}seat-terms/{world['past'].pk}/")

    assert current["delegate"] == "Cora Current"
    assert current["organization"] == {"id": world["now"].pk, "name": "Now"}
    assert current["ends_on"] is None
    assert past.json()["delegate"] is None
    assert past.json()["ends_on"] == "2003-01-01"
    assert "Paula Past" not in past.content.decode()
    listed = client.get(f"{API}seat-terms/").content.decode()
    assert "Paula Past" not in listed and "confirmed" not in listed


def test_a_meeting_answers_the_number_of_seats_present_not_who(client, world):
    record = client.get(f"{API}meetings/{world['meeting_2002'].pk}/").json()

    assert record == {
        "id": world["meeting_2002"].pk,
        "forum": {"id": world["forum"].pk, "name": "Table régionale"},
        "held_on": "2002-05-01",
        "duration_hours": "3.00",
        "mode": {"id": "in_person", "label": "In person"},
        "travel_hours": "2.00",
        "seats_present": 1,
    }


@pytest.mark.parametrize(
    ("resource", "params", "expected"),
    [
        ("fora", {"organization": "now"}, ["forum"]),
        ("fora", {"organization": "before"}, ["forum", "other_forum"]),
        ("fora", {"kind": "working_group"}, ["other_forum"]),
        ("fora", {"level": "regional", "year": "2005"}, ["forum", "other_forum"]),
        ("seats", {"forum": "other_forum"}, ["other_seat"]),
        ("seats", {"organization": "before"}, ["seat", "other_seat"]),
        ("seats", {"designation": "sector"}, ["seat"]),
        ("seat-terms", {"forum": "forum"}, ["past", "current"]),
        ("seat-terms", {"organization": "before"}, ["past", "elsewhere"]),
        ("seat-terms", {"seat": "seat"}, ["past", "current"]),
        ("seat-terms", {"year": "2002"}, ["past"]),
        ("seat-terms", {"year": "2003"}, ["current"]),
        ("seat-terms", {"active_on": "2002-12-31"}, ["past"]),
        ("seat-terms", {"active_on": "2009-06-01"}, ["current", "elsewhere"]),
        ("meetings", {"forum": "forum"}, ["meeting_2002", "meeting_2004"]),
        ("meetings", {"organization": "before"}, ["meeting_2002", "meeting_2010"]),
        ("meetings", {"organization": "now"}, ["meeting_2004"]),
        ("meetings", {"year": "2004"}, ["meeting_2004"]),
        ("meetings", {"mode": "in_person"}, ["meeting_2002"]),
    ],
)
def test_each_filter_selects_its_records(client, world, resource, params, expected):
    given = {
        name: str(world[value].pk) if value in world else value for name, value in params.items()
    }

    answered = ids(client.get(f"{API}{resource}/", given))

    assert sorted(answered) == sorted(world[name].pk for name in expected)


@pytest.mark.parametrize(
    ("resource", "params", "parameter"),
    [
        ("fora", {"organization": "999999"}, "organization"),
        ("fora", {"organization": "one"}, "organization"),
        ("fora", {"year": "1850"}, "year"),
        ("fora", {"kind": "pub"}, "kind"),
        ("fora", {"forum": "1"}, "forum"),
        ("seats", {"forum": "999999"}, "forum"),
        ("seats", {"forum": "0"}, "forum"),
        ("seats", {"designation": "anyone"}, "designation"),
        ("seat-terms", {"active_on": "31/12/2002"}, "active_on"),
        ("seat-terms", {"active_on": "2002-02-30"}, "active_on"),
        ("seat-terms", {"seat": "999999"}, "seat"),
        ("seat-terms", {"year": "two thousand"}, "year"),
        ("meetings", {"mode": "telepathy"}, "mode"),
        ("meetings", {"forum": ["1", "2"]}, "forum"),
    ],
)
def test_a_refused_filter_is_a_400_naming_it(client, world, resource, params, parameter):
    response = client.get(f"{API}{resource}/", params)

    assert response.status_code == 400
    assert response.json()["error"]["parameter"] == parameter


@pytest.mark.parametrize("resource", LISTS)
def test_an_unknown_id_is_a_404(client, world, resource):
    response = client.get(f"{API}{resource}/999999/")

    assert response.status_code == 404
    assert response.json()["error"]["parameter"] == "id"


def test_french_labels(client, world):
    forum = client.get(f"{API}fora/{world['forum'].pk}/", {"lang": "fr"}).json()
    seat = client.get(
        f"{API}seats/{world['seat'].pk}/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9"
    ).json()
    meeting = client.get(f"{API}meetings/{world['meeting_2004'].pk}/", {"lang": "fr"}).json()

    assert forum["sectors"][0]["label"] == "Logement"
    assert forum["kind"]["label"] == "Table convoquée par le gouvernement"
    assert "/fr/" in forum["url"]
    assert seat["designated_for"] == "le secteur « Logement »"
    assert meeting["mode"]["label"] == "En ligne"


@pytest.mark.parametrize("resource", LISTS)
def test_a_page_of_5_and_a_page_of_25_cost_the_same_queries(client, resource):
    housing = SectorFactory(code="api-housing")
    for number in range(30):
        forum = forum_of([housing])
        seat = add_seat(forum, f"Seat {number}", designation="sector", sector=housing)
        term = assign_seat(seat, OrganizationFactory(), starts_on=datetime.date(2001, 1, 1))
        add_meeting(forum, datetime.date(2002, 1, 1), attended=[term])

    counts = queries_per_page(client, f"{API}{resource}/")

    assert counts[5] == counts[25]


def test_the_answers_are_the_bodies_described(client, world):
    description = client.get(f"{API}openapi.json").json()

    for resource in LISTS:
        listing = f"{API}{resource}/"
        jsonschema.validate(
            client.get(listing, {"lang": "fr"}).json(), body_schema(description, listing, 200)
        )
        first = ids(client.get(listing))[0]
        jsonschema.validate(
            client.get(f"{listing}{first}/").json(),
            body_schema(description, f"{listing}{{id}}/", 200),
        )
    jsonschema.validate(client.get(POPOLO).json(), body_schema(description, POPOLO, 200))
    refusal = client.get(POPOLO, {"forum": "x"}).json()
    jsonschema.validate(refusal, body_schema(description, POPOLO, 400))


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def test_the_popolo_document_is_whole_and_consistent(client, world):
    response = client.get(POPOLO)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"]
    document = response.json()
    assert set(document) == {"organizations", "posts", "memberships"}
    organizations = {item["id"]: item for item in document["organizations"]}
    posts = {item["id"]: item for item in document["posts"]}
    forum_id = f"concertation:forum:{world['forum'].pk}"
    assert organizations[forum_id]["classification"] == "Government-convened table"
    assert organizations[forum_id]["founding_date"] == "2000-01-01"
    assert organizations[f"concertation:organization:{world['now'].pk}"]["name"] == "Now"
    assert posts[f"concertation:seat:{world['seat'].pk}"] == {
        "id": f"concertation:seat:{world['seat'].pk}",
        "label": "Housing seat",
        "role": "the sector “Housing”",
        "organization_id": forum_id,
    }
    assert len(document["memberships"]) == 3
    for membership in document["memberships"]:
        assert membership["organization_id"] in organizations
        assert membership["post_id"] in posts
        assert posts[membership["post_id"]]["organization_id"] == membership["organization_id"]
        assert membership["on_behalf_of_id"] in organizations
        assert membership["member"]["id"] == membership["on_behalf_of_id"]
        for key in ("start_date", "end_date"):
            assert key not in membership or ISO_DAY.fullmatch(membership[key])
    past = next(
        item
        for item in document["memberships"]
        if item["id"] == f"concertation:seat-term:{world['past'].pk}"
    )
    assert (past["start_date"], past["end_date"]) == ("2001-01-01", "2002-12-31")
    assert "Paula Past" not in response.content.decode()
    assert "Cora Current" not in response.content.decode()


def test_the_popolo_document_of_one_forum_in_french(client, world):
    response = client.get(POPOLO, {"forum": world["other_forum"].pk, "lang": "fr"})

    document = response.json()
    assert response["Content-Language"] == "fr"
    assert [item["id"] for item in document["posts"]] == [
        f"concertation:seat:{world['other_seat'].pk}"
    ]
    assert [item["id"] for item in document["organizations"]] == [
        f"concertation:forum:{world['other_forum'].pk}",
        f"concertation:organization:{world['before'].pk}",
    ]
    assert document["organizations"][0]["classification"] == "Groupe de travail"
    assert "/fr/" in document["organizations"][0]["links"][0]["url"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({"forum": "999999"}, "forum"), ({"page_size": "5"}, "page_size"), ({"lang": "de"}, "lang")],
)
def test_the_popolo_document_refuses_bad_parameters(client, world, params, parameter):
    response = client.get(POPOLO, params)

    assert response.status_code == 400
    assert response.json()["error"]["parameter"] == parameter


def test_the_popolo_document_answers_304_to_its_etag_and_costs_the_same_queries(client, world):
    first = client.get(POPOLO)
    again = client.get(POPOLO, HTTP_IF_NONE_MATCH=first["ETag"])
    with CaptureQueriesContext(connection) as few:
        client.get(POPOLO)
    for number in range(5):
        seat = add_seat(world["forum"], f"More {number}")
        assign_seat(seat, OrganizationFactory(), starts_on=datetime.date(2001, 1, 1))
    with CaptureQueriesContext(connection) as more:
        client.get(POPOLO)

    assert again.status_code == 304
    assert len(few) == len(more)


def test_the_description_lists_the_new_paths(client):
    paths = client.get(f"{API}openapi.json").json()["paths"]

    for resource in LISTS:
        assert f"{API}{resource}/" in paths and f"{API}{resource}/{{id}}/" in paths
    assert POPOLO in paths
    listing = paths[f"{API}seat-terms/"]["get"]
    query = {p["name"] for p in listing["parameters"] if p["in"] == "query"}
    assert {"forum", "organization", "seat", "year", "active_on"} <= query
