"""Template helpers for offers: Belgian prices, schedules and threshold facts as data."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from catalogue import facts, formatting, pricing
from catalogue.models import OfferPage

register = template.Library()


@register.filter
def euro(amount: Decimal | None) -> str:
    """'€ 5,00' in Dutch, '€ 5.00' in English; 'free' for zero; 'price unknown' when nobody gave one."""
    if amount is None:
        return _("price unknown")
    if amount == 0:
        return _("free")
    return formatting.euro(amount)


@register.filter
def price(amount: Decimal | None, unit: str) -> str:
    """'€ 12,00 per seizoen': an amount with what it buys; 'price unknown' when nobody gave one."""
    if amount is None:
        return _("price unknown")
    return f"{formatting.euro(amount)} {pricing.unit_suffix(unit)}"


@register.filter
def unit_suffix(unit: str) -> str:
    return pricing.unit_suffix(unit)


@register.simple_tag
def offer_facts(offer, group: str) -> list[facts.Fact]:
    """The facts of one group that hold for this offer."""
    return [fact for fact in getattr(facts, group) if getattr(offer, fact.field)]


@register.simple_tag
def accessibility_facts(offer) -> list[tuple[facts.Fact, bool]]:
    """Every accessibility fact with whether it holds, so a page can say what is not available too."""
    return [(fact, bool(getattr(offer, fact.field))) for fact in facts.ACCESSIBILITY_FACTS]


@register.simple_tag
def organisation_offers(organisation_page) -> list[OfferPage]:
    """The live offers under an organisation's page, for its page; the organisation knows nothing of offers."""
    return list(
        OfferPage.objects.child_of(organisation_page)
        .live()
        .select_related("neighbourhood__district")
        .defer("neighbourhood__geometry")
        .order_by("title")
    )


# The markup includes/icon.html gave, its line break included.
ICON = (
    '<svg class="icon" aria-hidden="true" focusable="false" width="24" height="24"><use href="#icon-{}"></use></svg>\n'
)


@register.simple_tag
def icon(name: str) -> SafeString:
    """A decorative icon from the page's sprite (includes/icon_sprite.html); a result list shows hundreds."""
    return format_html(ICON, name)
