"""The interface every search engine implements, and the result assembly they share."""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from catalogue.freshness import stale_cutoff
from catalogue.geo import distance_km
from catalogue.models import Availability

from ..query import OfferHit, OfferQuery, SearchResult
from ..schedule import next_session

ChangedSince = Callable[[datetime], Iterable[dict]]


class EngineUnavailable(Exception):
    """The engine could not answer (down, timed out, refused); the caller may fall back."""


@dataclass
class RebuildReport:
    engine: str
    index: str
    documents: int
    seconds: float
    previous_index: str | None = None


# What an index holds of one offer, to compare with the database: (live revision id, last confirmed date).
IndexedVersion = tuple[int | None, date]


class SearchEngine(ABC):
    name: str
    # A remote engine (a cluster) is written by the task worker, never in a request; the database index is local.
    remote: bool = False

    @abstractmethod
    def search(self, query: OfferQuery) -> SearchResult: ...

    @abstractmethod
    def index_documents(self, documents: Iterable[dict]) -> int:
        """Add or replace these documents; returns how many were written."""

    @abstractmethod
    def remove_documents(self, ids: Iterable[int]) -> None: ...

    def indexed_versions(self) -> dict[int, IndexedVersion]:
        """Every offer id the index holds, with the version of the offer its document shows."""
        raise NotImplementedError

    @abstractmethod
    def rebuild(
        self, documents: Iterable[dict], expected: int, *, changed_since: ChangedSince | None = None
    ) -> RebuildReport:
        """Build a complete new index from these documents and switch to it only if the count matches.

        ``changed_since(moment)`` yields documents of offers changed after ``moment``, for an engine
        that builds beside the live index and must catch up afterwards.
        """


def build_hit(document: dict, query: OfferQuery, *, score: float | None, today: date) -> OfferHit:
    """One result-list entry from a stored document; both engines store the same document."""
    schedule = document["schedule"]
    upcoming = next_session(schedule, _as_date(document["start_date"]), _as_date(document["end_date"]), today)
    distance = None
    if query.near is not None:
        location = document["location"]
        distance = distance_km(query.near.latitude, query.near.longitude, location["lat"], location["lon"])
    cost = _money(document.get(query.cost_field))
    incomparable = query.max_cost is not None and bool(cost) and not query.compares_with(document["price_unit"])
    return OfferHit(
        id=document["id"],
        title=document["title"],
        url=document["url"],
        summary=document["summary"],
        organisation=document["organisation_name"],
        neighbourhood=document["neighbourhood_name"],
        district=document["district_name"],
        # A document indexed before it carried the name shows no place outside Antwerp until it is indexed again.
        municipality=document.get("municipality_name", ""),
        domain=document["domain"],
        cost_for_client=cost,
        list_price=_money(document.get("list_price")),
        price_unit=document["price_unit"],
        free=cost == 0 and not document.get("costs_extra", False),
        accessibility=tuple(document["accessibility"]),
        dutch_level=document["dutch_level"],
        next_session=upcoming[0] if upcoming else None,
        next_session_start=upcoming[1] if upcoming else None,
        distance_km=distance,
        score=score,
        stale=_as_date(document["last_confirmed"]) < stale_cutoff(today),
        incomparable_budget=str(query.budget_per) if incomparable else "",
        facts=tuple(document.get("facts", ())),
        full=bool(document.get("full")),
        # A document indexed before it carried availability says nothing until it is indexed again.
        availability=document.get("availability", Availability.UNKNOWN),
    )


def _money(value) -> Decimal | None:
    """An indexed amount; None when the offer's price is unknown."""
    return None if value is None else Decimal(str(value))


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
