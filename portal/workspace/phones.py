"""Belgian phone numbers as a mediator types them: checked, and written the one way a partner reads them back."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SEPARATORS = re.compile(r"[\s./()-]")
# After +32 or 0032 is turned into a leading 0: a mobile number is 04 and eight digits, any other 0 and seven.
MOBILE = re.compile(r"^04\d{8}$")
FIXED = re.compile(r"^0[1-35-9]\d{7}$")
# Zones with a one-digit prefix (Brussels, Antwerp, Liège, Ghent); every other zone has two digits.
ONE_DIGIT_ZONES = "2349"


def normalise_belgian_phone(value: str) -> str:
    """The number in national notation ('03 123 45 67', '0470 12 34 56'), or a ValidationError saying what to type."""
    digits = SEPARATORS.sub("", (value or "").strip())
    if digits.startswith("+32"):
        digits = "0" + digits[3:]
    elif digits.startswith("0032"):
        digits = "0" + digits[4:]
    if MOBILE.match(digits):
        return f"{digits[:4]} {digits[4:6]} {digits[6:8]} {digits[8:]}"
    if FIXED.match(digits):
        zone = 2 if digits[1] in ONE_DIGIT_ZONES else 3
        rest = digits[zone:]
        groups = [rest[:-4], rest[-4:-2], rest[-2:]]
        return " ".join([digits[:zone], *groups])
    raise ValidationError(
        _("Give a Belgian phone number, for example 03 123 45 67 or 0470 12 34 56."), code="belgian_phone"
    )
