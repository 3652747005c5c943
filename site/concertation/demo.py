"""The demo dataset: a site tree, the catalogue, the story of one policy, and the fora
where organizations sit with two years of meetings."""

from django.utils import timezone

from consultations.demo import load_policy_story
from consultations.demo_fora import load_fora
from organizations.demo import load_organizations
from organizations.models import Organization

from .site_setup import ensure_site


def load_demo() -> bool:
    """Load the demo data; returns False when it was already there."""
    if Organization.objects.exists():
        return False
    home = ensure_site()
    organizations = load_organizations()
    load_policy_story(home)
    load_fora({o.name: o for o in organizations}, timezone.localdate())
    return True
