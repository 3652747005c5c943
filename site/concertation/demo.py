"""The demo dataset: a site tree, the catalogue, the story of one policy, the fora
where organizations sit with two years of meetings, funding over 2000–2005, and a
follower whose first digest is ready to send (`follows.demo`)."""

from django.utils import timezone

from consultations.demo import load_policy_story
from consultations.fora.demo import load_fora
from follows.demo import load_follows
from organizations.demo import load_organizations
from organizations.funding.demo import load_funding
from organizations.models import Organization

from .site_setup import ensure_site


def load_demo() -> bool:
    """Load the demo data; returns False when it was already there."""
    if Organization.objects.exists():
        return False
    today = timezone.localdate()
    home = ensure_site()
    organizations = load_organizations()
    load_policy_story(home, today)
    by_name = {o.name: o for o in organizations}
    load_fora(by_name, today)
    load_funding(by_name)
    # Last: its follows are dated before everything above was published.
    load_follows()
    return True
