"""Settings shared by every environment; each environment module starts from these.

Grouped by concern, in the order of cookiecutter-django's base settings, then the portal's own domains.
Every setting is defined once, in the section of its concern; dev.py, test.py and production.py override only
what differs there.
"""

import os
from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# GENERAL
# ------------------------------------------------------------------------------
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
# ".localhost": every demo network's host (gent.localhost, ...); production sets its own hosts.
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,.localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# DATABASES
# ------------------------------------------------------------------------------
# DATABASE_URL picks the database (https://github.com/jazzband/dj-database-url); SQLite by default.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}

# SQLite (`make run`) serves several editors at once: write-ahead logging lets reads go on beside a write,
# transactions take the write lock when they begin (so none fails upgrading a read lock), and a writer waits
# up to SQLITE_BUSY_TIMEOUT seconds (a queue of a few dozen publishes) for the lock instead of failing with
# "database is locked"
# (https://docs.djangoproject.com/en/5.2/ref/databases/#database-is-locked-errors).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "60")),
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# URLS
# ------------------------------------------------------------------------------
ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
# The address the public reaches the site at: QR codes on client sheets, the open data and the API link
# offers there (catalogue.public_urls), whatever Site hostname a request came in on.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# APPS
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "portal",
    "organisations",
    "catalogue",
    "search",
    "portal.workspace",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail_localize",
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
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # RoutablePageMixin serves the vision note's PDF and earlier versions
    # (https://docs.wagtail.org/en/stable/reference/contrib/routablepage.html).
    "wagtail.contrib.routable_page",
    # Login throttling (see AUTHENTICATION).
    "axes",
]

# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.InterfaceLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "wagtailadmin_login"
# Wagtail's login form leaves the password field without a label, so it read "Password" in every language
# (https://docs.wagtail.org/en/stable/reference/settings.html#wagtailadmin-user-login-form).
WAGTAILADMIN_USER_LOGIN_FORM = "portal.forms.AdminLoginForm"

# Login throttling with a cool-off, not a permanent lockout (https://django-axes.readthedocs.io/):
# five wrong passwords for one username from one address wait fifteen minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "workspace/login_locked.html"
AXES_VERBOSE = False

# Second factor: whoever opens a page with case data (the workspace, the admin's referral inbox) confirms a TOTP
# code first (django-otp, https://django-otp-official.readthedocs.io/); only switch off for a demo or a browser
# test.
WORKSPACE_REQUIRE_SECOND_FACTOR = env_bool("WORKSPACE_REQUIRE_SECOND_FACTOR", True)
OTP_TOTP_ISSUER = "Vrijetijdsnet"
# django-otp's throttling refuses even a correct code for 1, 2, 4 … seconds after each wrong one, without
# saying so; the workspace limits wrong codes itself instead (portal/workspace/second_factor.py):
# https://django-otp-official.readthedocs.io/en/stable/overview.html#std-setting-OTP_TOTP_THROTTLE_FACTOR
OTP_TOTP_THROTTLE_FACTOR = 0
# After this many wrong codes in a row, no code is taken for the cool-off period.
WORKSPACE_SECOND_FACTOR_FAILURE_LIMIT = int(os.environ.get("SECOND_FACTOR_FAILURE_LIMIT", "5"))
WORKSPACE_SECOND_FACTOR_COOLOFF = timedelta(minutes=int(os.environ.get("SECOND_FACTOR_COOLOFF_MINUTES", "15")))

# PASSWORDS
# ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# INTERNATIONALISATION
# ------------------------------------------------------------------------------
# Dutch (Belgium) first, English second (https://docs.djangoproject.com/en/5.2/topics/i18n/).
LANGUAGE_CODE = "nl-be"
# The interface speaks Dutch and English only; French is in LANGUAGES because Wagtail's content languages
# must be a subset of it, and InterfaceLanguageMiddleware never lets it become the interface language.
INTERFACE_LANGUAGES = [("nl-be", _("Dutch")), ("en", _("English"))]
LANGUAGES = [*INTERFACE_LANGUAGES, ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
# Wagtail's own admin translations are keyed "nl"; the admin follows the user's language choice.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
# Network pages can be translated (wagtail-localize, https://wagtail-localize.org/); Dutch pages keep their URLs,
# the others live under /en/ and /fr/ (portal/page_urls.py). Names are each language's own.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = [("nl-be", "Nederlands"), ("en", "English"), ("fr", "Français")]

# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.site_navigation",
                "portal.context_processors.interface_languages",
            ],
        },
    },
]

# STATIC, MEDIA AND DOCUMENTS
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "csv", "txt"]
# Documents: at most 10 MB, and the content must match the extension
# (https://docs.wagtail.org/en/stable/reference/settings.html#documents).
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.forms.CheckedDocumentForm"

# EMAIL
# ------------------------------------------------------------------------------
# Every message is queued for the task worker (portal/mail.py), which hands it to MAIL_DELIVERY_BACKEND and
# retries after these delays in seconds when the mail server does not answer; the last failure is logged.
EMAIL_BACKEND = "portal.mail.QueuedEmailBackend"
MAIL_DELIVERY_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
MAIL_RETRY_DELAYS = [int(delay) for delay in env_list("MAIL_RETRY_DELAYS", "60,300,900,3600,10800,21600,43200")]
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "vrijetijdsnet@localhost")

# ADMIN
# ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Vrijetijdsnet"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")

# CACHE
# ------------------------------------------------------------------------------
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
    if os.environ.get("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# TASKS
# ------------------------------------------------------------------------------
# Background tasks (https://github.com/RealOrangeOne/django-tasks): run inline in development and
# tests; production sets the database backend and runs `manage.py db_worker`.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}}

# SEARCH
# ------------------------------------------------------------------------------
# Wagtail's database search backend for CMS pages (https://docs.wagtail.org/en/stable/topics/search/backends.html).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Catalogue search: Elasticsearch when ELASTICSEARCH_URL is set, with the database engine as fallback.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_TIMEOUT = float(os.environ.get("ELASTICSEARCH_TIMEOUT", "0.5"))
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "vrijetijdsnet_")
SEARCH_AUTO_INDEX = env_bool("SEARCH_AUTO_INDEX", True)
SEARCH_BREAKER_THRESHOLD = int(os.environ.get("SEARCH_BREAKER_THRESHOLD", "3"))
SEARCH_BREAKER_COOLDOWN = float(os.environ.get("SEARCH_BREAKER_COOLDOWN", "30"))
# Index writes to Elasticsearch run in the task worker (search/tasks.py), never in a request: each bulk request
# waits at most this many seconds, a failed write is tried again after these delays, and the reconciliation
# (`manage.py reconcile_index`, also queued for the worker every SEARCH_RECONCILE_INTERVAL seconds) repairs
# whatever an index still missed.
ELASTICSEARCH_WRITE_TIMEOUT = float(os.environ.get("ELASTICSEARCH_WRITE_TIMEOUT", "5"))
SEARCH_INDEX_RETRY_DELAYS = [int(delay) for delay in env_list("SEARCH_INDEX_RETRY_DELAYS", "5,30,120,600")]
SEARCH_RECONCILE_INTERVAL = int(os.environ.get("SEARCH_RECONCILE_INTERVAL", "600"))

# API
# ------------------------------------------------------------------------------
# https://www.django-rest-framework.org/api-guide/settings/
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": ["portal.parsers.TextSafeJSONParser"],
    # Partner systems send a per-organisation key; the site itself uses the session, with CSRF on writes.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "organisations.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # https://www.django-rest-framework.org/api-guide/throttling/ (counts live in the cache, shared by workers).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "organisations.authentication.PersonRateThrottle",
        "organisations.authentication.ApiKeyRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "600/minute"),
        "api_key": os.environ.get("API_THROTTLE_API_KEY", "600/minute"),
        # The public intake form: submissions per address, counted in the cache like the API's throttles.
        "intake": os.environ.get("INTAKE_THROTTLE", "10/hour"),
    },
    # How many proxies stand before gunicorn: 0 trusts only REMOTE_ADDR, so X-Forwarded-For cannot be spoofed.
    "NUM_PROXIES": int(os.environ.get("API_NUM_PROXIES", "0")),
}
# https://drf-spectacular.readthedocs.io/en/latest/settings.html
SPECTACULAR_SETTINGS = {
    "TITLE": "Vrijetijdsnet API",
    "DESCRIPTION": "The shared catalogue of accessible leisure offers of the local network.",
    "VERSION": "1.0.0",
    "PREPROCESSING_HOOKS": ["portal.api.public_api_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.closed_offer_bodies",
        "portal.api.offer_body_limits",
    ],
}

# LOGGING
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Background-task and page-publish chatter stays out of the console unless asked for.
    "loggers": {
        "django_tasks": {"level": os.environ.get("DJANGO_TASKS_LOG_LEVEL", "WARNING")},
        "wagtail": {"level": os.environ.get("WAGTAIL_LOG_LEVEL", "WARNING")},
        # Each sign-in would otherwise log an INFO line; warnings (lockouts) still show.
        "axes": {"level": os.environ.get("AXES_LOG_LEVEL", "WARNING")},
    },
}

# PLACES
# ------------------------------------------------------------------------------
# Networks are records (organisations.Network), each with its municipalities; Antwerp draws its own
# neighbourhoods, loaded from this file (the other places come from catalogue/data, see load_areas).
NETWORK_NEIGHBOURHOODS_GEOJSON = Path(
    os.environ.get("NETWORK_NEIGHBOURHOODS_GEOJSON", BASE_DIR / "catalogue" / "data" / "antwerpen-wijken.geojson")
)
# A process asks the database whether the areas changed (catalogue.models.areas_version) at most this often:
# another process's reload of the areas places points by the new polygons within this many seconds; the
# process's own loads and edits at once.
AREAS_VERSION_SECONDS = float(os.environ.get("AREAS_VERSION_SECONDS", "5"))

# Offers, spreadsheet rows and UiTdatabank places without a point are placed from their address through
# Flanders' address register (catalogue/geocoding.py; https://docs.basisregisters.vlaanderen.be/docs/api-documentation.html).
# Empty switches it off: the point is then placed by hand. The API key is optional (it lifts the rate limit).
GEOCODER_URL = os.environ.get("GEOCODER_URL", "https://api.basisregisters.vlaanderen.be/v2/adresmatch")
GEOCODER_TIMEOUT = float(os.environ.get("GEOCODER_TIMEOUT", "3"))
GEOCODER_API_KEY = os.environ.get("GEOCODER_API_KEY", "")
# The editor's map (Leaflet): tiles from this URL template, with the attribution its licence asks for.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-bijdragers'
)

# CATALOGUE
# ------------------------------------------------------------------------------
# An offer its organisation has not confirmed for this many days is stale: reminded, marked, flagged.
OFFER_STALE_AFTER_DAYS = int(os.environ.get("OFFER_STALE_AFTER_DAYS", "180"))
# Licence of the open data feeds; OpenActive's RPDE asks for CC BY 4.0 (https://openactive.io/rpde/#license).
OPEN_DATA_LICENSE = os.environ.get("OPEN_DATA_LICENSE", "https://creativecommons.org/licenses/by/4.0/")
# The live pull from UiTdatabank's Search API v3 (catalogue/importing/uitdatabank_api.py): the events and places
# of each organisation linked to its UiTdatabank organizer id or label, every night at UITDATABANK_PULL_HOUR
# (local time) by the worker, or `manage.py pull_uitdatabank`. The key goes in the X-Api-Key header
# (https://github.com/cultuurnet/search-docs, getting_started/authentication.md); an empty key switches the
# pull off. publiq's test environment is https://search-test.uitdatabank.be.
UITDATABANK_SEARCH_URL = os.environ.get("UITDATABANK_SEARCH_URL", "https://search.uitdatabank.be")
UITDATABANK_API_KEY = os.environ.get("UITDATABANK_API_KEY", "")
# Seconds each request may take, and documents asked per page (the API may answer fewer: `itemsPerPage`).
UITDATABANK_TIMEOUT = float(os.environ.get("UITDATABANK_TIMEOUT", "20"))
UITDATABANK_PAGE_SIZE = int(os.environ.get("UITDATABANK_PAGE_SIZE", "50"))
UITDATABANK_PULL_HOUR = int(os.environ.get("UITDATABANK_PULL_HOUR", "3"))
# On this ISO weekday (1 Monday … 7 Sunday) the nightly pull is full, not incremental: a document refused once
# is asked for again though it did not change, and what UiTdatabank no longer answers goes offline.
UITDATABANK_FULL_PULL_WEEKDAY = int(os.environ.get("UITDATABANK_FULL_PULL_WEEKDAY", "7"))

# WORKSPACE: PRIVACY AND RETENTION (docs/privacy.md)
# ------------------------------------------------------------------------------
# How long client data is kept, in days: `manage.py purge_expired` deletes what is past its period; each
# period can be set from the environment.
WORKSPACE_RETENTION_DAYS = {
    # A closed case, with its shortlist, referrals and their history, counted from closing.
    "closed_case": int(os.environ.get("RETENTION_CLOSED_CASE_DAYS", "365")),
    # An open case nobody changed for this long is treated as abandoned and deleted too.
    "inactive_case": int(os.environ.get("RETENTION_INACTIVE_CASE_DAYS", "730")),
    # A referral that ended (stopped or no response), counted from its last status change.
    "ended_referral": int(os.environ.get("RETENTION_ENDED_REFERRAL_DAYS", "365")),
    # Audit log entries, long enough to answer a question about who read a case.
    "audit_entry": int(os.environ.get("RETENTION_AUDIT_ENTRY_DAYS", "730")),
    # Unmet needs hold no case; they feed the yearly figures.
    "unmet_need": int(os.environ.get("RETENTION_UNMET_NEED_DAYS", "1095")),
    # An intake that was redirected, declined or never answered, counted from its last change; an accepted
    # intake lives as long as its case.
    "ended_intake": int(os.environ.get("RETENTION_ENDED_INTAKE_DAYS", "180")),
    # A resident's own contact, erased at the first contact or after this many days, whichever comes first.
    "resident_contact": int(os.environ.get("RETENTION_RESIDENT_CONTACT_DAYS", "30")),
    # A participation-fund intervention stays for the OCMW's accounts after its case is gone (without the case).
    "fund_intervention": int(os.environ.get("RETENTION_FUND_INTERVENTION_DAYS", "3650")),
}
# Figures never show a count below this, so no one in a small neighbourhood can be recognised.
WORKSPACE_MIN_CELL = 5
# Residents' contacts in intakes are encrypted with these Fernet keys
# (https://cryptography.io/en/latest/fernet/#cryptography.fernet.MultiFernet), comma-separated:
# the first encrypts, every key decrypts, so a key is rotated by putting a new one first and running
# `manage.py rotate_contact_keys`. Development derives one from SECRET_KEY; production requires its own.
WORKSPACE_CONTACT_KEYS = env_list("WORKSPACE_CONTACT_KEYS")

# WORKSPACE: REFERRALS AND RESERVED PLACES
# ------------------------------------------------------------------------------
# Days a partner has to confirm or decline a reserved place ("kansenplaats") a mediator asked for; after them the
# request lapses and the mediator is told (portal/workspace/places.py), by the worker every night at
# RESERVED_PLACE_LAPSE_HOUR, local time (portal/workspace/tasks.py).
RESERVED_PLACE_ANSWER_DAYS = int(os.environ.get("RESERVED_PLACE_ANSWER_DAYS", "5"))
RESERVED_PLACE_LAPSE_HOUR = int(os.environ.get("RESERVED_PLACE_LAPSE_HOUR", "2"))

# TRAJECTORIES: intake, triage, evaluations, participation funds
# ------------------------------------------------------------------------------
# Months between two evaluations of a trajectory; the first is due when the trajectory starts.
WORKSPACE_EVALUATION_MONTHS = int(os.environ.get("WORKSPACE_EVALUATION_MONTHS", "3"))
# Whether the evaluation asks for the activation-ladder rung (OCMW Gent's social activation uses it).
WORKSPACE_ACTIVATION_LADDER = env_bool("WORKSPACE_ACTIVATION_LADDER", True)
