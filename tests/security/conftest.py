"""Fixtures of the security tests: the search tests' consultation round and briefs, and
files stored on disk."""

import pytest

from tests.search.conftest import brief, consultation  # noqa: F401 - shared fixtures


@pytest.fixture
def on_disk(tmp_path, settings):
    """Files stored on disk under a temporary MEDIA_ROOT, as in development and
    production: the suite's in-memory storage answers a file-system path where nothing
    is, so Wagtail's documents view could not send a file from it."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "concertation.storage.UnguessableFileSystemStorage"},
    }
    return tmp_path
