"""Production: PostgreSQL and Elasticsearch, secrets from the environment.

Fails fast at start-up when a secret or a required service address is missing.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, ELASTICSEARCH_URL, MEDIA_ROOT, SECRET_KEY, env

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must name a PostgreSQL database in production.")
if not ELASTICSEARCH_URL:
    raise ImproperlyConfigured("ELASTICSEARCH_URL must be set in production.")

DEBUG = False
# The web server sends the documents, after the permission check (README, deployment).
SENDFILE_BACKEND = env("SENDFILE_BACKEND", default="django_sendfile.backends.nginx")
SENDFILE_ROOT = str(MEDIA_ROOT)
SENDFILE_URL = env("SENDFILE_URL", default="/protected-media")
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# E-mail goes through SMTP (a local relay unless EMAIL_URL names another server).
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)

# HTTPS only (`check --deploy --fail-level WARNING` passes; scripts/test runs it). Plain
# HTTP is redirected, except the load balancer's health check; browsers are told to stay
# on HTTPS for SECURE_HSTS_SECONDS. Preloading commits the whole domain, subdomains
# included, for months: an operator's decision, off unless SECURE_HSTS_PRELOAD says so.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]  # noqa: F405
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail's page preview allows itself to be framed by us

# One cache for every process (rate-limit counts, extracted text): the database's, unless
# CACHE_URL names Redis or memcached; a per-process cache is refused.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://concertation_cache")}
if CACHES["default"]["BACKEND"] in {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}:
    raise ImproperlyConfigured("CACHE_URL must name a cache shared by every process.")
# Django's database cache culls past 300 entries by default: far too few for a count per
# client address and a text per file.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 100_000)
