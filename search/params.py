"""Reading a search from query parameters: one parser for the search pages and the API.

Unknown parameters are refused rather than ignored, so a typo never silently widens a search.
"""

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from rest_framework import serializers

from catalogue.api import EuroAmountField
from catalogue.freshness import stale_cutoff
from catalogue.models import District, Domain, DutchLevel, Language, Neighbourhood, Theme, Weekday
from organisations.models import Organisation

from .facets import ACCESSIBILITY_NAMES, THRESHOLD_NAMES
from .query import GeoPoint, OfferQuery, PartOfDay, Sort

MAX_PAGE = 500


class CodesField(serializers.ListField):
    """A repeatable parameter whose values must exist in a reference table."""

    def __init__(self, *, model, field: str, **kwargs):
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


class OfferSearchParams(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text=_("Words to look for."))
    max_cost = EuroAmountField(required=False, help_text=_("Most this client pays, in euro."))
    uitpas = serializers.BooleanField(
        required=False, default=False, help_text=_("The client has UiTPAS with opportunity tariff.")
    )
    social_tariff = serializers.BooleanField(
        required=False, default=False, help_text=_("The client qualifies for organisers' social tariffs.")
    )
    free = serializers.BooleanField(required=False, default=False, help_text=_("Only free offers."))
    fresh = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Only offers their organisation confirmed within the freshness period (OFFER_STALE_AFTER_DAYS)."),
    )
    accessibility = _choices(ACCESSIBILITY_NAMES)
    facts = _choices(THRESHOLD_NAMES)
    districts = CodesField(model=District, field="code")
    neighbourhoods = CodesField(model=Neighbourhood, field="code")
    near = serializers.RegexField(
        r"^-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?$", required=False, help_text=_("A point as 'latitude,longitude'.")
    )
    near_neighbourhood = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Neighbourhood.objects.all(),
        required=False,
        help_text=_("Search around this neighbourhood."),
    )
    within_km = serializers.FloatField(required=False, min_value=0.1, max_value=100)
    age = serializers.IntegerField(required=False, min_value=0, max_value=120)
    weekdays = _choices(Weekday.values)
    parts_of_day = _choices([part.value for part in PartOfDay])
    dutch_level = serializers.ChoiceField(
        required=False, choices=DutchLevel.choices, help_text=_("The Dutch the client has.")
    )
    languages = CodesField(model=Language, field="code")
    domains = _choices(Domain.values)
    themes = CodesField(model=Theme, field="slug")
    organisations = CodesField(model=Organisation, field="slug")
    sort = serializers.ChoiceField(required=False, choices=[sort.value for sort in Sort], default=Sort.RELEVANCE)
    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)

    def validate_near(self, value: str) -> GeoPoint:
        latitude, longitude = (float(part) for part in value.split(","))
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise serializers.ValidationError(
                _("Latitude must lie between -90 and 90, longitude between -180 and 180.")
            )
        return GeoPoint(latitude, longitude)

    def validate(self, attrs: dict) -> dict:
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
        return attrs

    def to_query(self) -> OfferQuery:
        data = self.validated_data
        centre = data.get("near")
        if data.get("near_neighbourhood"):
            neighbourhood = data["near_neighbourhood"]
            centre = GeoPoint(neighbourhood.centroid_latitude, neighbourhood.centroid_longitude)
        return OfferQuery(
            text=data.get("q", "").strip(),
            max_cost=data.get("max_cost"),
            has_uitpas=data["uitpas"],
            social_tariff=data["social_tariff"],
            free_only=data["free"],
            accessibility=tuple(data.get("accessibility", ())),
            facts=tuple(data.get("facts", ())),
            districts=tuple(data.get("districts", ())),
            neighbourhoods=tuple(data.get("neighbourhoods", ())),
            near=centre,
            within_km=data.get("within_km"),
            age=data.get("age"),
            weekdays=tuple(int(day) for day in data.get("weekdays", ())),
            parts_of_day=tuple(data.get("parts_of_day", ())),
            dutch_level=int(data["dutch_level"]) if data.get("dutch_level") not in (None, "") else None,
            languages=tuple(data.get("languages", ())),
            domains=tuple(data.get("domains", ())),
            themes=tuple(data.get("themes", ())),
            organisations=tuple(data.get("organisations", ())),
            confirmed_since=stale_cutoff() if data["fresh"] else None,
            sort=Sort(data["sort"]),
            page=data["page"],
            page_size=data["page_size"],
        )


def _messages(detail) -> list[str]:
    """One flat list of messages per parameter; a repeated parameter's errors come keyed by position."""
    if isinstance(detail, dict):
        return [message for key in sorted(detail, key=str) for message in _messages(detail[key])]
    if isinstance(detail, list):
        return [message for item in detail for message in _messages(item)]
    return [str(detail)]


def parse_search(params: QueryDict, *, allowed_extra: frozenset[str] = frozenset()) -> tuple[OfferQuery | None, dict]:
    """The query, or the errors per parameter (unknown parameters included); never both."""
    known = set(OfferSearchParams().fields) | allowed_extra
    cleaned = params.copy()
    for name in list(cleaned):
        # An empty value from a GET form means "not given", not "invalid".
        if all(value == "" for value in cleaned.getlist(name)):
            del cleaned[name]
    unknown = sorted(set(cleaned) - known)
    serializer = OfferSearchParams(data=cleaned)
    errors: dict[str, list[str]] = {}
    if not serializer.is_valid():
        errors.update({name: _messages(detail) for name, detail in serializer.errors.items()})
    for name in unknown:
        errors[name] = [str(_("Unknown parameter."))]
    if errors:
        return None, errors
    return serializer.to_query(), {}
