"""Local development: `make run`. Embedded SQLite and database search by default."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
# E-mails are printed in the terminal unless EMAIL_URL names a server (settings.base).
if not env("EMAIL_URL", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The public page cache off: a template edited in development shows on the next reload
# (`PAGE_CACHE_SECONDS=300 make run` to try it; concertation/page_cache.py).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)
