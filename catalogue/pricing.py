"""What an offer costs whom: the derived price facts, read by the offer page, the client sheet and the search.

An offer has one regular price and, optionally, one reduced price under a tariff (UiTPAS
opportunity tariff, the organiser's own social tariff, or both). A client pays the lowest price
a tariff they qualify for gives; UiTdatabank indexes only the regular price, so this is what lets
a mediator ask "what costs this client at most 5 euro".

The regular price can be unknown (``list_price`` empty: a UiTdatabank document without
``priceInfo``). Unknown is never free and never € 0: every cost is then None, which the search
leaves out of the "free" and "at most" filters, and which the pages and exports write as unknown.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import PriceUnit, ReducedTariff

UITPAS_TARIFFS = {ReducedTariff.UITPAS, ReducedTariff.BOTH}
SOCIAL_TARIFFS = {ReducedTariff.SOCIAL, ReducedTariff.BOTH}
# The offer fields the prices are derived from.
PRICE_FIELDS = ("list_price", "reduced_price", "reduced_tariff")
COST_NAMES = ("cost_regular", "cost_uitpas", "cost_social", "cost_all")


# What a price buys, as it follows an amount: "€ 12,00 per season".
UNIT_SUFFIXES = {
    PriceUnit.SESSION: _("per session"),
    PriceUnit.MONTH: _("per month"),
    PriceUnit.SEASON: _("per season"),
    PriceUnit.YEAR: _("per year"),
    PriceUnit.ONCE: _("in total"),
}


def costs_extra(compulsory_extras: Iterable[Decimal | None]) -> bool:
    """Whether something compulsory costs money, or might (an unknown amount)."""
    return any(amount is None or amount > 0 for amount in compulsory_extras)


def free_of_charge(price: Decimal | None, compulsory_extras: Iterable[Decimal | None]) -> bool:
    """Free only when the price is 0 and nothing compulsory costs money (see ``costs_extra``)."""
    return price is not None and price == 0 and not costs_extra(compulsory_extras)


def compulsory_extras(offer: Any) -> list[Decimal | None]:
    return [cost.amount for cost in offer.extra_costs.all() if cost.required]


def is_free(offer: Any) -> bool:
    """The one rule for "Gratis", the free filter and ``isAccessibleForFree`` (see ``free_of_charge``)."""
    return free_of_charge(offer.list_price, compulsory_extras(offer))


def unit_suffix(unit: str) -> str:
    return str(UNIT_SUFFIXES.get(unit, ""))


def price_unknown(offer: Any) -> bool:
    return offer.list_price is None


def client_costs(offer: Any) -> dict[str, Decimal | None]:
    """The price each kind of client pays: with UiTPAS opportunity tariff, social tariff, both, or neither.

    All None when the regular price is unknown: a reduced price alone says nothing of what the others pay.
    """
    regular = offer.list_price
    if regular is None:
        return dict.fromkeys(COST_NAMES)
    reduced = offer.reduced_price if offer.reduced_price is not None else regular
    uitpas = min(regular, reduced) if offer.reduced_tariff in UITPAS_TARIFFS else regular
    social = min(regular, reduced) if offer.reduced_tariff in SOCIAL_TARIFFS else regular
    return {"cost_regular": regular, "cost_uitpas": uitpas, "cost_social": social, "cost_all": min(uitpas, social)}
