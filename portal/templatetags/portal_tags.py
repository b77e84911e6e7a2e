"""Template tags for links every page carries, such as the accessibility statement in the footer."""

from django import template

from ..models import AccessibilityStatementPage

register = template.Library()


@register.simple_tag(takes_context=True)
def accessibility_statement_url(context: template.Context) -> str:
    """The statement's URL, or "" when it is missing or the page renders without a request (the 500 page)."""
    if context.get("request") is None:
        return ""
    statement = AccessibilityStatementPage.objects.live().public().first()
    return statement.url if statement else ""
