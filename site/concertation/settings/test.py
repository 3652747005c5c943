"""The test suite: the base settings with fast password hashing, a local-memory cache,
in-memory file storage, tasks run in-process after commit, and an index prefix unique to
the test run, so runs never share Elasticsearch indices. The database and Elasticsearch
come from DATABASE_URL and ELASTICSEARCH_URL, which `make test` points at real engines."""

import tempfile
import uuid
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The page cache is off: tests see each page as rendered; tests/site/test_page_cache.py
# turns it on to prove what it serves and when it forgets.
PAGE_CACHE_SECONDS = 0
ELASTICSEARCH_INDEX_PREFIX = env(
    "ELASTICSEARCH_INDEX_PREFIX", default=f"concertation-test-{uuid.uuid4().hex[:8]}"
)
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "concertation.storage.UnguessableInMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests call the API and the exports far more often than a visitor would; the rate-limit
# tests set small limits of their own.
RATELIMIT_SEARCH_API = "100000/m"
RATELIMIT_EXPORTS = "100000/m"
RATELIMIT_SUBSCRIPTIONS = "100000/m"
RATELIMIT_OPEN_DATA = "100000/m"
# The bulk downloads a test (or `scripts/serve` started by one) builds go to a temporary
# folder, never over the developer's var/open-data; tests/opendata/test_downloads.py gives
# each test a folder of its own.
OPEN_DATA_DOWNLOADS_DIR = Path(tempfile.gettempdir()) / "concertation-test-open-data"
