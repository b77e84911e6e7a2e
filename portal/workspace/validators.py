"""Keeping a case code pseudonymous: it may never be a name, national register number, address, phone or e-mail.

The rule is deliberately narrow rather than clever: a code is 4 to 20 characters of capital letters,
digits and hyphens, with at least two digits, at most three letters in a row (no word, so no name
or street) and at most six digits in a row (no phone or national number). Each refusal says which
kind of personal data the code looked like, so the mediator understands why.
"""

import re
import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MIN_LENGTH, MAX_LENGTH = 4, 20
MAX_LETTER_RUN, MAX_DIGIT_RUN = 3, 6
# Consonants only, and no digits that look like letters: a generated code never spells a word.
GENERATED_LETTERS = "BCDFGHJKLMNPQRSTVWXZ"
GENERATED_DIGITS = "23456789"

EMAIL = re.compile(r"@")
# Belgian national register number: YY.MM.DD-SSS.CC, punctuation optional (11 digits).
NATIONAL_NUMBER = re.compile(r"^\d{2}\D?\d{2}\D?\d{2}\D?\d{3}\D?\d{2}$")
PHONE = re.compile(r"^(\+|00|0)[\d\s./()-]{7,}$")
STREET_WORDS = re.compile(r"(straat|laan|baan|plein|weg|dreef|kaai|vest|markt|street|road)", re.IGNORECASE)
ALLOWED = re.compile(r"^[A-Z0-9-]+$")
WORD = re.compile(rf"[^\W\d_]{{{MAX_LETTER_RUN + 1},}}")
LONG_NUMBER = re.compile(rf"\d{{{MAX_DIGIT_RUN + 1},}}")


def normalise_case_code(value: str) -> str:
    return (value or "").strip().upper()


def validate_case_code(value: str) -> None:
    """Refuse any code that could identify a person, naming what it looked like."""
    raw = (value or "").strip()
    digits = re.sub(r"\D", "", raw)
    if EMAIL.search(raw):
        raise ValidationError(_("A case code may not be an e-mail address."), code="email")
    if len(digits) == 11 and NATIONAL_NUMBER.match(raw):
        raise ValidationError(_("A case code may not be a national register number."), code="national_number")
    if PHONE.match(raw) and len(digits) >= 8:
        raise ValidationError(_("A case code may not be a phone number."), code="phone")
    if STREET_WORDS.search(raw) or (re.search(r"\s", raw) and re.search(r"\d", raw)):
        raise ValidationError(_("A case code may not be an address."), code="address")
    if re.search(r"\s", raw) or WORD.search(raw):
        raise ValidationError(
            _("A case code may not be a name: use at most three letters in a row and no spaces."), code="name"
        )
    code = normalise_case_code(raw)
    if not (MIN_LENGTH <= len(code) <= MAX_LENGTH) or not ALLOWED.match(code):
        raise ValidationError(
            _("A case code has 4 to 20 characters: capital letters, digits and hyphens."), code="format"
        )
    if LONG_NUMBER.search(code):
        raise ValidationError(_("A case code may have at most six digits in a row."), code="digits")
    if len(digits) < 2:
        raise ValidationError(_("A case code needs at least two digits."), code="too_few_digits")


def generate_case_code() -> str:
    """A random code like 'KX-4821' that passes ``validate_case_code`` and spells nothing."""
    letters = "".join(secrets.choice(GENERATED_LETTERS) for _ in range(2))
    digits = "".join(secrets.choice(GENERATED_DIGITS) for _ in range(4))
    return f"{letters}-{digits}"


CONTACT_DETAILS = re.compile(r"@|(\+|\b0)\d[\d\s./-]{7,}|\b\d{2}\D?\d{2}\D?\d{2}\D?\d{3}\D?\d{2}\b")


def validate_no_contact_details(value: str) -> None:
    """Free text shared with a partner may not carry an e-mail address, phone or national register number."""
    if CONTACT_DETAILS.search(value or ""):
        raise ValidationError(
            _("Leave out e-mail addresses, phone numbers and national register numbers."), code="contact_details"
        )
