"""Load the demo's positions from `positions.json`: the sector answering the 1999 first
version in its own voice, and a second position still waiting for a moderator.

Each position names its co-signers and those who confirmed (the others have not answered
yet, so the page does not name them); `state` is `published` (with its French
translation) or `awaiting_moderation` (submitted to the moderation workflow, not live).
"""

import datetime
import json
from pathlib import Path

from wagtail.models import Locale, Page

from concertation.site_setup import publish_translation
from organizations.demo import names_by_key
from organizations.models import Organization

from ..models import PolicyPage, PolicyVersionPage, PositionIndexPage, PositionPage
from ..permissions.positions import ensure_position_permissions
from ..services.cosigning import name_position_co_signers
from .editors import confirm_co_signatures, demo_editor

DATA = Path(__file__).resolve().parent / "positions.json"
PUBLISHED = "published"
AWAITING_MODERATION = "awaiting_moderation"


def load_positions(
    home: Page, policy: PolicyPage, organizations: dict[str, Organization]
) -> PositionIndexPage:
    """The positions index in both languages, the advisory committee's published answer
    to the 1999 version (with its translation), and a position submitted to the
    moderation workflow that is not live. Loads nothing when the index is already there."""
    existing = PositionIndexPage.objects.child_of(home).first()
    if existing is not None:
        return existing
    spec = json.loads(DATA.read_text(encoding="utf-8"))
    fr = Locale.objects.get(language_code="fr")
    index = PositionIndexPage(slug=spec["index"]["slug"], **spec["index"]["en"])
    home.add_child(instance=index)
    index.save_revision().publish()
    ensure_position_permissions(index)
    ensure_position_permissions(publish_translation(index, fr, **spec["index"]["fr"]))

    versions = {v.number: v for v in PolicyVersionPage.objects.child_of(policy)}
    names = names_by_key()
    for story in spec["positions"]:
        if names[story["organization"]] not in organizations:
            continue
        position = _add_position(index, policy, versions, organizations, names, story)
        if story["state"] == PUBLISHED:
            position.save_revision().publish()
            publish_translation(position, fr, **story["fr"])
        elif story["state"] == AWAITING_MODERATION:
            position.save_revision()
            # Submitted as an editor would, from the admin; a moderator has yet to act.
            position.get_workflow().start(position, None)
        else:
            raise ValueError(f"Demo positions: unknown state {story['state']!r}.")
    return index


def _add_position(
    index: PositionIndexPage,
    policy: PolicyPage,
    versions: dict[int, PolicyVersionPage],
    organizations: dict[str, Organization],
    names: dict[str, str],
    story: dict,
) -> PositionPage:
    """The English page of `story`, saved but not published, its co-signers asked by an
    editor of its organization and those of `confirmed_co_signers` confirmed."""
    position = PositionPage(
        slug=story["slug"],
        organization=organizations[names[story["organization"]]],
        policy=policy,
        version=versions.get(story["version"]),
        stated_on=datetime.date.fromisoformat(story["stated_on"]),
        live=False,
        **story["en"],
    )
    index.add_child(instance=position)
    co_signers = [
        organizations[names[key]] for key in story["co_signers"] if names[key] in organizations
    ]
    if co_signers:
        name_position_co_signers(position, co_signers, demo_editor(position.organization))
        confirmed = [names[key] for key in story["confirmed_co_signers"]]
        confirm_co_signatures(position.co_signatures.filter(organization__name__in=confirmed))
    return position
