"""Money and distances as people read them, in the active language's number format (Belgian in Dutch)."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def euro(amount: Decimal) -> str:
    """'€ 5,00' in Dutch, '€ 5.00' in English."""
    return f"€\u00a0{number_format(amount, 2, use_l10n=True, force_grouping=True)}"


def distance(km: float) -> str:
    """'800 m' below a kilometre (to the nearest 100 m), '2,3 km' above."""
    if km < 1:
        return _("%(metres)s m") % {"metres": max(100, int(round(km * 10)) * 100)}
    return _("%(km)s km") % {"km": number_format(round(km, 1), 1, use_l10n=True)}
