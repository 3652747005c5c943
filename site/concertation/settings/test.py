"""The test suite: the same settings as production but fast hashing, local memory cache
and an index prefix unique to the test run, so runs never share Elasticsearch indices."""

import uuid

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ELASTICSEARCH_INDEX_PREFIX = env(
    "ELASTICSEARCH_INDEX_PREFIX", default=f"concertation-test-{uuid.uuid4().hex[:8]}"
)
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
