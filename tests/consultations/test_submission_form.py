"""The public brief form as a contributor meets it: labels above the fields, required
ones marked, an error summary linking to each field in error, "On behalf of" set when
the editor has one organization, the sections answered chosen by their headings and the
co-signers ticked in a list a type-ahead narrows."""

import datetime
import re

import pytest
from guardian.shortcuts import assign_perm

from consultations.models import Submission
from consultations.services.rounds import change_round_state
from tests.consultations.test_rounds import add_round
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version

pytestmark = pytest.mark.django_db

SECTIONS = [
    ("1", "Scope", "Who the policy is for."),
    ("2.3", "Funding of core missions", "How core missions are funded."),
]


@pytest.fixture
def round_with_sections(home_page):
    version = publish_policy_version(home_page, "Consultation document", "", sections=SECTIONS)
    round_page = add_round(
        version.get_parent().specific,
        opens_on=datetime.date(2000, 5, 1),
        closes_on=datetime.date(2999, 6, 30),
    )
    round_page.version = version
    round_page.save()
    change_round_state(round_page, "open")
    return round_page


def editor_of(*organizations, username: str = "editor"):
    user = UserFactory(username=username)
    for organization in organizations:
        assign_perm("organizations.change_organization", user, organization)
    return user


def submit_url(round_page) -> str:
    return f"{round_page.url}submit/"


def test_one_organization_is_chosen_without_an_empty_choice(client, round_with_sections):
    ours = OrganizationFactory(name="Our group")
    client.force_login(editor_of(ours))

    body = client.get(submit_url(round_with_sections)).content.decode()

    select = re.search(r'<select name="organization".*?</select>', body, re.S).group(0)
    assert "---------" not in select
    assert re.search(rf'<option value="{ours.pk}" selected>Our group</option>', select)


def test_several_organizations_start_on_a_named_prompt(client, round_with_sections):
    client.force_login(editor_of(OrganizationFactory(name="A"), OrganizationFactory(name="B")))

    body = client.get(submit_url(round_with_sections)).content.decode()

    assert "---------" not in body
    assert "Choose the organization" in body


def test_sections_are_chosen_by_heading_and_stored_as_anchors(client, round_with_sections):
    ours = OrganizationFactory(name="Our group")
    client.force_login(editor_of(ours))

    body = client.get(submit_url(round_with_sections)).content.decode()
    assert "2.3 — Funding of core missions" in body
    assert 'type="checkbox" name="sections" value="2.3"' in body

    response = client.post(
        submit_url(round_with_sections),
        {
            "organization": ours.pk,
            "title": "Brief",
            "summary": "Text.",
            "publication": "named",
            "sections": ["2.3", "1"],
        },
    )

    assert response.status_code == 200, response.content.decode()
    assert Submission.objects.get().sections == "1, 2.3"


def test_a_section_the_version_lacks_is_refused_naming_the_field(client, round_with_sections):
    ours = OrganizationFactory(name="Our group")
    client.force_login(editor_of(ours))

    response = client.post(
        submit_url(round_with_sections),
        {
            "organization": ours.pk,
            "title": "Brief",
            "summary": "Text.",
            "publication": "named",
            "sections": ["9"],
        },
    )

    assert response.status_code == 400
    body = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', body, re.S).group(0)
    assert 'href="#id_sections_0">Sections answered: Select a valid choice' in summary, summary
    assert not Submission.objects.exists()


def test_co_signers_are_checkboxes_with_a_type_ahead(client, round_with_sections):
    client.force_login(editor_of(OrganizationFactory(name="Our group")))
    partner = OrganizationFactory(name="Partner coalition")

    body = client.get(submit_url(round_with_sections)).content.decode()

    assert '<select name="co_signers"' not in body
    assert f'type="checkbox" name="co_signers" value="{partner.pk}"' in body
    # The filter is hidden until the script shows it: without JavaScript, the list.
    assert re.search(r'<div class="checkbox-filter__search" hidden>', body)
    assert 'for="id_co_signers_filter"' in body
    assert "concertation/js/checkbox-filter.js" in body


def test_the_error_summary_links_to_each_field_in_error(client, round_with_sections):
    ours = OrganizationFactory(name="Our group")
    client.force_login(editor_of(ours))

    response = client.post(submit_url(round_with_sections), {"organization": ours.pk})

    assert response.status_code == 400
    body = response.content.decode()
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', body, re.S).group(0)
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert [target for target, _text in links] == ["id_title", "id_summary", "id_publication_0"]
    assert links[0][1] == "Title: This field is required."
    # Each link reaches its control, which names its error for assistive technology
    # (a group of radios: its fieldset does, and the link goes to the first radio).
    assert re.search(
        r'<input type="radio" name="publication" value="named"[^>]*id="id_publication_0"', body
    )
    assert 'aria-describedby="id_publication_error"' in body
    for target, _text in links[:2]:
        control = re.search(rf'<(input|textarea)[^>]*id="{target}"[^>]*>', body).group(0)
        assert f'aria-describedby="{target}_error"' in control
        assert 'aria-invalid="true"' in control
        assert f'id="{target}_error"' in body
    assert body.index("error-summary") < body.index('<label for="id_title"')
    # Focused on arrival (a script of our origin), announced without it.
    assert 'tabindex="-1"' in summary
    assert "concertation/js/error-summary.js" in body


def test_labels_are_above_and_required_fields_marked(client, round_with_sections):
    client.force_login(editor_of(OrganizationFactory(name="Our group")))

    body = client.get(submit_url(round_with_sections)).content.decode()

    assert re.search(r'<label for="id_title">Title <span class="form-required">\(required\)', body)
    assert re.search(r"<legend>Sections answered</legend>", body)
    hint = 'id="id_summary_helptext"'
    assert hint not in body  # no hint, no dangling reference
    assert 'aria-describedby="id_co_signers_helptext"' in body
    assert "error-summary" not in body


def test_a_round_without_a_version_keeps_the_sections_as_text(client, home_page):
    policy = publish_policy_version(home_page, "Consultation document", "x").get_parent()
    round_page = add_round(
        policy.specific, opens_on=datetime.date(2000, 5, 1), closes_on=datetime.date(2999, 6, 30)
    )
    change_round_state(round_page, "open")
    ours = OrganizationFactory(name="Our group")
    client.force_login(editor_of(ours))

    body = client.get(submit_url(round_page)).content.decode()
    assert re.search(r'<input type="text" name="sections"', body)

    client.post(
        submit_url(round_page),
        {
            "organization": ours.pk,
            "title": "Brief",
            "summary": "Text.",
            "publication": "named",
            "sections": "1, 2.3",
        },
    )
    assert Submission.objects.get().sections == "1, 2.3"
