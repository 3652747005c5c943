"""The consultation-quality figures on the policy page: rounds and how they ended, briefs
received and published, points answered and changed — in a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations.models import ConsultationRoundPage, PolicyPage
from consultations.quality import consultation_quality
from consultations.services.rounds import change_round_state
from tests.consultations.test_response import SECTIONS_V1, advance, brief, point
from tests.consultations.test_rounds import add_round
from tests.factories import OrganizationFactory, publish_policy_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(home_page) -> PolicyPage:
    version = publish_policy_version(home_page, "Version 1", "", sections=SECTIONS_V1)
    return version.get_parent().specific


def answered_round(policy: PolicyPage, title: str, *, changed: int, unchanged: int):
    """A round that heard a named, an anonymous and a withheld brief, then published its
    report and a response of `changed` + `unchanged` points."""
    round_page = add_round(policy, title=title, report="<p>Heard.</p>")
    advance(round_page, "open")
    for publication in ("named", "anonymous", "withheld"):
        brief(round_page, OrganizationFactory(), f"{title}: {publication}", publication)
    advance(round_page, "closed", "report_published")
    for position in range(changed + unchanged):
        is_changed = position < changed
        point(
            round_page,
            position=position,
            titles=[f"{title}: named"],
            section="2" if is_changed else "",
            changed_in_next_version=is_changed,
        )
    return advance(round_page, "response_published")


@pytest.fixture
def story(policy):
    """Four public rounds: planned; abandoned after one brief; report out with a draft
    point; government response published with 3 points, 2 changed. And a round still
    unpublished in the admin, with a brief, which counts for nothing."""
    add_round(policy, title="Planned roundtable", kind="roundtable_session")
    abandoned = add_round(policy, title="Working group", kind="working_group")
    advance(abandoned, "open")
    brief(abandoned, OrganizationFactory(), "Brief to the working group")
    change_round_state(abandoned, "abandoned", reason="The ministry withdrew its mandate.")

    reported = add_round(policy, title="Comment period", report="<p>Heard.</p>")
    advance(reported, "open")
    brief(reported, OrganizationFactory(), "Brief to the comment period")
    advance(reported, "closed", "report_published")
    point(reported, changed_in_next_version=True, section="1")  # a draft: not counted

    answered_round(policy, "Public consultation 2000", changed=2, unchanged=1)

    hidden = policy.add_child(
        instance=ConsultationRoundPage(
            title="Unpublished round",
            kind="comment_period",
            opens_on=datetime.date(2000, 5, 1),
            closes_on=datetime.date(2000, 6, 30),
            live=False,
        )
    )
    advance(hidden, "open")
    brief(hidden, OrganizationFactory(), "Brief to the unpublished round")
    return policy


def test_the_figures_of_a_small_story(story, django_assert_num_queries):
    rounds = list(story.public_rounds())

    with django_assert_num_queries(2):
        quality = consultation_quality(rounds)

    assert quality.rounds == 4
    assert [(o.state, o.count) for o in quality.outcomes] == [
        ("planned", 1),
        ("report_published", 1),
        ("response_published", 1),
        ("abandoned", 1),
    ]
    assert [r.abandoned_reason for r in quality.abandoned] == ["The ministry withdrew its mandate."]
    assert quality.submissions_received == 5
    assert quality.submissions_published == 3
    assert quality.points_published == 3
    assert quality.points_changed == 2
    assert quality.changed_percent == 67


def test_the_policy_page_shows_them(client, story):
    body = client.get(story.url).content.decode()

    quality_section = body[body.index("How the consultation went") : body.index("Openness")]
    assert "Planned: 1" in quality_section
    assert "Abandoned: 1" in quality_section
    assert "Working group</a>: The ministry withdrew its mandate." in quality_section
    assert "5 submissions, 3 published" in quality_section
    assert "3 points; 2 changed in the next version (67%)" in quality_section
    assert "Unpublished round" not in body


def test_a_policy_without_rounds(client, policy):
    quality = consultation_quality([])

    assert (quality.rounds, quality.submissions_received, quality.points_published) == (0, 0, 0)
    assert quality.changed_percent is None
    assert "No government response published yet" in client.get(policy.url).content.decode()


def test_the_policy_page_queries_do_not_grow_with_the_rounds(client, policy):
    answered_round(policy, "First round", changed=1, unchanged=1)
    client.get(policy.url)  # warm the site-root cache
    with CaptureQueriesContext(connection) as one:
        first = client.get(policy.url)

    answered_round(policy, "Second round", changed=2, unchanged=0)
    answered_round(policy, "Third round", changed=0, unchanged=3)
    with CaptureQueriesContext(connection) as three:
        third = client.get(policy.url)

    assert first.context["quality"].rounds == 1
    assert third.context["quality"].rounds == 3
    assert third.context["quality"].points_published == 7
    assert len(three) == len(one)
