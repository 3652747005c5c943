"""Data of the invitation tests: a policy and its version in English and French, an
open round (real dates around today: the e-mails are checked again when they are sent,
against today), organizations invited or not, and their editors."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone
from wagtail.models import Locale

from concertation.site_setup import publish_translation
from consultations.models import ConsultationRoundPage
from consultations.services.rounds import change_round_state
from organizations.models import Organization
from organizations.permissions import grant_editor
from tests.consultations.test_rounds import add_round
from tests.factories import OrganizationFactory, UserFactory, publish_policy_version


def french() -> Locale:
    return Locale.objects.get(language_code="fr")


def open_round_on(
    policy, *, closes_in: int = 20, title: str = "Public consultation", opened: bool = True
) -> ConsultationRoundPage:
    """A published round taking briefs from five days ago for `closes_in` days; left
    planned unless `opened`."""
    today = timezone.localdate()
    page = add_round(
        policy,
        title=title,
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=closes_in),
        description="Tell us what you think of the scope.",
    )
    if opened:
        change_round_state(page, "open")
    return ConsultationRoundPage.objects.get(pk=page.pk)


@pytest.fixture
def make_round():
    """`open_round_on`, for a test that needs another round."""
    return open_round_on


@dataclass
class Invited:
    round: ConsultationRoundPage
    version: object
    invited: Organization
    invited_fr: Organization
    not_invited: Organization
    editor: object
    editor_fr: object
    outsider: object


@pytest.fixture
def invited(home_page) -> Invited:
    """An open round (English, with its French page) inviting two organizations: one
    edited by an English speaker, one by a French speaker (their admin language); a third
    organization is not invited."""
    version = publish_policy_version(
        home_page,
        "Draft policy, version 2",
        "x",
        sections=[("1", "Scope", "The scope."), ("2", "Funding", "The funding.")],
    )
    policy = version.get_parent().specific
    publish_translation(policy.get_parent().specific, french(), title="Politiques", slug="pol")
    publish_translation(policy, french(), title="Politique d’action", slug="politique")
    publish_translation(version, french(), title="Projet de politique, version 2", slug="projet-v2")
    round_page = open_round_on(policy)
    round_page.version = version
    round_page.save_revision().publish()
    publish_translation(
        round_page,
        french(),
        title="Consultation publique",
        slug="consultation-publique",
        description="Dites-nous ce que vous pensez de la portée.",
    )
    organizations = [OrganizationFactory() for _ in range(3)]
    round_page = ConsultationRoundPage.objects.get(pk=round_page.pk)
    round_page.invited.add(organizations[0], organizations[1])
    round_page.save_revision().publish()
    editor = UserFactory(username="anna")
    grant_editor(editor, organizations[0])
    editor_fr = UserFactory(username="benoit")
    grant_editor(editor_fr, organizations[1])
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(editor_fr)
    profile.preferred_language = "fr"
    profile.save()
    outsider = UserFactory(username="claire")
    grant_editor(outsider, organizations[2])
    return Invited(
        round=ConsultationRoundPage.objects.get(pk=round_page.pk),
        version=version,
        invited=organizations[0],
        invited_fr=organizations[1],
        not_invited=organizations[2],
        editor=editor,
        editor_fr=editor_fr,
        outsider=outsider,
    )
