"""The one query model and the one result type, shared by every engine, the pages and the API."""

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from enum import StrEnum


class Sort(StrEnum):
    RELEVANCE = "relevance"
    DISTANCE = "distance"
    COST = "cost"
    NEWEST = "newest"


class PartOfDay(StrEnum):
    MORNING = "morning"  # starts before 12:00
    AFTERNOON = "afternoon"  # starts 12:00 to 16:59
    EVENING = "evening"  # starts 17:00 or later


def part_of_day(start: time) -> PartOfDay:
    if start.hour < 12:
        return PartOfDay.MORNING
    if start.hour < 17:
        return PartOfDay.AFTERNOON
    return PartOfDay.EVENING


@dataclass(frozen=True)
class GeoPoint:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class OfferQuery:
    """What a mediator or resident asks; every field is optional and filters combine with AND.

    Within one group (domains, districts, themes, ...) values combine with OR, except the
    accessibility and threshold facts: an offer must have all of those that are asked for.
    """

    text: str = ""
    max_cost: Decimal | None = None
    has_uitpas: bool = False
    social_tariff: bool = False
    free_only: bool = False
    accessibility: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    neighbourhoods: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    near: GeoPoint | None = None
    within_km: float | None = None
    age: int | None = None
    weekdays: tuple[int, ...] = ()
    parts_of_day: tuple[str, ...] = ()
    dutch_level: int | None = None
    languages: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    confirmed_since: date | None = None
    sort: Sort = Sort.RELEVANCE
    page: int = 1
    page_size: int = 20

    @property
    def cost_field(self) -> str:
        """The indexed cost that applies to this client (see ``catalogue.pricing.client_costs``)."""
        if self.has_uitpas and self.social_tariff:
            return "cost_all"
        if self.has_uitpas:
            return "cost_uitpas"
        if self.social_tariff:
            return "cost_social"
        return "cost_regular"

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass(frozen=True)
class OfferHit:
    """What a result list shows of one offer."""

    id: int
    title: str
    url: str
    summary: str
    organisation: str
    neighbourhood: str
    district: str
    domain: str
    cost_for_client: Decimal | None  # None: the price is unknown
    list_price: Decimal | None
    price_unit: str
    accessibility: tuple[str, ...]
    dutch_level: int
    next_session: date | None
    next_session_start: time | None
    distance_km: float | None = None
    score: float | None = None
    stale: bool = False
    availability: str = "available"  # catalogue's Availability; fully booked or postponed is said on the hit


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    hits: list[OfferHit]
    total: int
    facets: dict[str, list[FacetValue]]
    engine: str
    took_ms: float
    query: OfferQuery
    degraded: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.page_size))
