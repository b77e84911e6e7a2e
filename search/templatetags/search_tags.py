"""Template helpers for the search page: links that change one parameter and keep the others, and the
form's long lists (neighbourhoods, facet values) built in one pass."""

from collections.abc import Iterable
from functools import lru_cache
from html import escape

from django import template
from django.http import QueryDict
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from catalogue import facts, formatting
from catalogue.network_areas import centre_choices
from organisations.models import Network

from .. import local_cache
from ..query import BudgetPer, FacetValue, OfferHit

register = template.Library()


# Parameters that measure from a centre (a point or a neighbourhood); without one they are an error.
CENTRES = ("near", "near_neighbourhood")


@register.simple_tag
def without_param(params: QueryDict, name: str, value: str | None = None) -> str:
    """The query string with one value of a parameter (or all its values) removed, back on page 1.

    Removing the last centre also removes what needs it (the distance, a sort by distance), so the
    link never leads to a search that is refused.
    """
    query = params.copy()
    query.pop("page", None)
    if value is None:
        query.pop(name, None)
    else:
        query.setlist(name, [item for item in query.getlist(name) if item != str(value)])
    if not any(query.get(centre) for centre in CENTRES):
        query.pop("within_km", None)
        if query.get("sort") == "distance":
            query.pop("sort")
    return query.urlencode()


@register.simple_tag
def with_page(params: QueryDict, page: int) -> str:
    query = params.copy()
    query["page"] = str(page)
    return query.urlencode()


@register.filter
def distance(km: float | None) -> str:
    return "" if km is None else formatting.distance(km)


CENTRE_OPTIONS_SECONDS = 60


@register.simple_tag
def centre_options(network: Network | None, selected: str | None) -> SafeString:
    """The options of the "near" select (the network's sub-areas), built in one pass rather than a template loop.

    The list changes rarely, so each process keeps it a minute per network.
    """
    choices = local_cache.get_or_set(
        f"search:centre-choices:{network.pk if network else ''}",
        lambda: centre_choices(network),
        CENTRE_OPTIONS_SECONDS,
    )
    return _safe_join(
        f'<option value="{escape(code)}"{" selected" if code == selected else ""}>{escape(label)}</option>'
        for code, label in choices
    )


@register.simple_tag
def facet_checks(name: str, values: list[FacetValue]) -> SafeString:
    """One facet group's checkboxes, each labelled by its value and count, in compact markup.

    A group's values are a large part of the page (every neighbourhood, theme and organiser), so they are
    built in one pass, and the label wraps its checkbox instead of pointing at it by id.
    """
    return _facet_checks(name, tuple(values))


@lru_cache(maxsize=2048)
def _facet_checks(name: str, values: tuple[FacetValue, ...]) -> SafeString:
    return _safe_join(
        f'<label class="check"><input type="checkbox" name="{escape(name)}" value="{escape(value.value)}"'
        f"{' checked' if value.selected else ''}>{escape(str(value.label))} "
        f'<span class="count">({value.count})</span></label>'
        for value in values
    )


def _safe_join(parts: Iterable[str]) -> SafeString:
    """Markup whose every value was escaped with ``html.escape`` (quotes too, as Django's escape does)."""
    return mark_safe("".join(parts))  # noqa: S308 - each part escapes what it interpolates


@register.filter
def budget_per_label(budget_per: str) -> str:
    """'per session', 'in total': what a budget is for."""
    return str(BudgetPer(budget_per).label)


@register.filter
def accessibility_of(hit: OfferHit) -> list[facts.Fact]:
    """The accessibility facts that hold for a hit, in the order the site lists them."""
    held = set(hit.accessibility)
    return [fact for fact in facts.ACCESSIBILITY_FACTS if fact.field in held]


@register.simple_tag
def search_hit(hit: OfferHit) -> SafeString:
    """What one result of the list shows (includes/search_hit.html), inside its <li>.

    The markup is a function of the hit alone (every value it shows is a field of the hit, the client's
    cost and the distance included) and of the language, so each worker keeps the last few thousand it
    rendered: the same offers come back in many searches.
    """
    return _rendered_hit(hit, get_language())


@lru_cache(maxsize=4096)
def _rendered_hit(hit: OfferHit, language: str) -> SafeString:
    return mark_safe(get_template("includes/search_hit.html").render({"hit": hit}))  # noqa: S308 - a template's output


@register.filter
def any_selected(values: list[FacetValue]) -> bool:
    return any(value.selected for value in values)
