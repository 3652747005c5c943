"""The demo tells the story of the seed (issue 4's demo, as far as it is built)."""

import pytest

from concertation.demo import load_demo
from consultations.models import ConsultationRoundPage, PolicyPage, PolicyVersionPage
from consultations.quality import version_openness

pytestmark = pytest.mark.django_db


def test_the_policy_story_loads(client):
    load_demo()
    policy = PolicyPage.objects.get(slug="community-action-policy", locale__language_code="en")
    versions = list(PolicyVersionPage.objects.child_of(policy).order_by("number"))
    rounds = {r.slug: r for r in ConsultationRoundPage.objects.child_of(policy)}

    assert [(v.number, v.status) for v in versions] == [
        (1, "superseded"),
        (2, "superseded"),
        (3, "adopted"),
    ]
    # The advisory committee saw no version before the 1999 announcement.
    assert version_openness(versions[0]).sector_lead_days is None
    assert version_openness(versions[1]).sector_lead_days == 15
    assert rounds["working-group-1998"].state == "abandoned"
    assert "six months" in rounds["working-group-1998"].abandoned_reason
    assert rounds["public-consultation-2000"].state == "report_published"
    assert client.get(policy.url + "compare/", {"from": 1, "to": 3}).status_code == 200
    assert client.get("/fr" + policy.url).status_code == 200
