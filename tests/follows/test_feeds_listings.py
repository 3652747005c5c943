"""The Atom feeds of the public listings (follows.feeds), read back with feedparser: a
valid feed in each language, absolute links, entry ids that never change, nothing a
visitor could not open (drafts, internal versions, restricted pages, unpublished
allocations), and a fixed number of queries whatever the number of records."""

import datetime
from decimal import Decimal

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageViewRestriction

from consultations.fora.models import Meeting, Seat, SeatTerm
from consultations.models import ConsultationRoundPage, PositionPage
from consultations.services.rounds import change_round_state
from follows.feeds import LISTING_FEEDS, feed_url
from organizations.funding.models import Allocation
from tests.consultations.test_rounds import add_round
from tests.factories import (
    ForumFactory,
    OrganizationFactory,
    ProgrammeFactory,
    UserFactory,
    publish_policy_version,
)

pytestmark = pytest.mark.django_db

FAR = datetime.date(2999, 6, 30)


def url_of(name: str, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"follows_feed_{name}")


def fetch(client, name: str, language: str = "en") -> feedparser.FeedParserDict:
    response = client.get(url_of(name, language))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def titles(parsed) -> list[str]:
    return [entry.title for entry in parsed.entries]


class Records:
    """One public record of every listing, and the things no feed may show."""

    def __init__(self, home_page, position_index) -> None:
        self.version = publish_policy_version(
            home_page, "Version two", "x", summary_of_changes="The scope is wider."
        )
        self.policy = self.version.get_parent().specific
        self.round = add_round(
            self.policy,
            title="Consultation on version two",
            version=self.version,
            opens_on=datetime.date(2000, 5, 1),
            closes_on=FAR,
            description="Tell us.",
        )
        change_round_state(self.round, "open")
        self.reported = add_round(
            self.policy,
            title="Consultation of 1999",
            opens_on=datetime.date(1999, 5, 1),
            closes_on=datetime.date(1999, 6, 30),
            report="<p>What we heard.</p>",
            report_date=datetime.date(1999, 9, 1),
        )
        for state in ("open", "closed", "report_published"):
            change_round_state(self.reported, state)
        self.coalition = OrganizationFactory(name="Coalition of the sector")
        self.position = position_index.add_child(
            instance=PositionPage(
                title="Our position on version two",
                organization=self.coalition,
                policy=self.policy,
                stated_on=datetime.date(2000, 6, 1),
                body="<p>Autonomy first.</p>",
            )
        )
        self.position.save_revision().publish()
        forum = ForumFactory(name="Regional table")
        self.meeting = Meeting.objects.create(
            forum=forum, held_on=datetime.date(2001, 3, 1), duration_hours=3, mode="online"
        )
        seat = Seat.objects.create(forum=forum, label="Community seat", designation="government")
        self.term = SeatTerm.objects.create(
            seat=seat, organization=self.coalition, starts_on=datetime.date(2001, 1, 1)
        )
        self.programme = ProgrammeFactory(name="Mission support")
        self.allocation = self.allocate("published", Decimal("12000"))

    def allocate(self, status: str, amount: Decimal, **fields) -> Allocation:
        return Allocation.objects.create(
            organization=fields.pop("organization", self.coalition),
            programme=self.programme,
            fiscal_year=2001,
            amount=amount,
            mode="global_mission",
            origin="new",
            status=status,
            notes=fields.pop("notes", ""),
            **fields,
        )


@pytest.fixture
def records(home_page, position_index) -> Records:
    return Records(home_page, position_index)


EXPECTED = {
    "policy_versions": ["Version two"],
    "rounds": ["Consultation on version two (Open)", "Consultation of 1999 (Report published)"],
    "open_rounds": ["Consultation on version two (Open)"],
    "reports": ["Consultation of 1999 (Report published)"],
    "new_positions": ["Our position on version two"],
    "meetings": ["Regional table: meeting of March 1, 2001"],
    "seat_changes": ["Coalition of the sector holds the seat “Community seat” of Regional table"],
    "allocations": ["Mission support: Coalition of the sector, 2001–2002"],
}


@pytest.mark.parametrize("name", sorted(LISTING_FEEDS))
def test_every_listing_has_a_valid_atom_feed_with_absolute_links_and_tag_ids(client, records, name):
    parsed = fetch(client, name)

    if name in EXPECTED:
        assert titles(parsed) == EXPECTED[name]
    else:
        assert "Coalition of the sector" in titles(parsed)
    assert parsed.feed.language == "en"
    assert parsed.feed.title.endswith("· Concertation")
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == [f"http://testserver{url_of(name)}"]
    for entry in parsed.entries:
        assert entry.id.startswith("tag:127.0.0.1,2026:")
        assert entry.link.startswith("http://testserver/")
        assert entry.updated_parsed is not None


def test_entry_ids_stay_the_same_across_fetches_and_a_title_change(client, records):
    first = fetch(client, "policy_versions").entries[0]
    again = fetch(client, "policy_versions").entries[0]
    records.version.title = "Version two, corrected title"
    records.version.save_revision().publish()
    renamed = fetch(client, "policy_versions").entries[0]

    assert (
        first.id
        == again.id
        == renamed.id
        == f"tag:127.0.0.1,2026:policy_version:{records.version.pk}"
    )
    assert renamed.title == "Version two, corrected title"


def test_the_french_feed_is_in_french_with_french_links(client, records):
    parsed = fetch(client, "organizations", "fr")

    assert parsed.feed.language == "fr"
    assert url_of("organizations", "fr").startswith("/fr/")
    assert {entry.link for entry in parsed.entries} >= {
        f"http://testserver/fr/organizations/{records.coalition.slug}/"
    }
    # The same record has the same id in either language's feed.
    english = {entry.id for entry in fetch(client, "organizations").entries}
    assert {entry.id for entry in parsed.entries} == english


def test_an_english_page_in_the_french_feed_links_to_its_french_address(client, records):
    parsed = fetch(client, "policy_versions", "fr")

    assert [entry.link for entry in parsed.entries] == [
        f"http://testserver/fr{records.version.url}"
    ]


def test_nothing_a_visitor_could_not_open_is_listed(client, home_page, records):
    """A draft version, an internal one, one behind a view restriction, a restricted
    round, a position waiting for moderation, draft and approved allocations (and an
    allocation's notes): none in any feed."""
    publish_policy_version(home_page, "Unpublished version", "x", publish=False)
    publish_policy_version(home_page, "Internal version", "x", status="internal")
    hidden = publish_policy_version(home_page, "Cabinet version", "x")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    secret = add_round(
        records.policy, title="Private round", opens_on=datetime.date(2000, 5, 1), closes_on=FAR
    )
    change_round_state(secret, "open")
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)
    draft = records.position.get_parent().add_child(
        instance=PositionPage(
            title="Position waiting for moderation",
            organization=records.coalition,
            policy=records.policy,
            stated_on=datetime.date(2002, 1, 1),
            body="<p>Draft.</p>",
            live=False,
        )
    )
    draft.save_revision()
    records.allocate("draft", Decimal("999"), organization=OrganizationFactory(name="Drafted"))
    records.allocate("approved", Decimal("888"), organization=OrganizationFactory(name="Approved"))
    records.allocate("published", Decimal("777"), notes="Confidential note")
    feeds = {name: client.get(url_of(name)).content.decode() for name in LISTING_FEEDS}
    everything = "".join(feeds.values())
    for hidden_title in (
        "Unpublished version",
        "Internal version",
        "Cabinet version",
        "Private round",
        "Position waiting for moderation",
        "Confidential note",
    ):
        assert hidden_title not in everything
    # The organizations are public (newly listed), their unpublished money is not.
    assert titles(feedparser.parse(feeds["allocations"])) == [
        "Mission support: Coalition of the sector, 2001–2002",
        "Mission support: Coalition of the sector, 2001–2002",
    ]
    assert "888" not in feeds["allocations"] and "999" not in feeds["allocations"]
    # Signed in changes nothing: a feed is the public's.
    client.force_login(UserFactory(username="reader"))
    assert "Cabinet version" not in client.get(url_of("policy_versions")).content.decode()


def test_a_planned_round_is_no_news_until_it_opens(client, records):
    add_round(records.policy, title="Planned round", closes_on=FAR)

    assert "Planned round (Planned)" not in titles(fetch(client, "rounds"))


def query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_more(records: Records, home_page, n: int) -> None:
    for i in range(n):
        version = publish_policy_version(home_page, f"Version {i + 3}", "x")
        add_round(
            records.policy,
            title=f"Round {i}",
            version=version,
            opens_on=datetime.date(2000, 5, 1),
            closes_on=FAR,
        )
        change_round_state(ConsultationRoundPage.objects.get(title=f"Round {i}"), "open")
        organization = OrganizationFactory()
        position = records.position.get_parent().add_child(
            instance=PositionPage(
                title=f"Position {i}",
                organization=organization,
                policy=records.policy,
                stated_on=datetime.date(2000, 7, 1),
                body="<p>More.</p>",
            )
        )
        position.save_revision().publish()
        Meeting.objects.create(
            forum=records.meeting.forum,
            held_on=datetime.date(2002, 1, 1 + i),
            duration_hours=2,
            mode="online",
        )
        seat = Seat.objects.create(
            forum=records.meeting.forum, label=f"Seat {i}", designation="government"
        )
        SeatTerm.objects.create(
            seat=seat, organization=organization, starts_on=datetime.date(2002, 1, 1)
        )
        records.allocate("published", Decimal(100 + i), organization=organization)


@pytest.mark.parametrize("name", sorted(LISTING_FEEDS))
def test_a_feed_costs_the_same_queries_whatever_the_number_of_records(
    client, home_page, records, name
):
    url = url_of(name)
    client.get(url)  # the site's root paths, read once per process, are not the feed's
    before = query_count(client, url)
    add_more(records, home_page, 2)
    after = query_count(client, url)

    assert after == before


def test_a_feed_lists_at_most_fifty_entries(client, records):
    OrganizationFactory.create_batch(55)

    assert len(fetch(client, "organizations").entries) == 50


def test_feed_url_names_the_feed_of_a_listing_target():
    assert feed_url("listing:open_rounds") == "/feeds/open-rounds/"
    assert feed_url("listing:new_positions", absolute=True) == (
        "http://127.0.0.1:8000/feeds/positions/"
    )
    with translation.override("fr"):
        assert feed_url("listing:open_rounds").startswith("/fr/")
    assert feed_url("policy:12") is None
    assert feed_url("listing:nothing") is None


def test_the_listing_pages_announce_their_feed_in_their_head(client, records):
    for page_url, name in (
        ("/", "open_rounds"),
        (reverse("policies"), "policy_versions"),
        (reverse("positions"), "new_positions"),
        (reverse("open_rounds"), "open_rounds"),
        (reverse("fora"), "meetings"),
        (reverse("fora"), "seat_changes"),
        (reverse("funding_explorer"), "allocations"),
        (reverse("organizations:list"), "organizations"),
    ):
        content = client.get(page_url, follow=True).content.decode()
        head = content.partition("</head>")[0]
        assert 'type="application/atom+xml"' in head, page_url
        assert f'href="{url_of(name)}"' in head, page_url
