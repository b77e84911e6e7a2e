"""Production settings: every secret and host from the environment, hardened transport.

Only what differs from base.py, under the same concern headings.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import WORKSPACE_CONTACT_KEYS, env_bool, env_list

# GENERAL
# ------------------------------------------------------------------------------
DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

# URLS
# ------------------------------------------------------------------------------
# Printed QR codes and the open data carry this address, so it must be the real one (no development default).
PUBLIC_BASE_URL = os.environ["PUBLIC_BASE_URL"]

# SECURITY
# ------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True

# STATIC
# ------------------------------------------------------------------------------
# WhiteNoise serves the collected static files from gunicorn (https://whitenoise.readthedocs.io/).
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]  # noqa: F405

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# EMAIL
# ------------------------------------------------------------------------------
# The worker delivers queued mail (portal/mail.py) over SMTP; a mail server that hangs costs it this many seconds.
MAIL_DELIVERY_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_TIMEOUT = float(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)

# CACHE
# ------------------------------------------------------------------------------
# The search's circuit breaker and the API throttles count in the cache; with several web workers and the task
# worker only a shared cache makes one count (a local-memory cache would count per process).
if not os.environ.get("REDIS_URL"):
    raise ImproperlyConfigured("Set REDIS_URL (redis://host:6379/0) in production: the cache must be shared.")

# TASKS
# ------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# WORKSPACE: PRIVACY AND RETENTION
# ------------------------------------------------------------------------------
# Resident contacts in intakes are encrypted with these keys; there is no default in production.
if not WORKSPACE_CONTACT_KEYS:
    raise ImproperlyConfigured("Set WORKSPACE_CONTACT_KEYS (a Fernet key; see docs/privacy.md) in production.")
