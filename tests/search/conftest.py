"""Fixtures shared by the archive search tests: a consultation round and its briefs."""

import datetime

import pytest

from consultations.services.rounds import change_round_state, submit_brief
from organizations.permissions import grant_editor
from tests.consultations.test_rounds import add_round
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version

TODAY = datetime.date(2000, 5, 15)


@pytest.fixture
def consultation(home_page, archive_index, index_on_commit):
    """An open round under the "Community action policy", convened by a ministry, its
    setup committed (indexed) before the test begins."""
    with index_on_commit():
        version = publish_policy_version(home_page, "Consultation document", "Some text.")
        round_page = add_round(
            version.get_parent().specific,
            version=version,
            opens_on=datetime.date(2000, 5, 1),
            closes_on=datetime.date(2000, 6, 30),
            report="<p>Organizations asked for multiyear funding.</p>",
            convenor=OrganizationFactory(name="Ministry of solidarity", kind="government"),
        )
        change_round_state(round_page, "open")
    return round_page


@pytest.fixture
def brief(consultation):
    """Send a brief to `consultation` from a new organization (or `organization=`), by
    a new editor of it, `editor-<organization slug>`."""

    def send(title: str, summary: str, publication: str = "named", **fields):
        organization = fields.pop("organization", None) or OrganizationFactory(
            name=f"Author of {title}"
        )
        user = UserFactory(username=f"editor-{organization.slug}")
        grant_editor(user, organization)
        return submit_brief(
            consultation,
            organization,
            user,
            title=title,
            summary=summary,
            publication=publication,
            today=TODAY,
            **fields,
        )

    return send
