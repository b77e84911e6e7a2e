"""GET /api/v1/search/offers: the catalogue search with the same parameters and facets as the pages."""

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue.api import LocalTimeField
from organisations.networks import network_for_request

from .engines import get_engine
from .params import OfferSearchParams, parse_search


class OfferHitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    summary = serializers.CharField()
    organisation = serializers.CharField()
    neighbourhood = serializers.CharField()
    district = serializers.CharField()
    domain = serializers.CharField()
    cost_for_client = serializers.DecimalField(
        max_digits=8, decimal_places=2, allow_null=True, help_text="Null when the price is unknown (never free)."
    )
    list_price = serializers.DecimalField(
        max_digits=8, decimal_places=2, allow_null=True, help_text="Null when the price is unknown (never free)."
    )
    price_unit = serializers.CharField(help_text="What the price buys: session, month, season, year or once.")
    free = serializers.BooleanField(help_text="This client pays nothing: a price of 0 and no compulsory extra cost.")
    accessibility = serializers.ListField(child=serializers.CharField())
    dutch_level = serializers.IntegerField()
    next_session = serializers.DateField(allow_null=True)
    next_session_start = LocalTimeField(allow_null=True, help_text="Wall-clock time in Brussels, without offset.")
    distance_km = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    stale = serializers.BooleanField(help_text="Not confirmed by its organisation within the freshness period.")
    full = serializers.BooleanField(help_text="Fully booked: said so, or every place is confirmed.")
    availability = serializers.CharField(
        help_text="As the organisation said: available, fully_booked, postponed, or empty when it said nothing."
    )
    facts = serializers.ListField(
        child=serializers.CharField(),
        help_text="The threshold facts that hold, by their search names (places_left, reserved_places, walk_in, …).",
    )


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class SearchResultSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    engine = serializers.CharField(help_text="The engine that answered: elasticsearch or database.")
    degraded = serializers.BooleanField(help_text="True when the backup engine answered because the main one failed.")
    took_ms = serializers.FloatField()
    over_budget = serializers.IntegerField(
        allow_null=True, help_text="How many offers the other filters keep that max_cost leaves out; null without it."
    )
    hits = OfferHitSerializer(many=True)
    facets = serializers.DictField(child=FacetValueSerializer(many=True))


class SearchErrorSerializer(serializers.Serializer):
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class OfferSearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="search_offers",
        parameters=[OfferSearchParams],
        responses={200: SearchResultSerializer, 400: SearchErrorSerializer},
        summary="Search published offers",
        description="Filters combine with AND; values within one group with OR, except accessibility and facts "
        "(all of them). Unknown parameters are refused with 400. On a network's host the search runs within that "
        "network unless `network` names others (or `all`).",
    )
    def get(self, request: Request) -> Response:
        network = network_for_request(request._request)
        query, errors = parse_search(
            request.query_params, allowed_extra=frozenset({"format"}), network=network.slug if network else None
        )
        if errors:
            return Response({"errors": errors}, status=400)
        result = get_engine().search(query)
        payload = {
            "total": result.total,
            "page": query.page,
            "pages": result.pages,
            "engine": result.engine,
            "degraded": result.degraded,
            "took_ms": result.took_ms,
            "over_budget": result.over_budget,
            "hits": [asdict(hit) for hit in result.hits],
            "facets": {name: [asdict(value) for value in values] for name, values in result.facets.items()},
        }
        return Response(SearchResultSerializer(payload).data)
