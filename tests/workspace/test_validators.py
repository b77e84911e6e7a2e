"""A case code stays pseudonymous: names, national numbers, addresses, phones and e-mails are refused by name."""

from django.core.exceptions import ValidationError
from django.utils import translation

import pytest

from portal.workspace.validators import generate_case_code, validate_case_code


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("Fatima", "name"),
        ("Jan Peeters", "name"),
        ("PEETERS-12", "name"),
        ("85.07.30-033.61", "national register number"),
        ("85073003361", "national register number"),
        ("0470 12 34 56", "phone number"),
        ("+32470123456", "phone number"),
        ("Kerkstraat 12", "address"),
        ("Turnhoutsebaan12", "address"),
        ("jan@example.be", "e-mail address"),
    ],
)
def test_personal_data_is_refused_and_named(code, kind):
    """Error case: a code that looks like personal data is refused with a message saying what it looked like."""
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            validate_case_code(code)
        assert kind in error.value.messages[0]


@pytest.mark.parametrize("code", ["KX-4821", "AB-12", "C-2024-07", "mz-88"])
def test_pseudonymous_codes_are_accepted(code):
    """A short code of letters and digits that spells nothing is accepted."""
    validate_case_code(code)


@pytest.mark.parametrize("code", ["A1", "ABC-D", "X-1234567"])
def test_malformed_codes_are_refused(code):
    """Error case: too short, too few digits or too long a number are refused."""
    with pytest.raises(ValidationError):
        validate_case_code(code)


def test_generated_codes_are_valid():
    """Every generated code passes the rule it is meant to satisfy."""
    for _attempt in range(200):
        validate_case_code(generate_case_code())
