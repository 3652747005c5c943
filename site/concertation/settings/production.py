"""Production: PostgreSQL and Elasticsearch, secrets from the environment.

Fails fast at start-up when a secret or a required service address is missing.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, ELASTICSEARCH_URL, SECRET_KEY, env

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must name a PostgreSQL database in production.")
if not ELASTICSEARCH_URL:
    raise ImproperlyConfigured("ELASTICSEARCH_URL must be set in production.")

DEBUG = False
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
