"""Template helpers for the workspace: its navigation and amounts."""

from decimal import Decimal

from django import template

from catalogue.formatting import euro
from organisations.permissions import can_use_mediator_tools, is_coordinator

from ..figures import can_see_platform_figures

register = template.Library()


@register.simple_tag(takes_context=True)
def shows_platform_figures(context) -> bool:
    """Whether the signed-in person sees the anonymised figures across networks (the platform's role)."""
    request = context.get("request")
    return request is not None and can_see_platform_figures(request.user)


@register.simple_tag(takes_context=True)
def shows_network_figures(context) -> bool:
    """Whether the signed-in person is a network coordinator, who sees the figures and unmet needs."""
    request = context.get("request")
    return request is not None and is_coordinator(request.user)


@register.simple_tag(takes_context=True)
def uses_mediator_tools(context) -> bool:
    """Whether the signed-in person is a mediator or coordinator (referrers have their own navigation)."""
    request = context.get("request")
    return request is not None and can_use_mediator_tools(request.user)


@register.filter
def amount(value: Decimal | None) -> str:
    """An amount in euro, '€ 0,00' included (the catalogue's ``euro`` filter says 'free' for zero)."""
    return "" if value is None else euro(value)
