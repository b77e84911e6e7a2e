"""The search filters: each one object that owns its whole behaviour, as richie's filter definitions do.

A filter says which query parameters it reads and how (the parser names them in a 400), which
fields of ``OfferQuery`` it fills, how the embedded engine applies it (a mask over the index's
columns) and how Elasticsearch does (query clauses), how its facet is counted on each engine and
labelled, and what its active "chips" and their "drop this to get N results" suggestions say.
Both engines, the parser, the results and the views loop over ``FILTERS``; none of them names a
filter.

Placement: a filter whose facet must be able to leave out its own selection (the disjunctive
groups, the client's Dutch level, the cost band) is a ``facet`` filter: Elasticsearch applies it
in ``post_filter`` and every other facet's aggregation; the embedded engine leaves it out when it
counts its own facet. Every other filter narrows the hits and every count (``query``).
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db.models import Model
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

import numpy as np
from elasticsearch.dsl import A, Q
from elasticsearch.dsl.aggs import Agg
from elasticsearch.dsl.query import Query
from rest_framework import serializers

from catalogue import facts
from catalogue.api import EuroAmountField
from catalogue.freshness import stale_cutoff
from catalogue.models import Area, District, Domain, DutchLevel, Language, Neighbourhood, Theme, Weekday
from catalogue.network_areas import Centre, centre_of, municipality_codes_of, with_neighbours
from organisations.models import Network, Organisation
from organisations.networks import ALL_NETWORKS

from .engines.columns import Columns, Rows, day_number, distances_km
from .engines.words import matching_ids
from .query import BudgetPer, GeoPoint, OfferQuery, PartOfDay, Sort, comparable_units
from .text import query_terms, search_words

KM_PER_DEGREE = 111.2
# The most values a terms facet reports: more than the city's neighbourhoods or organisers.
FACET_SIZE = 1000
PART_OF_DAY_LABELS = {
    PartOfDay.MORNING: _("Morning (before 12:00)"),
    PartOfDay.AFTERNOON: _("Afternoon (12:00–17:00)"),
    PartOfDay.EVENING: _("Evening (from 17:00)"),
}
# Cost bands for the "what does it cost this client" facet, in euro, rising; the first, 0, means free.
COST_BANDS: tuple[int, ...] = (0, 5, 10, 25, 50)


@dataclass(frozen=True)
class Chip:
    """One active filter value, with the link that removes it and the search it would leave."""

    name: str  # the parameter its link removes
    value: str | None  # the one value removed; None: the whole parameter
    label: str
    relaxed: OfferQuery | None  # the query without it; None: not worth suggesting


class CodesField(serializers.ListField):
    """A repeatable parameter whose values must exist in a reference table."""

    def __init__(self, *, model: type[Model], field: str, **kwargs):
        self.model, self.lookup = model, field
        super().__init__(child=serializers.CharField(max_length=100), required=False, **kwargs)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        known = set(self.model.objects.filter(**{f"{self.lookup}__in": values}).values_list(self.lookup, flat=True))
        unknown = [value for value in values if value not in known]
        if unknown:
            raise serializers.ValidationError(_("Unknown value: %(values)s.") % {"values": ", ".join(unknown)})
        return values


def _choices(values) -> serializers.ListField:
    return serializers.ListField(child=serializers.ChoiceField(choices=values), required=False)


def _truthy(params: QueryDict, name: str) -> bool:
    return params.get(name, "").lower() in ("true", "on", "1")


class SearchFilter:
    """The default behaviour: a filter with no facet that reads nothing. Subclasses fill in what they own."""

    name: str  # its facet's key in a result; the query parameter for a facet group
    label: Promise = _("Filter")
    kind: str | None = None  # its facet's kind ("terms", "flags", "levels", "bands"); None: no facet
    placement = "query"  # or "facet", see the module's docstring
    listed = False  # whether the search form lists its facet values to tick
    query_fields: tuple[str, ...] = ()  # the OfferQuery fields it fills (and clears)
    reads: tuple[str, ...] = ()  # further OfferQuery fields its clauses depend on

    # Parsing

    def fields(self) -> dict[str, serializers.Field]:
        return {}

    def parameter_labels(self) -> dict[str, str]:
        return {}

    def validate(self, attrs: dict) -> None:
        """Checks across this filter's own parameters; raise a ValidationError keyed by parameter."""

    def query_values(self, data: dict) -> dict:
        return {}

    # Applying

    def is_set(self, query: OfferQuery) -> bool:
        return any(getattr(query, name) for name in self.query_fields)

    def cleared(self, query: OfferQuery) -> OfferQuery:
        defaults = OfferQuery()
        return replace(query, **{name: getattr(defaults, name) for name in self.query_fields})

    def db_mask(self, columns: Columns, query: OfferQuery) -> np.ndarray | None:
        return None

    def es_filters(self, query: OfferQuery) -> list[Query]:
        return []

    def es_must(self, query: OfferQuery) -> list[Query]:
        return []

    # Counting and labelling its facet

    def selected(self, query: OfferQuery) -> set[str]:
        return {str(value) for name in self.query_fields for value in getattr(query, name)}

    def db_counts(self, columns: Columns, query: OfferQuery, rows: Rows) -> dict[str, int]:
        raise NotImplementedError

    def es_counts(self, query: OfferQuery) -> Agg:
        raise NotImplementedError

    def labels(self) -> dict[str, str]:
        return {}

    def fixed_order(self) -> bool:
        """Whether its values show in the order of ``labels`` (else by label, alphabetically)."""
        return True

    # Active filters

    def chips(self, query: OfferQuery, params: QueryDict, facet_values: list) -> list[Chip]:
        """Chips for the values ticked in its facet."""
        return []

    def parameter_chips(self, query: OfferQuery, params: QueryDict) -> list[Chip]:
        """Chips for its other parameters (a number, a yes/no, a place)."""
        return []


class ValuesFilter(SearchFilter):
    """A disjunctive group of values (sport OR culture); its facet leaves its own selection out."""

    placement = "facet"
    kind = "terms"
    listed = True

    def __init__(self, name: str, label: Promise, document_field: str, field: serializers.Field) -> None:
        self.name, self.label, self.document_field, self.field = name, label, document_field, field
        self.query_fields = (name,)

    def fields(self) -> dict[str, serializers.Field]:
        return {self.name: self.field}

    def parameter_labels(self) -> dict[str, str]:
        return {self.name: str(self.label)}

    def query_values(self, data: dict) -> dict:
        return {self.name: tuple(data.get(self.name, ()))}

    def chips(self, query: OfferQuery, params: QueryDict, facet_values: list) -> list[Chip]:
        return [
            Chip(
                self.name,
                value.value,
                f"{self.label}: {value.label}",
                replace(query, **{self.name: tuple(v for v in getattr(query, self.name) if str(v) != value.value)}),
            )
            for value in facet_values
            if value.selected
        ]

    def es_counts(self, query: OfferQuery) -> Agg:
        return A("terms", field=self.document_field, size=FACET_SIZE)

    def fixed_order(self) -> bool:
        return False


class KeywordFilter(ValuesFilter):
    """One value per offer: its domain, district, neighbourhood or organiser."""

    def __init__(self, name, label, document_field, field, *, load) -> None:
        super().__init__(name, label, document_field, field)
        self.load = load

    def db_mask(self, columns: Columns, query: OfferQuery) -> np.ndarray | None:
        values = getattr(query, self.name)
        return columns.keyword_in(self.document_field, values) if values else None

    def es_filters(self, query: OfferQuery) -> list[Query]:
        values = getattr(query, self.name)
        return [Q("terms", **{self.document_field: list(values)})] if values else []

    def db_counts(self, columns: Columns, query: OfferQuery, rows: Rows) -> dict[str, int]:
        return columns.count_keyword(self.document_field, rows)

    def labels(self) -> dict[str, str]:
        return self.load()


class TokensFilter(ValuesFilter):
    """Several values per offer: its themes or languages."""

    def __init__(self, name, label, field, *, load) -> None:
        super().__init__(name, label, name, field)
        self.load = load

    def db_mask(self, columns: Columns, query: OfferQuery) -> np.ndarray | None:
        values = getattr(query, self.name)
        return columns.has_any(self.name, values) if values else None

    def es_filters(self, query: OfferQuery) -> list[Query]:
        values = getattr(query, self.name)
        return [Q("terms", **{self.name: list(values)})] if values else []

    def db_counts(self, columns: Columns, query: OfferQuery, rows: Rows) -> dict[str, int]:
        return columns.count_tokens(self.name, rows)

    def labels(self) -> dict[str, str]:
        return self.load()


class WhenFilter(TokensFilter):
    """The days, and the parts of the day, an offer has a session.

    With both chosen, an offer must have a session on one of those days in one of those parts of
    the day (its "slot"): the days' filter then asks for the slots and the parts' filter adds
    nothing; leaving one of them out (for its own facet) leaves the other on its own.
    """

    def __init__(self, name, label, field, *, other: str, slots_first: bool, load, convert=str) -> None:
        super().__init__(name, label, field, load=load)
        self.other, self.slots_first, self.convert = other, slots_first, convert
        self.reads = (other,)

    def query_values(self, data: dict) -> dict:
        return {self.name: tuple(self.convert(value) for value in data.get(self.name, ()))}

    def _slots(self, query: OfferQuery) -> list[str] | None:
        mine, theirs = getattr(query, self.name), getattr(query, self.other)
        if not (mine and theirs):
            return None
        days, parts = (mine, theirs) if self.slots_first else (theirs, mine)
        return [f"{day}-{part}" for day in days for part in parts]

    def db_mask(self, columns: Columns, query: OfferQuery) -> np.ndarray | None:
        slots = self._slots(query)
        if slots is None:
            return super().db_mask(columns, query)
        return columns.has_any("slots", slots) if self.slots_first else None

    def es_filters(self, query: OfferQuery) -> list[Query]:
        slots = self._slots(query)
        if slots is None:
            return super().es_filters(query)
        return [Q("terms", slots=slots)] if self.slots_first else []

    def fixed_order(self) -> bool:
        return True


class FlagsFilter(SearchFilter):
    """Conjunctive yes/no facts (step-free AND hearing loop); its facet counts within the current results."""

    kind = "flags"
    listed = True

    def __init__(self, name: str, label: Promise, names: Iterable[str], load) -> None:
        self.name, self.label, self.names, self.load = name, label, tuple(names), load
        self.query_fields = (name,)

    def fields(self) -> dict[str, serializers.Field]:
        return {self.name: _choices(self.names)}

    def parameter_labels(self) -> dict[str, str]:
        return {self.name: str(self.label)}

    def query_values(self, data: dict) -> dict:
        return {self.name: tuple(data.get(self.name, ()))}

    def db_mask(self, columns: Columns, query: OfferQuery) -> np.ndarray | None:
        values = getattr(query, self.name)
        return columns.has_all(self.name, values) if values else None

    def es_filters(self, query: OfferQuery) -> list[Query]:
        return [Q("term", **{self.name: value}) for value in getattr(query, self.name)]

    def db_counts(self, columns: Columns, query: OfferQuery, rows: Rows) -> dict[str, int]:
        return dict.fromkeys(self.names, 0) | columns.count_tokens(self.name, rows)

    def es_counts(self, query: OfferQuery) -> Agg:
        return A("filters", filters={name: Q("term", **{self.name: name}) for name in self.names})

    def labels(self) -> dict[str, str]:
        return self.load()

    def chips(self, query: OfferQuery, params: QueryDict, facet_values: list) -> list[Chip]:
        return [
            Chip(
                self.name,
                value.value,
                f"{self.label}: {value.label}",
                replace(query, **{self.name: tuple(v for v in getattr(query, self.name) if v != value.value)}),
            )
            for value in facet_values
            if value.selected
        ]


class TextFilter(SearchFilter):
    """The words a person typed: every word must occur (as a stem) somewhere in the offer's text."""

    name = "q"
    query_fields = ("text",)
    # Where Elasticsearch looks; a match in the title weighs three times a match elsewhere. The organiser's
    # name is not among them, as on the embedded engine (search.documents): the organiser filter finds it.
    TEXT_FIELDS = ("title^3", "summary", "description", "theme_names", "neighbourhood_name")

    def fields(self) -> dict[str, serializers.Field]:
        return {
            "q": serializers.CharField(
                required=False, allow_blank=True, max_length=200, help_text=_("Words to look for.")
            )
        }

    def parameter_labels(self) -> dict[str, str]:
        return {"q": gettext("Words")}

    def query_values(self, data: dict) -> dict:
        return {"text": data.get("q", "").strip()}

    def db_mask(self, columns: Columns, query: OfferQuery) -> np.ndarray | None:
        terms = query_terms(query.text)
        if not terms:
            return None
        found = columns.words.matching(terms, columns.size)
        return found if found is not None else columns.rows_of(matching_ids(terms))

    def es_must(self, query: OfferQuery) -> list[Query]:
        terms = search_words(query.text)
        if not terms:
            return []
        # cross_fields with "and": every word must occur, each in any of the fields.
        return [
            Q("multi_match", query=" ".join(terms), type="cross_fields", operator="and", fields=list(self.TEXT_FIELDS))
        ]

    def parameter_chips(self, query: OfferQuery, params: QueryDict) -> list[Chip]:
        value = params.get("q", "")
        return [Chip("q", None, f"{gettext('Words')}: {value}", replace(query, text=""))] if value else []


class CostFilter(SearchFilter):
    """What the offer costs this client at most, per session, month, season or year, or in total.

    A budget only leaves out an offer whose price for this client is known and in the budget's
    unit (``search.query.comparable_units``): a price per season is not compared with a budget
    per session, the offer stays in with a note. A budget of 0 asks for nothing to pay, in any unit.
    An unknown price is left out, as it never counts as within a budget.
    """

    name = "max_cost"
    label = _("Cost for this client")
    kind = "bands"
    placement = "facet"
    query_fields = ("max_cost",)
    reads = ("has_uitpas", "social_tariff", "budget_per")

    def fields(self) -> dict[str, serializers.Field]:
        return {
            "max_cost": EuroAmountField(required=False, help_text=_("Most this client pays, in euro.")),
            "budget_per": serializers.ChoiceField(
                choices=BudgetPer.choices,
                required=False,
                default=BudgetPer.SESSION,
                help_text=_("What the most this client pays is for: a session, a month, a season, a year or in total."),
            ),
            "uitpas": serializers.BooleanField(
                required=False, default=False, help_text=_("The client has UiTPAS with opportunity tariff.")
            ),
            "social_tariff": serializers.BooleanField(
                required=False, default=False, help_text=_("The client qualifies for organisers' social tariffs.")
            ),
        }

    def parameter_labels(self) -> dict[str, str]:
        return {
            "max_cost": str(self.label),
            "budget_per": gettext("Budget per"),
            "uitpas": gettext("UiTPAS opportunity tariff"),
            "social_tariff": gettext("Social tariff"),
        }

    def query_values(self, data: dict) -> dict:
        return {
            "max_cost": data.get("max_cost"),
            "budget_per": BudgetPer(data.get("budget_per", BudgetPer.SESSION)),
            "has_uitpas": data["uitpas"],
            "social_tariff": data["social_tariff"],
        }

    def is_set(self, query: OfferQuery) -> bool:
        return query.max_cost is not None

    def _db_within(self, columns: Columns, query: OfferQuery, amount: float) -> np.ndarray:
        costs = columns.numbers[query.cost_field]
        if amount <= 0:  # nothing to pay is nothing in every unit
            return costs <= 0
        elsewhere = ~np.isnan(costs) & ~columns.keyword_in("price_unit", comparable_units(query.budget_per))
        return (costs <= amount) | elsewhere

    def _es_within(self, query: OfferQuery, amount: float) -> Query:
        if amount <= 0:
            return Q("range", **{query.cost_field: {"lte": 0}})
        elsewhere = Q(
            "bool",
            filter=[Q("exists", field=query.cost_field)],
            must_not=[Q("terms", price_unit=list(comparable_units(query.budget_per)))],
        )
        return Q("bool", should=[Q("range", **{query.cost_field: {"lte": amount}}), elsewhere], minimum_should_match=1)

    def db_mask(self, columns: Columns, query: OfferQuery) -> np.ndarray | None:
        if query.max_cost is None:
            return None
        return self._db_within(columns, query, float(query.max_cost))

    def es_filters(self, query: OfferQuery) -> list[Query]:
        if query.max_cost is None:
            return []
        return [self._es_within(query, float(query.max_cost))]

    def selected(self, query: OfferQuery) -> set[str]:
        return {str(int(query.max_cost))} if query.max_cost is not None else set()

    def db_counts(self, columns: Columns, query: OfferQuery, rows: Rows) -> dict[str, int]:
        """The bands in one pass over the rows: band B counts what ``max_cost=B`` would keep (``_db_within``).

        A price in another unit than the budget's is within every band above 0; a price in its unit
        is within the bands from its amount up; free is a price of 0 in any unit.
        """
        costs = columns.numbers[query.cost_field][rows.positions]
        in_unit = columns.keyword_in("price_unit", comparable_units(query.budget_per), rows.positions)
        elsewhere = np.count_nonzero(~np.isnan(costs) & ~in_unit)
        # Unknown prices (NaN) sort last and fall in no band.
        paid = np.searchsorted(np.sort(costs[in_unit]), COST_BANDS[1:], side="right") + elsewhere
        free = np.count_nonzero(costs <= 0)
        return {str(band): int(count) for band, count in zip(COST_BANDS, [free, *paid], strict=True)}

    def es_counts(self, query: OfferQuery) -> Agg:
        # Cumulative: band B counts the offers this client can join for at most B euro (in the budget's unit).
        return A("filters", filters={str(band): self._es_within(query, band) for band in COST_BANDS})

    def labels(self) -> dict[str, str]:
        return {
            str(band): gettext("Free") if band == 0 else gettext("At most € %(amount)s") % {"amount": band}
            for band in COST_BANDS
        }

    def parameter_chips(self, query: OfferQuery, params: QueryDict) -> list[Chip]:
        chips = []
        if params.get("max_cost", ""):
            chips.append(
                Chip(
                    "max_cost",
                    None,
                    f"{gettext('At most (euro)')}: {params['max_cost']} {BudgetPer(query.budget_per).label}",
                    replace(query, max_cost=None),
                )
            )
        # The client's tariffs only lower costs: dropping one never gives more offers.
        for name, label in (
            ("uitpas", gettext("UiTPAS opportunity tariff")),
            ("social_tariff", gettext("Social tariff")),
        ):
            if _truthy(params, name):
                chips.append(Chip(name, None, f"{label}: {gettext('yes')}", None))
        return chips


class YesNoFilter(SearchFilter):
    """A yes/no parameter that narrows the search when ticked."""

    def __init__(self, name, label: Promise, chip_label: Promise, help_text: Promise, query_field: str) -> None:
        self.name, self.label, self.chip_label, self.help_text = name, label, chip_label, help_text
        self.query_fields = (query_field,)

    def fields(self) -> dict[str, serializers.Field]:
        return {self.name: serializers.BooleanField(required=False, default=False, help_text=self.help_text)}

    def parameter_labels(self) -> dict[str, str]:
        return {self.name: str(self.chip_label)}

    def parameter_chips(self, query: OfferQuery, params: QueryDict) -> list[Chip]:
        if not _truthy(params, self.name):
            return []
        return [Chip(self.name, None, f"{self.chip_label}: {gettext('yes')}", self.cleared(query))]


class FreeFilter(YesNoFilter):
    def __init__(self) -> None:
        super().__init__("free", _("Free only"), _("Free only"), _("Only free offers."), "free_only")

    def query_values(self, data: dict) -> dict:
        return {"free_only": data["free"]}

    def db_mask(self, columns: Columns, query: OfferQuery) -> np.ndarray | None:
        return columns.is_free if query.free_only else None

    def es_filters(self, query: OfferQuery) -> list[Query]:
        return [Q("term", is_free=True)] if query.free_only else []


class FreshFilter(YesNoFilter):
    def __init__(self) -> None:
        super().__init__(
            "fresh",
            _("Recently confirmed"),
            _("Recently confirmed"),
            _("Only offers their organisation confirmed within the freshness period (OFFER_STALE_AFTER_DAYS)."),
            "confirmed_since",
        )

    def query_values(self, data: dict) -> dict:
        return {"confirmed_since": stale_cutoff() if data["fresh"] else None}

    def is_set(self, query: OfferQuery) -> bool:
        return query.confirmed_since is not None

    def db_mask(self, columns: Columns, query: OfferQuery) -> np.ndarray | None:
        if query.confirmed_since is None:
            return None
        return columns.confirmed_day >= day_number(query.confirmed_since)

    def es_filters(self, query: OfferQuery) -> list[Query]:
        if query.confirmed_since is None:
            return []
        return [Q("range", last_confirmed={"gte": query.confirmed_since.isoformat()})]


class AgeFilter(SearchFilter):
    name = "age"
    query_fields = ("age",)

    def fields(self) -> dict[str, serializers.Field]:
        return {"age": serializers.IntegerField(required=False, min_value=0, max_value=120)}

    def parameter_labels(self) -> dict[str, str]:
        return {"age": gettext("Age")}

    def query_values(self, data: dict) -> dict:
        return {"age": data.get("age")}

    def is_set(self, query: OfferQuery) -> bool:
        return query.age is not None

    def db_mask(self, columns: Columns, query: OfferQuery) -> np.ndarray | None:
        if query.age is None:
            return None
        return (columns.numbers["age_min"] <= query.age) & (columns.numbers["age_max"] >= query.age)

    def es_filters(self, query: OfferQuery) -> list[Query]:
        if query.age is None:
            return []
        return [Q("range", age_min={"lte": query.age}), Q("range", age_max={"gte": query.age})]

    def parameter_chips(self, query: OfferQuery, params: QueryDict) -> list[Chip]:
        value = params.get("age", "")
        return [Chip("age", None, f"{gettext('Age')}: {value}", replace(query, age=None))] if value else []


class PointField(serializers.RegexField):
    """A point as 'latitude,longitude'."""

    def __init__(self, **kwargs) -> None:
        super().__init__(r"^-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?$", **kwargs)

    def run_validation(self, data=serializers.empty) -> GeoPoint:
        latitude, longitude = (float(part) for part in super().run_validation(data).split(","))
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise serializers.ValidationError(
                _("Latitude must lie between -90 and 90, longitude between -180 and 180.")
            )
        return GeoPoint(latitude, longitude)


class CentreField(serializers.CharField):
    """The code of a place to measure from, as the place (``catalogue.network_areas.Centre``)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(max_length=12, **kwargs)

    def run_validation(self, data=serializers.empty) -> Centre:
        code = super().run_validation(data)
        place = centre_of(code)
        if place is None:
            raise serializers.ValidationError(_("No neighbourhood or area has the code %(code)s.") % {"code": code})
        return place


class NearFilter(SearchFilter):
    """Around a point or a neighbourhood's centre, within a distance; also what a distance sort measures from."""

    name = "near"
    query_fields = ("near", "within_km")

    def fields(self) -> dict[str, serializers.Field]:
        return {
            "near": PointField(required=False, help_text=_("A point as 'latitude,longitude'.")),
            "near_neighbourhood": CentreField(
                required=False,
                help_text=_(
                    "Search around this place: an Antwerp neighbourhood (ANT10) or an area at any level "
                    "(44021W01, 33029B, 43005)."
                ),
            ),
            "within_km": serializers.FloatField(required=False, min_value=0.1, max_value=100),
        }

    def parameter_labels(self) -> dict[str, str]:
        return {
            "near": gettext("Near a point"),
            "near_neighbourhood": gettext("Near"),
            "within_km": gettext("Within (km)"),
        }

    def validate(self, attrs: dict) -> None:
        if attrs.get("near") and attrs.get("near_neighbourhood"):
            raise serializers.ValidationError(
                {"near_neighbourhood": _("Give either a point or a neighbourhood, not both.")}
            )
        has_centre = bool(attrs.get("near") or attrs.get("near_neighbourhood"))
        if attrs.get("within_km") is not None and not has_centre:
            raise serializers.ValidationError(
                {"within_km": _("A distance needs a point or a neighbourhood to measure from.")}
            )
        if attrs.get("sort") == Sort.DISTANCE and not has_centre:
            raise serializers.ValidationError({"sort": _("Sorting by distance needs a point or a neighbourhood.")})

    def query_values(self, data: dict) -> dict:
        centre = data.get("near")
        if data.get("near_neighbourhood"):
            place = data["near_neighbourhood"]
            centre = GeoPoint(place.latitude, place.longitude)
        return {"near": centre, "within_km": data.get("within_km")}

    def is_set(self, query: OfferQuery) -> bool:
        return query.near is not None and query.within_km is not None

    def db_mask(self, columns: Columns, query: OfferQuery) -> np.ndarray | None:
        if not self.is_set(query):
            return None
        latitude, longitude, radius = query.near.latitude, query.near.longitude, query.within_km
        # A bounding box first, then the exact distance on what is left.
        delta_lat = radius / KM_PER_DEGREE
        delta_lon = radius / (KM_PER_DEGREE * max(np.cos(np.radians(latitude)), 0.01))
        lat, lon = columns.numbers["latitude"], columns.numbers["longitude"]
        box = np.flatnonzero((np.abs(lat - latitude) <= delta_lat) & (np.abs(lon - longitude) <= delta_lon))
        mask = np.zeros(columns.size, dtype=bool)
        mask[box[distances_km(columns, box, latitude, longitude) <= radius]] = True
        return mask

    def es_filters(self, query: OfferQuery) -> list[Query]:
        if not self.is_set(query):
            return []
        point = {"lat": query.near.latitude, "lon": query.near.longitude}
        return [Q("geo_distance", distance=f"{query.within_km}km", distance_type="arc", location=point)]

    def parameter_chips(self, query: OfferQuery, params: QueryDict) -> list[Chip]:
        chips = []
        code = params.get("near_neighbourhood", "")
        if code:
            place = centre_of(code)
            name = place.name if place else code
            # Its link drops the distance and a distance sort too (search_tags.without_param).
            relaxed = replace(query, near=None, within_km=None, sort=Sort.RELEVANCE)
            chips.append(Chip("near_neighbourhood", None, f"{gettext('Near')}: {name}", relaxed))
        within = params.get("within_km", "")
        if within:
            chips.append(Chip("within_km", None, f"{gettext('Within (km)')}: {within}", replace(query, within_km=None)))
        return chips


class DutchLevelFilter(SearchFilter):
    """The Dutch the client has: offers needing at most that much."""

    name = "dutch_level"
    label = _("Dutch the client has")
    kind = "levels"
    placement = "facet"
    query_fields = ("dutch_level",)

    def fields(self) -> dict[str, serializers.Field]:
        return {
            "dutch_level": serializers.ChoiceField(
                required=False, choices=DutchLevel.choices, help_text=_("The Dutch the client has.")
            )
        }

    def parameter_labels(self) -> dict[str, str]:
        return {"dutch_level": str(self.label)}

    def query_values(self, data: dict) -> dict:
        level = data.get("dutch_level")
        return {"dutch_level": int(level) if level not in (None, "") else None}

    def is_set(self, query: OfferQuery) -> bool:
        return query.dutch_level is not None

    def db_mask(self, columns: Columns, query: OfferQuery) -> np.ndarray | None:
        return None if query.dutch_level is None else columns.numbers["dutch_level"] <= query.dutch_level

    def es_filters(self, query: OfferQuery) -> list[Query]:
        return [] if query.dutch_level is None else [Q("range", dutch_level={"lte": query.dutch_level})]

    def selected(self, query: OfferQuery) -> set[str]:
        return {str(query.dutch_level)} if query.dutch_level is not None else set()

    def db_counts(self, columns: Columns, query: OfferQuery, rows: Rows) -> dict[str, int]:
        levels = columns.numbers["dutch_level"][rows.positions]
        return {str(level): int(np.count_nonzero(levels <= level)) for level in DutchLevel.values}

    def es_counts(self, query: OfferQuery) -> Agg:
        # Cumulative: level L counts the offers needing at most L.
        return A("filters", filters={str(level): Q("range", dutch_level={"lte": level}) for level in DutchLevel.values})

    def labels(self) -> dict[str, str]:
        return {str(value): str(label) for value, label in DutchLevel.choices}

    def parameter_chips(self, query: OfferQuery, params: QueryDict) -> list[Chip]:
        value = params.get("dutch_level", "")
        if not value:
            return []
        label = f"{self.label}: {DutchLevel(int(value)).label}"
        return [Chip("dutch_level", None, label, replace(query, dutch_level=None))]


def area_labels(codes: Iterable[str] | None = None) -> dict[str, str]:
    """Names of areas at any level by code (all of them without codes): municipality, deelgemeente, wijk,
    Antwerp's district and neighbourhood.

    The codes never collide: NIS codes begin with a digit (44021, 33029B, 44021W01), Antwerp's with a letter.
    """
    found = {"code__in": list(codes)} if codes is not None else {}
    return {
        **dict(Area.objects.filter(**found).values_list("code", "name")),
        **dict(District.objects.filter(**found).values_list("code", "name")),
        **{
            code: f"{name} ({district})"
            for code, name, district in Neighbourhood.objects.filter(**found).values_list(
                "code", "name", "district__name"
            )
        },
    }


class AreaCodesField(serializers.ListField):
    def __init__(self, **kwargs) -> None:
        super().__init__(child=serializers.CharField(max_length=12), required=False, **kwargs)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        known = area_labels(values)
        unknown = [value for value in values if value not in known]
        if unknown:
            raise serializers.ValidationError(_("Unknown value: %(values)s.") % {"values": ", ".join(unknown)})
        return values


class AreaFilter(TokensFilter):
    """Offers in any of these areas, at any level: municipality, deelgemeente or district, wijk or neighbourhood.

    Its facet counts the municipalities, deelgemeenten and wijken (NIS codes) of the results; Antwerp's
    districts and neighbourhoods have their own facets, and a selected one shows here too.
    """

    def __init__(self) -> None:
        super().__init__(
            "areas",
            _("Area"),
            AreaCodesField(
                help_text=_(
                    "Codes of areas at any level: a municipality or deelgemeente (NIS code, e.g. 44021, 33029B), "
                    "a wijk (44021W01), or an Antwerp district or neighbourhood (BER, ANT10)."
                )
            ),
            load=area_labels,
        )

    # The levels the facet counts (NIS codes); the embedded engine holds one code per offer and level.
    COUNTED_LEVELS = ("municipality", "deelgemeente", "wijk")

    def db_mask(self, columns: Columns, query: OfferQuery) -> np.ndarray | None:
        return columns.in_any_area(query.areas) if query.areas else None

    def db_counts(self, columns: Columns, query: OfferQuery, rows: Rows) -> dict[str, int]:
        return {
            code: count for level in self.COUNTED_LEVELS for code, count in columns.count_keyword(level, rows).items()
        }

    def es_counts(self, query: OfferQuery) -> Agg:
        return A("terms", field="areas", size=FACET_SIZE, include="[0-9].*")


class NetworkSlugsField(serializers.ListField):
    """Networks by slug, or ``all`` for every network."""

    def __init__(self, **kwargs) -> None:
        super().__init__(child=serializers.CharField(max_length=100), required=False, **kwargs)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        known = set(Network.objects.filter(slug__in=values).values_list("slug", flat=True)) | {ALL_NETWORKS}
        unknown = [value for value in values if value not in known]
        if unknown:
            raise serializers.ValidationError(_("Unknown network: %(values)s.") % {"values": ", ".join(unknown)})
        return values


class NetworkFilter(SearchFilter):
    """Offers of these networks: placed in one of their municipalities, or offered to them from outside.

    An offer belongs to every network whose area holds its point; its organisation may also offer it
    to other networks it is a partner of (``OfferPage.served_networks``, the document's ``networks``).
    The pages and the API ask for the network of the site by default (``search.params.parse_search``);
    ``network=all`` asks for every network, and ``neighbours`` adds the networks bordering the chosen ones.
    It narrows the hits and every facet's counts: facets count within the network.
    """

    name = "network"
    query_fields = ("networks",)

    def fields(self) -> dict[str, serializers.Field]:
        return {
            "network": NetworkSlugsField(
                help_text=_(
                    "Networks by slug; 'all' for every network. Without it: the network of the site asked, if any."
                )
            ),
            "neighbours": serializers.BooleanField(
                required=False,
                default=False,
                help_text=_("Also the networks bordering the chosen ones (a municipality next to theirs)."),
            ),
        }

    def parameter_labels(self) -> dict[str, str]:
        return {"network": gettext("Network"), "neighbours": gettext("Also the neighbouring networks")}

    def query_values(self, data: dict) -> dict:
        slugs = tuple(dict.fromkeys(data.get("network", ())))
        if not slugs or ALL_NETWORKS in slugs:
            return {"networks": ()}
        return {"networks": with_neighbours(slugs) if data["neighbours"] else slugs}

    def db_mask(self, columns: Columns, query: OfferQuery) -> np.ndarray | None:
        if not query.networks:
            return None
        codes = municipality_codes_of(query.networks)
        return columns.in_any_area(codes) | columns.has_any("networks", query.networks)

    def es_filters(self, query: OfferQuery) -> list[Query]:
        if not query.networks:
            return []
        codes = municipality_codes_of(query.networks)
        placed_in = [Q("terms", areas=codes)] if codes else []
        return [Q("bool", should=[*placed_in, Q("terms", networks=list(query.networks))], minimum_should_match=1)]


def _labels_of(model: type[Model], key: str, name: str):
    return lambda: dict(model.objects.values_list(key, name))


def _neighbourhood_labels() -> dict[str, str]:
    return {
        code: f"{name} ({district})"
        for code, name, district in Neighbourhood.objects.values_list("code", "name", "district__name")
    }


FILTERS: tuple[SearchFilter, ...] = (
    TextFilter(),
    KeywordFilter(
        "domains",
        _("Domain"),
        "domain",
        _choices(Domain.values),
        load=lambda: {value: str(label) for value, label in Domain.choices},
    ),
    TokensFilter("themes", _("Theme"), CodesField(model=Theme, field="slug"), load=_labels_of(Theme, "slug", "name")),
    KeywordFilter(
        "districts",
        _("District"),
        "district",
        CodesField(model=District, field="code"),
        load=_labels_of(District, "code", "name"),
    ),
    KeywordFilter(
        "neighbourhoods",
        _("Neighbourhood"),
        "neighbourhood",
        CodesField(model=Neighbourhood, field="code"),
        load=_neighbourhood_labels,
    ),
    AreaFilter(),
    NetworkFilter(),
    WhenFilter(
        "weekdays",
        _("Day"),
        _choices(Weekday.values),
        other="parts_of_day",
        slots_first=True,
        load=lambda: {str(value): str(label) for value, label in Weekday.choices},
        convert=int,
    ),
    WhenFilter(
        "parts_of_day",
        _("Part of the day"),
        _choices([part.value for part in PartOfDay]),
        other="weekdays",
        slots_first=False,
        load=lambda: {str(value): str(label) for value, label in PART_OF_DAY_LABELS.items()},
    ),
    TokensFilter(
        "languages",
        _("Also spoken"),
        CodesField(model=Language, field="code"),
        load=_labels_of(Language, "code", "name"),
    ),
    KeywordFilter(
        "organisations",
        _("Organiser"),
        "organisation",
        CodesField(model=Organisation, field="slug"),
        load=_labels_of(Organisation, "slug", "name"),
    ),
    CostFilter(),
    FlagsFilter(
        "accessibility",
        _("Accessibility"),
        [fact.search_name for fact in facts.ACCESSIBILITY_FACTS],
        load=lambda: {fact.search_name: str(fact.label) for fact in facts.ACCESSIBILITY_FACTS},
    ),
    FlagsFilter(
        "facts",
        _("Thresholds removed"),
        [fact.search_name for fact in facts.SEARCH_FACTS],
        load=lambda: {fact.search_name: str(fact.label) for fact in facts.SEARCH_FACTS},
    ),
    FreeFilter(),
    AgeFilter(),
    NearFilter(),
    DutchLevelFilter(),
    FreshFilter(),
)
FACET_FILTERS: tuple[SearchFilter, ...] = tuple(f for f in FILTERS if f.kind is not None)
# The filter whose leaving out the results count ("3 activities fall outside the budget").
COST_FILTER = next(f for f in FILTERS if isinstance(f, CostFilter))
