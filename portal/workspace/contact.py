"""A resident's own contact in an intake, encrypted at rest with Fernet keys from the environment.

``settings.WORKSPACE_CONTACT_KEYS`` lists Fernet keys: the first encrypts, every one decrypts
(``MultiFernet``), so rotating is: put a new key first, run ``manage.py rotate_contact_keys``,
then drop the old key. Development and tests, which set no key, derive one from ``SECRET_KEY``;
production refuses to start without its own (``portal/settings/production.py``).
"""

import base64
import hashlib

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


def _keys() -> list[bytes]:
    configured = [key.encode() for key in settings.WORKSPACE_CONTACT_KEYS]
    if configured:
        return configured
    # Only reached without WORKSPACE_CONTACT_KEYS, which production does not allow.
    digest = hashlib.sha256(f"workspace-contact:{settings.SECRET_KEY}".encode()).digest()
    return [base64.urlsafe_b64encode(digest)]


def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in _keys()])
    except ValueError as error:
        raise ImproperlyConfigured(
            "WORKSPACE_CONTACT_KEYS holds a value that is not a Fernet key (32 url-safe base64 bytes)."
        ) from error


def encrypt_contact(plain: str) -> str:
    """The Fernet token for a contact, as text for the database; an empty contact stays empty."""
    plain = plain.strip()
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def decrypt_contact(token: str) -> str:
    """The contact in plain, or raise ``InvalidToken`` when no configured key opens it."""
    return _fernet().decrypt(token.encode()).decode() if token else ""


def rotate_contact(token: str) -> str:
    """The same contact encrypted again with the first (newest) key."""
    return _fernet().rotate(token.encode()).decode() if token else ""


__all__ = ["InvalidToken", "decrypt_contact", "encrypt_contact", "rotate_contact"]
