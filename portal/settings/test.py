"""Test settings: fast hashing, in-memory cache, mail kept in memory.

Only what differs from base.py, under the same concern headings.
"""

from .base import *  # noqa: F403

# GENERAL
# ------------------------------------------------------------------------------
DEBUG = False

# PASSWORDS
# ------------------------------------------------------------------------------
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# STATIC, MEDIA AND DOCUMENTS
# ------------------------------------------------------------------------------
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# EMAIL
# ------------------------------------------------------------------------------
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# CACHE
# ------------------------------------------------------------------------------
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# TASKS
# ------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# SEARCH
# ------------------------------------------------------------------------------
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}}
ELASTICSEARCH_URL = ""
ELASTICSEARCH_INDEX_PREFIX = "test_vrijetijdsnet_"

# NETWORK AND PLACES
# ------------------------------------------------------------------------------
# Tests never reach the real address register; the ones that geocode start tests/address_register.py.
GEOCODER_URL = ""
MAP_TILE_URL = ""
# Every lookup asks whether the areas changed: a test's rolled-back areas are gone for the next test.
AREAS_VERSION_SECONDS = 0

# CATALOGUE
# ------------------------------------------------------------------------------
# Tests never reach UiTdatabank; the live-pull tests start tests/uitdatabank_search.py.
UITDATABANK_SEARCH_URL = ""
UITDATABANK_API_KEY = ""
