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
    found = personal_data_in(raw, strict_numbers=True)
    if (found and found[1] == str(_("a phone number"))) or (PHONE.match(raw) and len(digits) >= 8):
        raise ValidationError(_("A case code may not be a phone number."), code="phone")
    if len(digits) == 11 or (found and found[1] == str(_("a national register number"))):
        raise ValidationError(_("A case code may not be a national register number."), code="national_number")
    if found:
        raise ValidationError(
            _("A case code may not hold personal data: “%(piece)s” looks like %(kind)s.")
            % {"piece": found[0].strip(), "kind": found[1]},
            code="personal_data",
        )
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


# Personal data in a code or in free text about a client. Numbers may be written with any separators:
# "85.03.12-123.45", "85--03-12-123-45", "(0475) 12 34 56", "+32 (0)475/12.34.56", "T-0475-123-456".
_SEPARATORS = r"[\s./()\-]*"
NUMBER_RUN = re.compile(rf"(?<![\w+])(?:\+|00)?\(?\d(?:{_SEPARATORS}\d)+")
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@")
NATIONAL_NUMBER_WRITTEN = re.compile(r"\b\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}\b")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){10,30}\b", re.IGNORECASE)
STREET_AND_NUMBER = re.compile(
    r"\b[^\W\d_]{2,}(?:straat|laan|baan|plein|plaats|weg|dreef|kaai|kade|vest|markt|lei|singel|dijk|steenweg|"
    r"ring|hof|street|road|avenue|rue)\s*\d{1,4}\s?[a-z]?\b(?:\s*(?:bus|b\.?)\s*\d+)?",
    re.IGNORECASE,
)
DATE = r"\d{1,2}[./\- ]\d{1,2}[./\- ](?:19|20)?\d{2}"
MONTHS = r"(?:jan|feb|maa|mrt|apr|mei|jun|jul|aug|sep|okt|oct|nov|dec)[a-z]*\.?"
BIRTH_DATE = re.compile(
    rf"(?:geboren|geb\.|°|geboortedatum|born|date of birth|dob)\s*(?:op|on|:)?\s*"
    rf"(?:{DATE}|\d{{1,2}}\s+{MONTHS}\s+\d{{4}})"
    rf"|\b\d{{1,2}}[./\-]\d{{1,2}}[./\-](?:19\d{{2}}|20[01]\d)\b",
    re.IGNORECASE,
)


def _national_number_check(digits: str) -> bool:
    """The last two digits are 97 minus the first nine modulo 97 (with a 2 in front for births from 2000)."""
    body, check = int(digits[:9]), int(digits[9:])
    return check in (97 - body % 97, 97 - (2_000_000_000 + body) % 97)


def _is_phone(run: str, digits: str) -> bool:
    """Belgian numbers: 0 and 8 digits (fixed line) or 04 and 8 digits (mobile), or the same after +32 / 0032."""
    international = run.startswith("+") or digits.startswith("0032")
    if international:
        digits = digits.removeprefix("00")
        if not digits.startswith("32"):
            return 8 <= len(digits) <= 15
        digits = digits[2:]
        digits = digits if digits.startswith("0") else "0" + digits
    return digits.startswith("0") and (len(digits) == 9 or (len(digits) == 10 and digits.startswith("04")))


def _iban_valid(candidate: str) -> bool:
    compact = re.sub(r"\s", "", candidate).upper()
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return 15 <= len(compact) <= 34 and int(number) % 97 == 1


def personal_data_in(text: str, *, strict_numbers: bool = False) -> tuple[str, str] | None:
    """The first piece of ``text`` that looks like personal data, and what it looks like; None when none does.

    In free text an 11-digit number counts as a national register number when its check digits hold
    (or it is written the official way); in a case code, ``strict_numbers``, any 11 digits do.
    """
    text = text or ""
    if match := EMAIL_ADDRESS.search(text):
        return match.group(), str(_("an e-mail address"))
    if (match := IBAN.search(text)) and _iban_valid(match.group()):
        return match.group(), str(_("a bank account number (IBAN)"))
    for match in NUMBER_RUN.finditer(text):
        run = match.group()
        digits = re.sub(r"\D", "", run)
        if len(digits) == 11 and (
            strict_numbers or _national_number_check(digits) or NATIONAL_NUMBER_WRITTEN.search(run)
        ):
            return run, str(_("a national register number"))
        if _is_phone(run, digits):
            return run, str(_("a phone number"))
    if match := BIRTH_DATE.search(text):
        return match.group(), str(_("a date of birth"))
    if match := STREET_AND_NUMBER.search(text):
        return match.group(), str(_("an address"))
    return None


def validate_no_contact_details(value: str) -> None:
    """Free text about a client may not carry personal data; the message says what looked like it."""
    if found := personal_data_in(value):
        piece, kind = found
        raise ValidationError(
            _(
                "Leave out e-mail addresses, phone numbers, national register numbers, bank account numbers, "
                "addresses and dates of birth: “%(piece)s” looks like %(kind)s."
            )
            % {"piece": piece.strip(), "kind": kind},
            code="personal_data",
        )
