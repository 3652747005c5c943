"""The site speaks English at / and French under /fr/, with a switcher between them."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_page_in_both_languages(client, home_page):
    english = client.get("/")
    french = client.get("/fr/")

    assert english.status_code == french.status_code == 200
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="fr">' in french.content.decode()
    assert "Le registre public" in french.content.decode()


def test_interface_strings_are_translated(client, home_page):
    french = client.get("/fr/").content.decode()

    assert "Rechercher dans les archives" in french
    assert "Organismes" in french


def test_language_switcher_links_to_the_translated_page(client, home_page):
    english = client.get("/").content.decode()

    assert 'href="/fr/" lang="fr"' in english


def test_admin_login_page_answers(client):
    assert client.get("/admin/login/").status_code == 200


def test_french_catalogue_is_complete(settings, monkeypatch):
    """Every translatable string in the code, templates included, has a French
    translation that is not a guess: extract the strings afresh into the catalogue (as
    `make extract-messages` does), look for anything untranslated, then put the file back.
    """
    from pathlib import Path

    import polib
    from django.core.management import call_command

    catalogue_path = Path(settings.LOCALE_PATHS[0]) / "fr/LC_MESSAGES/django.po"
    original = catalogue_path.read_bytes()
    monkeypatch.chdir(settings.BASE_DIR)
    try:
        call_command(
            "makemessages",
            locale=["fr"],
            no_obsolete=True,
            ignore_patterns=[
                "*/migrations/*",
                ".venv/*",
                "node_modules/*",
                "var/*",
                "tests/*",
                "benches/*",
                "scripts/*",
            ],
            verbosity=0,
        )
        catalogue = polib.pofile(str(catalogue_path))
    finally:
        catalogue_path.write_bytes(original)

    missing = [entry.msgid for entry in catalogue if not entry.translated()]
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
    assert len(catalogue) > 300
    assert missing == []
    assert fuzzy == []
