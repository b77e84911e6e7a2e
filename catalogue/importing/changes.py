"""What an import does to one offer, in words an editor checks before applying: the fields that change
(old → new) for an offer that exists, and the key facts (when, price, place) of a new one.

Each entry is a small dict of strings (``label``, ``old``, ``new``), so it is stored with the job's report.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ..formatting import euro
from ..models import OfferPage, Weekday
from ..services import OfferInput

# Fields written for the import's own bookkeeping, not shown as a change.
NOT_SHOWN = frozenset({"source", "external_id"})
SHOWN_CHARACTERS = 80


def _field_label(name: str) -> str:
    label = str(OfferPage._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _shown(name: str, value: Any) -> str:
    """A field's value as the editor reads it: choices by their label, money in euro, yes or no."""
    if value is None or value == "":
        return "—"
    field = OfferPage._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.get_internal_type() == "DecimalField":
        return euro(Decimal(value))
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:.5f}"
    return Truncator(strip_tags(str(value))).chars(SHOWN_CHARACTERS)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return (old is None) == (new is None) and (old is None or Decimal(old) == Decimal(new))
    return old == new


def _slots(slots) -> str:
    shown = [
        f"{Weekday(slot.weekday).label} {slot.start_time:%H:%M}–{slot.end_time:%H:%M}"
        for slot in sorted(slots, key=lambda slot: (slot.weekday, slot.start_time))
    ]
    return "; ".join(shown) or "—"


def _names(items) -> str:
    return ", ".join(sorted(item.name for item in items)) or "—"


def _costs(costs) -> str:
    shown = [
        f"{cost.get_kind_display()} {euro(Decimal(cost.amount))}"
        + ("" if cost.required else f" ({_('optional')})")
        + (f": {cost.description}" if cost.description else "")
        for cost in sorted(costs, key=lambda cost: (cost.kind, Decimal(cost.amount), cost.description))
    ]
    return "; ".join(shown) or "—"


def _relations(offer: OfferPage | None, data: OfferInput) -> list[tuple[str, str, str]]:
    """(label, old, new) for the related rows; old is empty for a new offer."""
    return [
        (_("Weekly time slots"), _slots(offer.time_slots.all()) if offer else "", _slots(data.time_slots)),
        (_("Themes"), _names(offer.themes.all()) if offer else "", _names(data.themes)),
        (_("Languages also spoken"), _names(offer.languages.all()) if offer else "", _names(data.languages)),
        (_("Extra costs"), _costs(offer.extra_costs.all()) if offer else "", _costs(data.extra_costs)),
    ]


def offer_changes(offer: OfferPage, data: OfferInput) -> list[dict[str, str]]:
    """Every field and related list the input changes on ``offer``, with its value before and after."""
    changes = [
        {"label": _field_label(name), "old": _shown(name, getattr(offer, name)), "new": _shown(name, value)}
        for name, value in data.values.items()
        if name not in NOT_SHOWN and not _same(getattr(offer, name), value)
    ]
    changes += [{"label": label, "old": old, "new": new} for label, old, new in _relations(offer, data) if old != new]
    return changes


def offer_facts(data: OfferInput) -> list[dict[str, str]]:
    """A new offer's key facts: its dates, weekly times, price and place."""
    values = data.values
    start, end = values.get("start_date"), values.get("end_date")
    dates = f"{_shown('start_date', start)} – {_shown('end_date', end)}" if start or end else _("permanent")
    list_price = values.get("list_price")
    price = euro(Decimal(list_price)) if list_price is not None else _("Price unknown")  # unknown, never free
    if list_price is not None and values.get("price_unit"):
        price = f"{price} {_shown('price_unit', values['price_unit'])}"
    address = (values.get("street_address"), values.get("postal_code"), values.get("city"))
    place = ", ".join(part for part in address if part)
    facts = [
        (_("Dates"), dates),
        (_("Weekly time slots"), _slots(data.time_slots)),
        (_("Price"), price),
        (_("Place"), place or "—"),
    ]
    return [{"label": label, "old": "", "new": new} for label, new in facts]
