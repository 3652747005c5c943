"""The page tree every Concertation site starts from, in both languages.

Used by the demo loader and by the tests, so both build the same tree:
root → home page (English, with a French translation) → policy index.
"""

from django.db import transaction
from wagtail.models import Locale, Page, Site

from concertation.models import HomePage

HOME_TITLES = {"en": "Concertation", "fr": "Concertation"}
HOME_INTROS = {
    "en": "<p>The public record of the partnership between the government and the "
    "autonomous community sector: organizations, policy drafts, consultations, "
    "roundtable seats and funding.</p>",
    "fr": "<p>Le registre public du partenariat entre le gouvernement et le milieu "
    "communautaire autonome : organismes, projets de politique, consultations, "
    "sièges aux tables de concertation et financement.</p>",
}


def ensure_locales() -> dict[str, Locale]:
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("en", "fr")}


def publish_translation(page: Page, locale: Locale, **fields: object) -> Page:
    """The published translation of `page` into `locale`, created when missing."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


@transaction.atomic
def ensure_site() -> HomePage:
    """The English home page, its French translation and the default Site."""
    locales = ensure_locales()
    home = HomePage.objects.filter(locale=locales["en"]).first()
    if home is None:
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=locales["en"])
        )
        # Wagtail's first migration leaves a placeholder "Welcome" page; ours replaces it.
        for placeholder in root.get_children().filter(content_type__model="page"):
            placeholder.delete()
        home = HomePage(
            title=HOME_TITLES["en"], slug="home", locale=locales["en"], intro=HOME_INTROS["en"]
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "site_name": "Concertation",
            "root_page": home,
        },
    )
    publish_translation(home, locales["fr"], title=HOME_TITLES["fr"], intro=HOME_INTROS["fr"])
    return home
