"""Settings shared by every environment.

Configuration comes from the environment (read with django-environ), with embedded
defaults that let `make run` work on a fresh clone: SQLite under `var/` and search
answered from the database when ELASTICSEARCH_URL is unset.
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "concertation",
    "organizations",
    "organizations.funding",
    "consultations",
    "consultations.fora",
    "search",
    "follows",
    "opendata",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "guardian",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "drf_spectacular",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CORS for reads of the open-data API /api/v1/ only (opendata/http.py).
    "opendata.http.ReadsFromAnyOrigin",
    "concertation.content_security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A page missing in the visitor's language: served in its own, with a notice.
    "concertation.translation_fallback.TranslationFallbackMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Anonymous visitors' public pages from the cache (concertation/page_cache.py).
    "concertation.page_cache.PublicPageCacheMiddleware",
    # Last: turns a refused login of a locked-out account into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "concertation.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "concertation.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'concertation.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Web processes keep no state of their own, so any number of them, on any number of
# machines, can serve any request (docs/deploy.md, "Stateless web processes"): sessions,
# login attempts, queued tasks and the search outbox live in the database, rate-limit
# counts and cached pages in the shared cache (CACHE_URL), files under MEDIA_ROOT on
# storage every web and worker machine mounts. Named here so that none is swapped for a
# per-process store unnoticed (tests/site/test_stateless_settings.py).
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTHENTICATION_BACKENDS = [
    # First: refuses every login of an account locked out from this address (below).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
GUARDIAN_RAISE_403 = True

# Login throttling (django-axes; docs/security.md): after AXES_FAILURE_LIMIT wrong
# passwords for one account from one address, that account is locked out from that
# address — even the right password is refused — until AXES_COOLOFF_TIME has passed
# since the last failure or staff unlock it ("Locked-out logins" in the admin). A success
# before the limit starts the count again. Attempts are recorded in the database.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "concertation.login_throttling.lockout_response"
# The address a login comes from, as the rate limits count it (TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "concertation.login_throttling.login_address"
# Only failures and lockouts are logged, not every successful login.
AXES_DISABLE_ACCESS_LOG = True
# No start-up banner on every management command.
AXES_VERBOSE = False
# Attempts and lockouts in the database, shared by every process (see SESSION_ENGINE).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: French and English from the start, for the interface (Django
# i18n) and for content (Wagtail localisation).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PROJECT_DIR / "locale"]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
# The GC Design System's tokens (CSS custom properties), installed by npm from
# package-lock.json (`make install`), served as vendor/gcds-tokens/ (decision 009).
STATICFILES_DIRS = [
    (
        "vendor/gcds-tokens",
        BASE_DIR / "node_modules" / "@cdssnc" / "gcds-tokens" / "build" / "web" / "css",
    ),
]
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    # Stored names carry a random folder (concertation/storage.py): never guessable.
    "default": {"BACKEND": "concertation.storage.UnguessableFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Concertation"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")

# E-mail (follows: notices, digests, invitations). EMAIL_URL (django-environ):
# `smtp://user:password@host:587` (`smtp+tls://`, `smtp+ssl://`), `consolemail://` (the
# terminal: `make run`), `dummymail://`. Production sends through SMTP (docs/follow.md).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Concertation <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Sending (follows.mail, follows.sending): retries after a temporary failure, wait doubling
# from FOLLOWS_RETRY_SECONDS; permanent refusals before an address is suspended; the hour
# (local time) daily and weekly (Mondays) digests cover the time up to.
FOLLOWS_MAX_ATTEMPTS = env.int("FOLLOWS_MAX_ATTEMPTS", default=5)
FOLLOWS_RETRY_SECONDS = env.int("FOLLOWS_RETRY_SECONDS", default=300)
FOLLOWS_MAX_BOUNCES = env.int("FOLLOWS_MAX_BOUNCES", default=3)
FOLLOWS_DIGEST_HOUR = env.int("FOLLOWS_DIGEST_HOUR", default=6)
# The period of the self-requeuing task follows.sending.notify_periodically (production).
FOLLOWS_NOTIFY_SECONDS = env.int("FOLLOWS_NOTIFY_SECONDS", default=300)
# Wagtail's own admin search stays on its database backend: the archive index in
# `search/` is the only Elasticsearch integration (see docs/architecture.md).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt"]
# Every user file is read through the documents view, after the permission check
# (consultations/permissions/documents.py), and downloaded as an attachment, never shown inline.
# No URL serves MEDIA_ROOT (see the README's deployment section).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
# Once the check passed, who sends the bytes: unset, Django streams them; in production
# the web server, told by an X-Accel-Redirect header to its internal SENDFILE_URL location
# (django-sendfile2 backends: django_sendfile.backends.nginx, .xsendfile, .mod_wsgi).
if env("SENDFILE_BACKEND", default=""):
    SENDFILE_BACKEND = env("SENDFILE_BACKEND")
    SENDFILE_ROOT = str(MEDIA_ROOT)
    SENDFILE_URL = env("SENDFILE_URL", default="/protected-media")
# Documents uploaded in the admin get the same checks as briefs' files.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "consultations.document_form.CheckedDocumentForm"

# Hostile files (docs/security.md): what a brief may attach, how far a DOCX or ODT zip
# container may expand, and the limits under which files are parsed (search/sandbox.py).
BRIEF_MAX_DOCUMENTS = env.int("BRIEF_MAX_DOCUMENTS", default=10)
BRIEF_MAX_MEGABYTES = env.int("BRIEF_MAX_MEGABYTES", default=50)
DOCUMENT_MAX_UNZIPPED_MEGABYTES = env.int("DOCUMENT_MAX_UNZIPPED_MEGABYTES", default=100)
DOCUMENT_MAX_COMPRESSION_RATIO = env.int("DOCUMENT_MAX_COMPRESSION_RATIO", default=100)
DOCUMENT_MAX_ZIP_MEMBERS = env.int("DOCUMENT_MAX_ZIP_MEMBERS", default=1000)
EXTRACTION_MEMORY_MEGABYTES = env.int("EXTRACTION_MEMORY_MEGABYTES", default=512)
EXTRACTION_CPU_SECONDS = env.int("EXTRACTION_CPU_SECONDS", default=30)
EXTRACTION_TIMEOUT_SECONDS = env.int("EXTRACTION_TIMEOUT_SECONDS", default=60)

# Archive search. Without ELASTICSEARCH_URL the public search answers from the database.
# One node's URL, or several comma-separated (`http://es1:9200,http://es2:9200`): the
# client spreads requests over them and retries a failed one on another node
# (search/engine.py, docs/deploy.md).
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
# Learn the cluster's other nodes from the ones named (and again after a node fails).
# Off by default: behind a load balancer or in containers, the addresses the nodes
# publish may not be reachable from the application.
ELASTICSEARCH_SNIFF = env.bool("ELASTICSEARCH_SNIFF", default=False)
# Primary shards and replicas of a new archive index (search/index.py). A rebuild applies
# a new shard count; replicas can also be changed on the live index (docs/deploy.md).
ELASTICSEARCH_SHARDS = env.int("ELASTICSEARCH_SHARDS", default=1)
ELASTICSEARCH_REPLICAS = env.int("ELASTICSEARCH_REPLICAS", default=0)
if ELASTICSEARCH_SHARDS < 1:
    raise ImproperlyConfigured(
        f"ELASTICSEARCH_SHARDS must be 1 or more, not {ELASTICSEARCH_SHARDS}."
    )
if ELASTICSEARCH_REPLICAS < 0:
    raise ImproperlyConfigured(
        f"ELASTICSEARCH_REPLICAS must be 0 or more, not {ELASTICSEARCH_REPLICAS}."
    )
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", default="concertation")
ELASTICSEARCH_TIMEOUT = env.float("ELASTICSEARCH_TIMEOUT", default=5.0)
# After an engine failure, searches fall back at once for this many seconds, then one
# request probes the engine (search/breaker.py).
ELASTICSEARCH_BREAKER_SECONDS = env.float("ELASTICSEARCH_BREAKER_SECONDS", default=30.0)
# How long a drain of the index outbox holds the changes it claimed: a worker killed
# mid-batch leaves them claimed this long at most (search/outbox.py).
SEARCH_SYNC_LEASE_SECONDS = env.float("SEARCH_SYNC_LEASE_SECONDS", default=120.0)

# Background work (search index updates). `immediate` runs a task in-process as soon as
# it is enqueued (we always enqueue after commit); `database` queues it durably for
# `manage.py db_worker`.
TASKS_BACKEND = env("TASKS_BACKEND", default="database" if ELASTICSEARCH_URL else "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console handler would print every message a second time.
        "django": {"handlers": [], "level": "INFO"},
        "elastic_transport": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}

# Representation burden (docs/burden.md): the rolling window, and when an organization
# is flagged as overloaded.
BURDEN_WINDOW_MONTHS = env.int("BURDEN_WINDOW_MONTHS", default=12)
BURDEN_OVERLOAD_INDEX = env.float("BURDEN_OVERLOAD_INDEX", default=20.0)
BURDEN_OVERLOAD_SEATS = env.int("BURDEN_OVERLOAD_SEATS", default=6)
BURDEN_MIN_FTE = env.float("BURDEN_MIN_FTE", default=0.5)

# 360Giving export (docs/funding.md): the prefix of the grant and organization
# identifiers ("360G-" and a name registered with 360Giving when publishing for real),
# and the licence the open data is published under.
GIVING360_PREFIX = env("GIVING360_PREFIX", default="360G-concertation")
GIVING360_LICENSE = env("GIVING360_LICENSE", default="https://creativecommons.org/licenses/by/4.0/")

# Bulk downloads of the open data (docs/api.md, "Bulk downloads"): the folder the nightly
# build writes its zips and manifest.json into, and /api/v1/downloads/ serves them from.
OPEN_DATA_DOWNLOADS_DIR = env.path("OPEN_DATA_DOWNLOADS_DIR", default=str(VAR_DIR / "open-data"))

# Rate limits (concertation/ratelimits.py, docs/security.md): requests a client address
# may make to the search API, and to the exports together, per period (s, m, h, d);
# counted in the default cache, answered 429 with Retry-After past that.
RATELIMIT_SEARCH_API = env("RATELIMIT_SEARCH_API", default="60/m")
RATELIMIT_EXPORTS = env("RATELIMIT_EXPORTS", default="10/m")
RATELIMIT_SUBSCRIPTIONS = env("RATELIMIT_SUBSCRIPTIONS", default="10/m")
# The open-data API /api/v1/ (docs/api.md): its resources and description together.
RATELIMIT_OPEN_DATA = env("RATELIMIT_OPEN_DATA", default="60/m")
# Follows (docs/follow.md): how long an address confirmation link works, in hours.
FOLLOWS_CONFIRM_HOURS = env.int("FOLLOWS_CONFIRM_HOURS", default=48)
# How many reverse proxies of ours stand in front of the application and append to
# X-Forwarded-For; 0 (directly exposed) ignores the header, which any client can forge.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
RATELIMIT_IP_META_KEY = "concertation.ratelimits.client_address"
# A cache outage lets requests through rather than refusing every one.
RATELIMIT_FAIL_OPEN = True

# The search API's OpenAPI description, generated by drf-spectacular (search/openapi.py,
# docs/decisions/008): only the search API's paths, its parameters in the form's order.
# extend_schema builds on the default schema class: drf-spectacular's.
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
SPECTACULAR_SETTINGS = {
    "DEFAULT_GENERATOR_CLASS": "search.openapi.SearchAPISchemaGenerator",
    "OAS_VERSION": "3.1.0",
    "TITLE": "Concertation archive search",
    "VERSION": "1.0.0",
    "DESCRIPTION": "The records of the archive the caller may read: public ones, and for "
    "a signed-in session (the site's cookie) the restricted ones its roles let it read. "
    "Unknown parameters are ignored; a refused value answers 400 with the error shape.",
    "SERVE_INCLUDE_SCHEMA": False,
    "SORT_OPERATION_PARAMETERS": False,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "search.openapi.parameters_say_if_required",
    ],
}

# The shared cache: rate-limit counts and the text extracted from briefs' files, which
# every process should see. CACHE_URL (django-environ): `dbcache://TABLE` (the production
# default; `manage.py createcachetable` creates it), `rediscache://HOST:6379/0`,
# `pymemcache://HOST:11211`, or `locmemcache://` (one cache per process, the default
# outside production).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# The public page cache (concertation/page_cache.py) lives there too: anonymous visitors'
# pages, replaced after any write; an entry lives this many seconds at most (0: off).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)

# Content-Security-Policy (django-csp; concertation/content_security.py): the public site
# runs no script and no inline style, so only our origin's stylesheet and images load;
# the Wagtail admin writes inline scripts and styles of its own and gets a relaxed policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        # Wagtail's page preview frames our pages in the editor.
        "frame-ancestors": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
    }
}
# The admin calls no one else either: no avatars from Gravatar (it would learn a hash of
# each staff member's address) and no release check against wagtail.org (upgrades are
# the dependency updates' business).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# The burden's covering index (fora.Meeting) includes non-key columns on
# PostgreSQL; SQLite, the embedded default, builds it without them, which is fine.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
