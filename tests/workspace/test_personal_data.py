"""Pseudonymity: case codes and free text about a client refuse what looks like personal data, and say what."""

from django.core.exceptions import ValidationError
from django.utils import translation

import pytest

from portal.workspace.validators import personal_data_in, validate_case_code, validate_no_contact_details


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


CHECK = 97 - 850312123 % 97  # the check digits of national number 85.03.12-123
REAL_LOOKING = [
    (f"85.03.12-123.{CHECK:02d}", "a national register number"),
    (f"rijksregister 850312123{CHECK:02d}", "a national register number"),
    (f"85 03 12 123 {CHECK:02d}", "a national register number"),
    (f"85/03/12/123/{CHECK:02d}", "a national register number"),
    ("Bel haar: (0475) 12 34 56", "a phone number"),
    ("0475/12.34.56", "a phone number"),
    ("+32 475 12 34 56", "a phone number"),
    ("+32 (0)475 123456", "a phone number"),
    ("0032475123456", "a phone number"),
    ("gsm 0475123456", "a phone number"),
    ("03 123 45 67", "a phone number"),
    ("03/123.45.67", "a phone number"),
    ("jan.peeters@telenet.be", "an e-mail address"),
    ("rekening BE68 5390 0754 7034", "a bank account number (IBAN)"),
    ("BE68539007547034", "a bank account number (IBAN)"),
    ("woont in de Kerkstraat 12", "an address"),
    ("Turnhoutsebaan 145 bus 2", "an address"),
    ("Frankrijklei 3", "an address"),
    ("geboren op 12/03/1985", "a date of birth"),
    ("° 12.03.1985", "a date of birth"),
    ("geb. 3 maart 1985", "a date of birth"),
    ("12-03-1985", "a date of birth"),
]
INNOCENT = [
    "2 kinderen van 7 en 10",
    "woensdag 14u",
    "van 14.00 tot 16.00",
    "09.00 - 12.00",
    "€ 12,50 per maand",
    "vanaf 12/03/2026",
    "groep van 12 tot 15 jaar",
    "bus 34 naar de Turnhoutsebaan",
    "UiTPAS met kansentarief",
    "Haar zoon is 9",
    "lijn 24",
    "maat 38",
    "Ze wil 2 à 3 uur per week sporten",
    "seizoen 2025-2026",
    "85 euro per jaar",
]


@pytest.mark.parametrize(("text", "kind"), REAL_LOOKING)
def test_real_looking_personal_data_is_found_and_named(text, kind):
    """Attack: personal data in any common writing is refused with what it looked like."""
    assert personal_data_in(text)[1] == kind
    with pytest.raises(ValidationError) as refusal:
        validate_no_contact_details(f"Ze wil graag zwemmen. {text}")
    assert kind in refusal.value.messages[0]


@pytest.mark.parametrize("text", INNOCENT)
def test_innocent_text_passes(text):
    """Happy path: ages, times, prices, dates to come and bus lines are no personal data."""
    assert personal_data_in(text) is None
    validate_no_contact_details(text)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("RR-850312-12345", "national register number"),
        ("85--03-12-123-45", "national register number"),
        (f"85.03.12-123.{CHECK:02d}", "national register number"),
        ("T-0475-123-456", "phone number"),
        ("T-03-123-45-67", "phone number"),
        ("BE68539007547034", "bank account number"),
    ],
)
def test_case_codes_that_are_personal_data_are_refused(code, kind):
    """Attack: codes made of a national number or a phone number with separators are refused, naming which."""
    with pytest.raises(ValidationError) as refusal:
        validate_case_code(code)
    assert kind in str(refusal.value.messages[0])


@pytest.mark.parametrize("code", ["KX-4821", "QT-77", "AB-12-CD", "OCM-2026-17"])
def test_ordinary_case_codes_pass(code):
    """Happy path: generated and team-style codes pass."""
    validate_case_code(code)
