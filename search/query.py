"""The one query model and the one result type, shared by every engine, the pages and the API."""

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sort(StrEnum):
    RELEVANCE = "relevance"
    DISTANCE = "distance"
    COST = "cost"
    NEWEST = "newest"


class PartOfDay(StrEnum):
    MORNING = "morning"  # starts before 12:00
    AFTERNOON = "afternoon"  # starts 12:00 to 16:59
    EVENING = "evening"  # starts 17:00 or later


class BudgetPer(models.TextChoices):
    """What a budget is for; the same words as ``catalogue.models.PriceUnit``, with "total" for its "once"."""

    SESSION = "session", _("per session")
    MONTH = "month", _("per month")
    SEASON = "season", _("per season")
    YEAR = "year", _("per year")
    TOTAL = "total", _("in total")


def comparable_units(budget_per: BudgetPer) -> tuple[str, ...]:
    """The price units a budget per ``budget_per`` can be compared with, amount for amount.

    No price is converted: how many sessions a season or a month holds is not recorded for most
    offers, and a guess would exclude offers the client could afford. A price in another unit is
    therefore never left out by the budget: the offer stays in the results with a note that its
    price cannot be compared (see ``OfferQuery.compares_with``).
    """
    return ("once",) if budget_per == BudgetPer.TOTAL else (str(budget_per),)


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
    budget_per: BudgetPer = BudgetPer.SESSION
    has_uitpas: bool = False
    social_tariff: bool = False
    free_only: bool = False
    accessibility: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    neighbourhoods: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()  # slugs; their neighbours already added when asked for
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

    def compares_with(self, price_unit: str) -> bool:
        """Whether the budget can judge a price in this unit (see ``comparable_units``)."""
        return price_unit in comparable_units(self.budget_per)

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
    free: bool  # this client pays nothing, compulsory extra costs included (``catalogue.pricing.free_of_charge``)
    accessibility: tuple[str, ...]
    dutch_level: int
    next_session: date | None
    next_session_start: time | None
    distance_km: float | None = None
    score: float | None = None
    stale: bool = False
    # The budget's unit when the budget could not judge this price (another unit); "" otherwise.
    incomparable_budget: str = ""
    facts: tuple[str, ...] = ()  # the search names of its threshold facts (``catalogue.facts``)
    full: bool = False
    availability: str = ""  # catalogue's Availability (unknown unless stated); a postponed offer says so on the hit
    municipality: str = ""  # its municipality's name: the place a hit outside Antwerp's neighbourhoods shows


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
    # How many offers of known price the budget left out, of those every other filter keeps; None: no budget asked.
    over_budget: int | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.page_size))
