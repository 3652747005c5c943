"""The rounds open now: the listing page, the round page's deadline and what is asked,
and the home page that shows them — only published, public, open rounds, in a constant
number of queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageViewRestriction

from consultations.models import ConsultationRoundPage, RoundState
from consultations.services.rounds import change_round_state
from tests.consultations.test_rounds import add_round
from tests.factories import OrganizationFactory, publish_policy_version

pytestmark = pytest.mark.django_db

FAR = datetime.date(2999, 6, 30)


def open_rounds_url(language: str = "en") -> str:
    with translation.override(language):
        return reverse("open_rounds")


def listed_titles(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [entry.page.title for entry in response.context["rounds"]]


@pytest.fixture
def policy(home_page):
    version = publish_policy_version(
        home_page,
        "Consultation document",
        "x",
        sections=[("1", "Scope", "Who the policy covers."), ("2.1", "Funding", "How.")],
    )
    return version.get_parent().specific


def opened(policy, title: str, **fields) -> ConsultationRoundPage:
    round_page = add_round(
        policy, title=title, opens_on=datetime.date(2000, 5, 1), closes_on=FAR, **fields
    )
    change_round_state(round_page, RoundState.OPEN)
    return ConsultationRoundPage.objects.get(pk=round_page.pk)


class TestListing:
    def test_an_open_round_is_listed_with_its_policy_what_is_asked_and_deadline(
        self, client, policy
    ):
        version = policy.public_versions().get()
        opened(policy, "Consultation on the policy", version=version, description="Tell us.")

        content = client.get(open_rounds_url()).content.decode()

        assert "Consultation on the policy" in content
        assert "Community action policy" in content
        assert 'datetime="2999-06-30"' in content
        assert "Tell us." in content
        # What is asked: the version's sections, each linked to its anchor.
        assert f'href="{version.url}#section-21"' in content
        assert "Funding" in content

    def test_closed_planned_draft_and_restricted_rounds_are_not_listed(self, client, policy):
        opened(policy, "Open round")
        closed = opened(policy, "Closed round")
        change_round_state(closed, RoundState.CLOSED)
        add_round(policy, title="Planned round", closes_on=FAR)
        draft = opened(policy, "Draft round")
        draft.unpublish()
        restricted = opened(policy, "Restricted round")
        PageViewRestriction.objects.create(page=restricted, restriction_type="login")
        past_deadline = add_round(
            policy,
            title="Past its deadline",
            opens_on=datetime.date(2000, 5, 1),
            closes_on=datetime.date(2000, 6, 30),
        )
        change_round_state(past_deadline, RoundState.OPEN)

        assert listed_titles(client, open_rounds_url()) == ["Open round"]

    def test_a_restricted_round_stays_out_even_for_a_signed_in_visitor(
        self, client, policy, django_user_model
    ):
        restricted = opened(policy, "Restricted round")
        PageViewRestriction.objects.create(page=restricted, restriction_type="login")
        client.force_login(django_user_model.objects.create_user("reader"))

        assert listed_titles(client, open_rounds_url()) == []

    def test_the_internal_version_of_a_round_is_not_named(self, client, home_page, policy):
        internal = publish_policy_version(
            home_page, "Secret redraft", "y", status="internal", number=9
        )
        opened(policy, "Round on a redraft", version=internal)

        content = client.get(open_rounds_url()).content.decode()

        assert "Round on a redraft" in content
        assert "Secret redraft" not in content

    def test_none_open_says_so(self, client, home_page):
        content = client.get(open_rounds_url()).content.decode()

        assert "No consultation round is open today." in content

    def test_the_french_listing_answers_at_its_own_address(self, client, policy):
        opened(policy, "Open round")
        url = open_rounds_url("fr")

        assert url.startswith("/fr/")
        response = client.get(url)
        assert '<html lang="fr">' in response.content.decode()
        assert [entry.page.title for entry in response.context["rounds"]] == ["Open round"]

    def test_queries_do_not_grow_with_the_rounds(self, client, policy):
        version = policy.public_versions().get()
        opened(policy, "First", version=version, convenor=OrganizationFactory())
        client.get(open_rounds_url())
        with CaptureQueriesContext(connection) as one:
            client.get(open_rounds_url())
        for number in range(3):
            opened(policy, f"More {number}", version=version, convenor=OrganizationFactory())
        with CaptureQueriesContext(connection) as four:
            content = client.get(open_rounds_url()).content.decode()

        assert content.count('class="open-round"') == 4
        assert len(four) == len(one)


class TestRoundPage:
    def test_shows_the_deadline_and_what_is_asked_first(self, client, policy):
        version = policy.public_versions().get()
        round_page = opened(policy, "Consultation", version=version)

        content = client.get(round_page.url).content.decode()

        start = content.index('class="key-facts"')
        key_facts = content[start : content.index("</section>", start)]
        assert 'datetime="2999-06-30"' in key_facts
        assert "days left" in key_facts
        assert f'href="{version.url}#section-1"' in key_facts
        assert "Scope" in key_facts

    def test_an_internal_version_is_neither_linked_nor_named(self, client, home_page, policy):
        internal = publish_policy_version(
            home_page, "Secret redraft", "y", status="internal", number=9
        )
        round_page = opened(policy, "Consultation", version=internal)

        content = client.get(round_page.url).content.decode()

        assert "Secret redraft" not in content


class TestHomePage:
    def test_shows_the_open_rounds_latest_versions_and_reports(self, client, policy):
        version = policy.public_versions().get()
        opened(policy, "Open consultation", version=version)
        reported = opened(policy, "Reported round", report="<p>Heard.</p>")
        change_round_state(reported, RoundState.CLOSED)
        change_round_state(reported, RoundState.REPORT_PUBLISHED)

        content = client.get("/").content.decode()

        open_now = content[content.index('id="open-now"') : content.index('id="latest-versions"')]
        assert "Open consultation" in open_now
        assert 'datetime="2999-06-30"' in open_now
        assert "Reported round" not in open_now
        assert "Consultation document" in content
        reports = content[content.index('id="latest-reports"') : content.index('id="explore"')]
        assert "Reported round" in reports
        assert "Open consultation" not in reports
        for name in ("organizations:list", "fora", "burden", "funding_explorer", "search:search"):
            assert f'href="{reverse(name)}"' in content

    def test_keeps_the_search_form_the_journey_uses(self, client, home_page):
        content = client.get("/").content.decode()

        assert '<label for="home-q">Search the archive</label>' in content
        assert '<button type="submit">Search</button>' in content

    def test_queries_do_not_grow_with_the_rounds_versions_and_reports(
        self, client, home_page, policy
    ):
        version = policy.public_versions().get()
        opened(policy, "Open", version=version)
        reported = opened(policy, "Reported", report="<p>Heard.</p>")
        change_round_state(reported, RoundState.CLOSED)
        change_round_state(reported, RoundState.REPORT_PUBLISHED)
        client.get("/")
        with CaptureQueriesContext(connection) as few:
            client.get("/")
        for number in range(3):
            publish_policy_version(home_page, f"Version {number + 2}", "z")
            opened(policy, f"Open {number}", version=version, convenor=OrganizationFactory())
            reported = opened(policy, f"Reported {number}", report="<p>Heard.</p>")
            change_round_state(reported, RoundState.CLOSED)
            change_round_state(reported, RoundState.REPORT_PUBLISHED)
        with CaptureQueriesContext(connection) as many:
            content = client.get("/").content.decode()

        assert len(re.findall(r'class="open-round"', content)) == 4
        assert "Reported 2" in content
        assert len(many) == len(few)
