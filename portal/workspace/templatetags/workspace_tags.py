"""Template helpers for the workspace navigation."""

from django import template

from organisations.permissions import is_coordinator

register = template.Library()


@register.simple_tag(takes_context=True)
def shows_network_figures(context) -> bool:
    """Whether the signed-in person is a network coordinator, who sees the figures and unmet needs."""
    request = context.get("request")
    return request is not None and is_coordinator(request.user)
