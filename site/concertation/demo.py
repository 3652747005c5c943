"""The demo dataset: a site tree, a few organizations and the story of one policy."""

from consultations.demo import load_policy_story
from organizations.demo import load_organizations
from organizations.models import Organization

from .site_setup import ensure_site


def load_demo() -> bool:
    """Load the demo data; returns False when it was already there."""
    if Organization.objects.exists():
        return False
    home = ensure_site()
    load_organizations()
    load_policy_story(home)
    return True
