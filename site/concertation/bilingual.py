"""Content that exists in both official languages of the product.

Catalogue records (organizations, taxonomies) are single rows with a field per language
rather than one row per locale: an organization is one legal entity whichever language
its profile is read in. Wagtail pages use Wagtail's own localisation instead.
"""

from django.utils.translation import get_language


def current_language() -> str:
    """The two-letter code of the active interface language, `en` when none is active."""
    return (get_language() or "en")[:2]


def pick(english: str, french: str) -> str:
    """The text in the active language, falling back to the other one when it is blank."""
    if current_language() == "fr":
        return french or english
    return english or french
