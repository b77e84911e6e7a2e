"""A network's area in places: its municipalities' codes, and the networks next to it (catalogue owns the places)."""

from collections.abc import Iterable
from dataclasses import dataclass

from organisations.models import Network, SubAreaLevel

from .models import Area, Neighbourhood, bordering_municipalities


@dataclass(frozen=True)
class Centre:
    """A place a search can measure distances from: its code, its name and its centre."""

    code: str
    name: str
    latitude: float
    longitude: float


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


def centre_choices(network: Network | None) -> list[tuple[str, str]]:
    """(code, label) of the places a search on this network's site measures from: the sub-areas it works
    with, by municipality; Antwerp's neighbourhoods by district for a city network and without networks."""
    if network is None or network.sub_area_level == SubAreaLevel.DISTRICT:
        rows = Neighbourhood.objects.order_by("district__name", "name").values_list("code", "name", "district__name")
    else:
        rows = (
            Area.objects.filter(level=network.sub_area_level, parent__networks=network)
            .order_by("parent__name", "name")
            .values_list("code", "name", "parent__name")
        )
    # The file's wijken carry their municipality in their name already: "Binnenstad (Gent)".
    return [(code, name if name.endswith(f"({parent})") else f"{name} ({parent})") for code, name, parent in rows]


def centre_of(code: str) -> Centre | None:
    """The neighbourhood or area with this code, at any level, as a centre; None for an unknown code."""
    for model in (Neighbourhood, Area):
        place = model.objects.filter(code=code).values_list("name", "centroid_latitude", "centroid_longitude").first()
        if place is not None:
            return Centre(code, *place)
    return None
