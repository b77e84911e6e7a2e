"""A network's area in places: its municipalities' codes, and the networks next to it (catalogue owns the places)."""

from collections.abc import Iterable

from organisations.models import Network

from .models import Area, bordering_municipalities


def with_neighbours(slugs: Iterable[str]) -> tuple[str, ...]:
    """These networks and their neighbours: the networks with a municipality in or bordering theirs, by slug."""
    chosen = tuple(slugs)
    codes = set(Area.objects.filter(networks__slug__in=chosen).values_list("code", flat=True))
    reach = codes | bordering_municipalities(codes)
    found = set(Network.objects.filter(municipalities__code__in=reach).values_list("slug", flat=True))
    return tuple(sorted(found | set(chosen)))


def municipality_codes_of(slugs: Iterable[str]) -> list[str]:
    """The NIS codes of the municipalities of these networks together: their area."""
    return sorted(set(Area.objects.filter(networks__slug__in=list(slugs)).values_list("code", flat=True)))
