"""The demo story's data files (consultations/demo/) hold the story the Python tables
held, fact for fact, and load through the page API and the services."""

import datetime

import pytest
from django.utils.html import strip_tags

from concertation.site_setup import ensure_site
from consultations.demo import load_policy_story
from consultations.demo.loader import data, sections
from consultations.models import (
    ConsultationRoundPage,
    PolicyVersionPage,
    Redaction,
    Submission,
    VersionAccess,
)
from organizations.demo import demo_keys, load_organizations


def test_every_organization_the_story_names_is_a_demo_organization():
    keys = set(demo_keys())
    story = data("policy.json")
    named = {story["lead_ministry"], story["responsible_secretariat"]}
    named |= {a["recipient"] for v in data("versions.json") for a in v["accesses"]}
    named |= {r["convenor"] for r in data("rounds.json")}
    named |= {key for r in data("rounds.json") for key in r["invited"]}
    briefs = data("briefs.json")
    named |= {b["sender"] for b in briefs["briefs"]} | {briefs["pending_co_signer"]}
    named |= {key for b in briefs["briefs"] for key in b["co_signers"]}
    positions = data("positions.json")["positions"]
    named |= {p["organization"] for p in positions}
    named |= {key for p in positions for key in p["co_signers"]}
    assert named <= keys


def test_each_version_has_the_same_sections_in_both_languages():
    for version in data("versions.json"):
        english = sections(version["slug"], "en")
        french = sections(version["slug"], "fr")
        assert [s["anchor"] for _kind, s in english] == [s["anchor"] for _kind, s in french]
    assert sections("policy-2001", "en")[2] == (
        "section",
        {
            "anchor": "3",
            "heading": "Partnership",
            "text": "<p>The government meets and consults the sector regularly on important "
            "policy decisions.</p>",
        },
    )


def test_every_point_of_the_response_cites_a_brief_of_the_files():
    titles = {b["title"] for b in data("briefs.json")["briefs"]}
    for point in data("response.json")["points"]:
        assert point["cites"] and set(point["cites"]) <= titles


@pytest.mark.django_db
def test_the_story_loads_its_exact_facts():
    load_organizations()
    policy = load_policy_story(ensure_site())

    assert policy.title == "Policy on the recognition and support of community action"
    assert policy.lead_ministry.name == "Ministère de la Solidarité sociale"
    first = PolicyVersionPage.objects.child_of(policy).get(number=1)
    assert first.release_date == datetime.date(1999, 6, 1)
    assert [block.value["heading"] for block in first.body] == [
        "Scope",
        "Expectations of organizations",
    ]
    access = VersionAccess.objects.get(version=first)
    assert (access.recipient.name, access.received_on) == (
        "Ministère de la Solidarité sociale",
        datetime.date(1999, 3, 15),
    )
    group = ConsultationRoundPage.objects.get(slug="working-group-1998")
    assert group.abandoned_reason == (
        "Abolished after six months of discussions without progress towards a policy framework."
    )
    assert [o.name for o in group.invited.all()] == [
        "Comité aviseur de l'action communautaire autonome"
    ]
    withheld = Submission.objects.get(publication="withheld")
    assert withheld.organization.name == "Maison de la famille de Laval"
    assert withheld.sections == "1"
    redaction = Redaction.objects.get()
    assert redaction.submission.title == "The criteria of autonomous community action"
    assert "Jeanne Tremblay" in redaction.passage
    report = ConsultationRoundPage.objects.get(slug="public-consultation-2000").report
    assert strip_tags(report).startswith("The report of November 2000: organizations asked")
