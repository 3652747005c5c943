"""The demo's positions: the sector answering the 1999 first version in its own voice,
and a second position still waiting for a moderator."""

import datetime

from wagtail.models import Locale, Page

from concertation.site_setup import publish_translation
from organizations.models import Organization

from .models import PolicyPage, PolicyVersionPage, PositionIndexPage, PositionPage
from .positions import ensure_position_permissions
from .services.cosigning import name_position_co_signers

INDEX = {
    "en": {
        "title": "Positions",
        "intro": "<p>What coalitions and organizations of the sector say about the policies, "
        "in their own voice, outside any consultation round.</p>",
    },
    "fr": {
        "title": "Prises de position",
        "intro": "<p>Ce que les regroupements et les organismes du milieu disent des "
        "politiques, en leur propre nom, en dehors de toute consultation.</p>",
    },
}

ADVISORY_COMMITTEE = "Comité aviseur de l'action communautaire autonome"
ADVOCACY_NETWORK = "Réseau québécois des groupes de défense collective des droits"

# The first co-signer confirmed; the second has not answered yet, so the page does not
# name it.
FIRST_VERSION_POSITION = {
    "organization": ADVISORY_COMMITTEE,
    "co_signers": (
        "Coalition des tables régionales d'organismes communautaires",
        "Regroupement québécois des centres de femmes",
    ),
    "version": 1,
    "slug": "recognize-autonomous-community-action-1999",
    "stated_on": datetime.date(1999, 9, 15),
    "en": {
        "title": "Recognize autonomous community action, not every non-profit alike",
        "body": "<p>The first version of the policy treats every non-profit organization "
        "alike, and asks community organizations to answer to the government's policies "
        "and objectives and to deliver services by the norms of the public service.</p>"
        "<p>We ask the government to recognize autonomous community action by its own "
        "criteria: organizations founded at the initiative of people in their community, "
        "with a democratic associative life, free to set their mission, orientations, "
        "approaches and practices, and funded for that mission.</p>"
        "<p>A policy of recognition is written with the sector: the advisory committee "
        "had not seen this version before it was announced.</p>",
    },
    "fr": {
        "title": "Reconnaître l'action communautaire autonome, et non tous les organismes "
        "sans but lucratif pareillement",
        "body": "<p>La première version de la politique traite de la même façon tous les "
        "organismes sans but lucratif et demande aux organismes communautaires de répondre "
        "aux politiques et aux objectifs du gouvernement et d'offrir des services selon les "
        "normes du service public.</p>"
        "<p>Nous demandons au gouvernement de reconnaître l'action communautaire autonome "
        "selon ses propres critères : des organismes constitués à l'initiative des gens de "
        "la communauté, dotés d'une vie associative démocratique, libres de déterminer "
        "leur mission, leurs orientations, leurs approches et leurs pratiques, et financés "
        "pour cette mission.</p>"
        "<p>Une politique de reconnaissance s'écrit avec le milieu : le comité aviseur "
        "n'avait pas vu cette version avant son annonce.</p>",
    },
}

AWAITING_MODERATION = {
    "organization": ADVOCACY_NETWORK,
    "version": 2,
    "slug": "keep-the-provisions-for-advocacy-2000",
    "stated_on": datetime.date(2000, 9, 15),
    "en": {
        "title": "Keep the special provisions for advocacy organizations",
        "body": "<p>The consultation document provides for advocacy organizations and for "
        "funding of their own; the final policy must keep both.</p>",
    },
}


def load_positions(
    home: Page, policy: PolicyPage, organizations: dict[str, Organization]
) -> PositionIndexPage:
    """The positions index in both languages, the advisory committee's published answer
    to the 1999 version (with its translation), and a position submitted to the
    moderation workflow that is not live. Loads nothing when the index is already there."""
    existing = PositionIndexPage.objects.child_of(home).first()
    if existing is not None:
        return existing
    fr = Locale.objects.get(language_code="fr")
    index = PositionIndexPage(slug="positions", **INDEX["en"])
    home.add_child(instance=index)
    index.save_revision().publish()
    ensure_position_permissions(index)
    ensure_position_permissions(publish_translation(index, fr, **INDEX["fr"]))

    versions = {v.number: v for v in PolicyVersionPage.objects.child_of(policy)}
    story = FIRST_VERSION_POSITION
    if story["organization"] in organizations:
        position = _add_position(index, policy, versions, organizations, story)
        position.save_revision().publish()
        publish_translation(position, fr, **story["fr"])

    pending = AWAITING_MODERATION
    if pending["organization"] in organizations:
        position = _add_position(index, policy, versions, organizations, pending)
        position.save_revision()
        # Submitted as an editor would, from the admin; a moderator has yet to act.
        position.get_workflow().start(position, None)
    return index


def _add_position(
    index: PositionIndexPage,
    policy: PolicyPage,
    versions: dict[int, PolicyVersionPage],
    organizations: dict[str, Organization],
    story: dict,
) -> PositionPage:
    """The English page of `story`, saved but not published, its co-signers asked by an
    editor of its organization and the first of them confirmed."""
    position = PositionPage(
        slug=story["slug"],
        organization=organizations[story["organization"]],
        policy=policy,
        version=versions.get(story["version"]),
        stated_on=story["stated_on"],
        live=False,
        **story["en"],
    )
    index.add_child(instance=position)
    co_signers = [
        organizations[name] for name in story.get("co_signers", ()) if name in organizations
    ]
    if co_signers:
        from .demo import _demo_editor, confirm_co_signatures

        name_position_co_signers(position, co_signers, _demo_editor(position.organization))
        confirm_co_signatures(position.co_signatures.filter(organization=co_signers[0]))
    return position
