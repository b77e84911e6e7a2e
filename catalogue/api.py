"""The offers API under /api/v1/offers/: everyone reads the catalogue; a partner writes its own offers.

Writes go through ``catalogue.services`` and are allowed by ``catalogue.permissions``, which asks the
one organisation rule. The model's own validation (``OfferPage.clean``) answers as field errors.
"""

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from organisations.models import ApiKey, Network, Organisation
from organisations.permissions import organisations_editable_by

from .models import MAX_PER_OFFER, Language, OfferExtraCost, OfferPage, OfferTimeSlot, Source, Theme
from .permissions import ReadOrChangeOwnOffers, acting_organisation
from .public_urls import public_url
from .selectors import public_offers
from .services import OfferInput, UpsertAction, offer_create, offer_unpublish, offer_update, offer_upsert

T = TypeVar("T")

# The offer's own fields, every threshold fact included: a new model field joins the API by itself.
OWN_FIELDS = [
    "title",
    *(
        field.name
        for field in OfferPage._meta.local_fields
        if field.editable and not field.primary_key and field.name != "source"
    ),
]
RELATED_FIELDS = ["themes", "languages", "time_slots", "extra_costs", "served_networks"]
# Set by the portal, never by the caller: sending one is refused, not silently ignored.
READ_ONLY_FIELDS = [
    "id",
    "url",
    "slug",
    "organisation",
    "neighbourhood",
    "live",
    "source",
    "first_published_at",
    "last_published_at",
]
# A PUT replaces the offer, but leaving these out keeps them: they link the offer to the caller's system.
KEPT_WHEN_OMITTED = frozenset({"external_id", "last_confirmed"})
BULK_MAX_ITEMS = 100

FIELD_ERRORS = OpenApiResponse(
    response={
        "type": "object",
        "additionalProperties": {},
        "description": "Field name → list of messages (a nested list or object for time_slots and extra_costs); "
        "'non_field_errors' holds errors about the offer as a whole. Messages follow Accept-Language.",
        "example": {"reduced_price": ["The reduced price cannot be above the regular price."]},
    },
    description="The request was refused: each field named with its problem. Besides what the schema states, "
    "the server refuses what a schema cannot say: an organisation, theme or language that does not exist; a point "
    "outside the network's area; rules between fields (a reduced price needs its tariff and stays under the "
    "regular price, an end date needs a start date and is not before it, the minimum age is not above the "
    "maximum, a free companion is a welcome one, a time slot ends after it starts); and text with NUL "
    "characters ('detail').",
)
DETAIL_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
NOT_AUTHENTICATED = OpenApiResponse(response=DETAIL_SCHEMA, description="No credentials, or an unknown or revoked key.")
FORBIDDEN = OpenApiResponse(response=DETAIL_SCHEMA, description="The caller may not write for this organisation.")
NOT_FOUND = OpenApiResponse(response=DETAIL_SCHEMA, description="No offer with this id that the caller may see.")
CONFLICT = OpenApiResponse(
    response=FIELD_ERRORS.response,
    description="Another request wrote this offer at the same moment and this one wrote nothing: send it again.",
)
OFFER_EXAMPLE = OpenApiExample(
    "A swimming course in Kiel",
    request_only=True,
    value={
        "title": "Zwemmen voor beginners",
        "domain": "sport",
        "themes": ["zwemmen"],
        "plain_summary": "Je leert rustig zwemmen in een kleine groep. Je betaalt 1,50 euro met je UiTPAS.",
        "list_price": "5.00",
        "price_unit": "session",
        "reduced_tariff": "uitpas",
        "reduced_price": "1.50",
        "street_address": "Sint-Bernardsesteenweg 1",
        "postal_code": "2020",
        "latitude": 51.1875,
        "longitude": 4.3816,
        "step_free": True,
        "companion_welcome": True,
        "no_experience_needed": True,
        "languages": ["fr"],
        "time_slots": [{"weekday": 2, "start_time": "14:00", "end_time": "16:00"}],
        "extra_costs": [{"kind": "material", "amount": "5.00", "description": "Zwembril", "required": False}],
        "referral_contact_name": "Els",
        "referral_contact_email": "els@example.org",
    },
)
# A slug as Django's SlugField takes it; any other value is refused with a 400 on the parameter.
SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"
ORGANISATION_PARAMETER = OpenApiParameter(
    "organisation",
    {"type": "string", "pattern": SLUG_PATTERN},
    description="The slug of the organisation to write for. A key always writes for its own organisation; "
    "a person who edits for several organisations must name one.",
)


@cache
def _rich_text_converter() -> EditorHTMLConverter:
    return EditorHTMLConverter(features=OfferPage._meta.get_field("description").features)


def _field_errors(error: DjangoValidationError) -> dict[str, Any]:
    """The model's validation errors keyed by field, as DRF names them ('__all__' becomes 'non_field_errors')."""
    detail = serializers.as_serializer_error(error)
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    return {non_field if key == NON_FIELD_ERRORS else key: value for key, value in detail.items()}


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


CONFLICT_ERRORS = {
    "external_id": [_("Another request wrote an offer with this external id at the same moment; send it again.")]
}


def _write(service: Callable[[], T]) -> T:
    """Run a catalogue service; its model validation comes back as a 400 naming the fields.

    A write that loses a race the services could not serialise (a unique constraint of the database)
    is a 409 naming the field, never a 500; it wrote nothing.
    """
    try:
        with transaction.atomic():
            return service()
    except DjangoValidationError as error:
        raise ValidationError(_field_errors(error)) from None
    except IntegrityError:
        raise Conflict(CONFLICT_ERRORS) from None


def _author(request: Request) -> AbstractBaseUser | None:
    """Who revisions are recorded for: the signed-in person, or for a key the person who issued it."""
    if isinstance(request.auth, ApiKey):
        return request.auth.created_by
    return request.user


@extend_schema_field(
    {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$", "example": "14:00"}
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in Brussels ('14:00'); OpenAPI's 'time' format would demand a UTC offset."""


# At most 6 euro digits and 2 cent digits, never negative: what the models' MONEY fields hold, in one written form.
EURO_PATTERN = r"^[0-9]{1,6}(\.[0-9]{1,2})?$"


@extend_schema_field({"type": "string", "pattern": EURO_PATTERN, "example": "12.50"})
class EuroAmountField(serializers.DecimalField):
    """An amount in euro as digits with an optional point and cents ('12.50'), exactly what the schema admits:
    drf-spectacular's own decimal pattern would also admit '', '-5' and '.', which are refused."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 8)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Decimal:
        value = super().to_internal_value(data)
        # A negative amount is left to the minimum's validator, whose message says what is wrong.
        if not re.fullmatch(EURO_PATTERN, str(data).removeprefix("-")):
            self.fail("invalid")
        return value


# Money fields of the models become EuroAmountField, so their schema states what the server accepts.
SERIALIZER_FIELD_MAPPING = {
    **serializers.ModelSerializer.serializer_field_mapping,
    models.DecimalField: EuroAmountField,
}


class TimeSlotSerializer(serializers.ModelSerializer):
    start_time = LocalTimeField(label=_("from"))
    end_time = LocalTimeField(label=_("until"))

    class Meta:
        model = OfferTimeSlot
        fields = ["weekday", "start_time", "end_time"]

    def validate(self, attrs: dict) -> dict:
        try:
            OfferTimeSlot(**attrs).clean()
        except DjangoValidationError as error:
            raise ValidationError(_field_errors(error)) from None
        return attrs


class ExtraCostSerializer(serializers.ModelSerializer):
    serializer_field_mapping = SERIALIZER_FIELD_MAPPING

    class Meta:
        model = OfferExtraCost
        fields = ["kind", "description", "amount", "required"]


class OfferSerializer(serializers.ModelSerializer):
    """An offer with its threshold facts; themes by slug, languages by ISO code."""

    serializer_field_mapping = SERIALIZER_FIELD_MAPPING

    themes = serializers.SlugRelatedField(many=True, slug_field="slug", queryset=Theme.objects.all(), required=False)
    languages = serializers.SlugRelatedField(
        many=True, slug_field="code", queryset=Language.objects.all(), required=False
    )
    served_networks = serializers.SlugRelatedField(
        many=True,
        slug_field="slug",
        queryset=Network.objects.all(),
        required=False,
        help_text="Networks (by slug) it is also offered to, beyond those whose area holds its point; only networks "
        "its organisation is a partner of.",
    )
    time_slots = TimeSlotSerializer(many=True, required=False, max_length=MAX_PER_OFFER["time_slots"])
    extra_costs = ExtraCostSerializer(many=True, required=False, max_length=MAX_PER_OFFER["extra_costs"])
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    neighbourhood = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Derived from latitude and longitude."
    )
    url = serializers.SerializerMethodField(help_text="The offer's public page.")

    class Meta:
        model = OfferPage
        fields = [*READ_ONLY_FIELDS, *OWN_FIELDS, *RELATED_FIELDS]
        read_only_fields = READ_ONLY_FIELDS
        # The model lets an import leave the price unknown; a partner writing through the API gives one.
        extra_kwargs = {"list_price": {"required": True, "allow_null": False}}
        # Uniqueness (one external id per organisation and source) is the model's to check.
        validators: list = []

    def get_url(self, offer: OfferPage) -> str | None:
        return public_url(offer)

    def to_internal_value(self, data: Any) -> dict:
        refused: dict[str, list] = {}
        if isinstance(data, Mapping):
            for name in data:
                if name in READ_ONLY_FIELDS:
                    refused[name] = [_("This field is set by the portal, not by you: leave it out.")]
                elif name not in self.fields:
                    refused[name] = [_("Unknown field: an offer has no field with this name.")]
        try:
            value = super().to_internal_value(data)
        except ValidationError as error:
            if refused and isinstance(error.detail, dict):
                raise ValidationError({**error.detail, **refused}) from None
            raise
        if refused:
            raise ValidationError(refused)
        return value

    def validate_description(self, value: str) -> str:
        """Keep only the formatting the admin allows (no scripts, no styles), as the admin's editor does."""
        return _rich_text_converter().to_database_format(value)

    def offer_input(self, *, current: OfferPage | None = None, **fixed: Any) -> OfferInput:
        """What the services write: for a PATCH the current offer with the changes, for a PUT or POST the body
        with defaults for what it leaves out (except ``KEPT_WHEN_OMITTED``), plus the ``fixed`` values."""
        data = dict(self.validated_data)
        relations = {name: data.pop(name) for name in RELATED_FIELDS if name in data}
        if self.partial and current is not None:
            values = {**{name: getattr(current, name) for name in OWN_FIELDS}, **data}
            relations = {
                "themes": list(current.themes.all()),
                "languages": list(current.languages.all()),
                "time_slots": list(current.time_slots.all()),
                "extra_costs": list(current.extra_costs.all()),
                "served_networks": list(current.served_networks.all()),
                **relations,
            }
        else:
            defaults = {
                name: OfferPage._meta.get_field(name).get_default()
                for name in OWN_FIELDS
                if name not in KEPT_WHEN_OMITTED
            }
            values = {**defaults, **data}
        values.update(fixed)
        return OfferInput(
            values=values,
            themes=list(dict.fromkeys(relations.get("themes", []))),
            languages=list(dict.fromkeys(relations.get("languages", []))),
            time_slots=[_instance(OfferTimeSlot, slot) for slot in relations.get("time_slots", [])],
            extra_costs=[_instance(OfferExtraCost, cost) for cost in relations.get("extra_costs", [])],
            served_networks=list(dict.fromkeys(relations.get("served_networks", []))),
        )


def _instance(model: type[T], value: T | Mapping) -> T:
    return model(**value) if isinstance(value, Mapping) else value


class BulkOfferSerializer(OfferSerializer):
    """An offer in a bulk request: its external id says which offer it creates or updates."""

    external_id = serializers.CharField(max_length=200, help_text="The offer's id in your system.")


class UpsertResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[action.value for action in UpsertAction])
    offer = OfferSerializer()


@extend_schema_field(
    {
        "type": "array",
        "minItems": 1,
        "maxItems": BULK_MAX_ITEMS,
        "items": {
            "description": "An offer as in the PUT by external id, with its external_id. Any value is taken into "
            "the request: each is validated on its own and, when invalid, answered in results with status "
            "error and its field errors, never refused as a whole.",
            "example": {"external_id": "zwemmen-1", **OFFER_EXAMPLE.value},
        },
    }
)
class BulkItemsField(serializers.ListField):
    """The offers of a bulk request, each validated on its own so that one bad item refuses only itself."""

    child = serializers.JSONField(allow_null=True)


class BulkRequestSerializer(serializers.Serializer):
    offers = BulkItemsField(min_length=1, max_length=BULK_MAX_ITEMS)


class BulkItemResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The item's position in the request, from 0.")
    external_id = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=[*(action.value for action in UpsertAction), "error"])
    id = serializers.IntegerField(allow_null=True, help_text="The offer's id; null for an item in error.")
    errors = serializers.DictField(help_text="Field name → messages, for an item in error; empty otherwise.")


class BulkResultSerializer(serializers.Serializer):
    results = BulkItemResultSerializer(many=True)
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="How many items ended in each status.")


class OfferListQuerySerializer(serializers.Serializer):
    """The list's query parameters; any other is refused with a 400 that names it."""

    organisation = serializers.SlugField(required=False, help_text="Only this organisation's offers (its slug).")
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)
    format = serializers.CharField(required=False)

    def to_internal_value(self, data: Any) -> dict:
        unknown = {name: [_("Unknown query parameter.")] for name in data if name not in self.fields}
        if unknown:
            raise ValidationError(unknown)
        return super().to_internal_value(data)

    def validate_organisation(self, slug: str) -> str:
        if not Organisation.objects.filter(slug=slug).exists():
            raise ValidationError(_("No organisation has this slug."))
        return slug


class OfferPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_schema_operation_parameters(self, view) -> list[dict]:
        """DRF's page parameters with the limits ``OfferListQuerySerializer`` enforces."""
        limits = {
            name: {"minimum": field.min_value, **({"maximum": field.max_value} if field.max_value else {})}
            for name, field in OfferListQuerySerializer().fields.items()
            if name in {self.page_query_param, self.page_size_query_param}
        }
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(limits.get(parameter["name"], {}))
        return parameters


class OpenReadsSchema(AutoSchema):
    """Reads need no credentials (a key or session only adds the caller's own unpublished offers): the
    schema says so with an empty security requirement beside the two schemes."""

    def get_auth(self) -> list[dict]:
        auths = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths


def _external_id(value: str) -> str:
    try:
        return serializers.CharField(max_length=200).run_validation(value)
    except ValidationError as error:
        raise ValidationError({"external_id": error.detail}) from None


class OfferViewSet(viewsets.ModelViewSet):
    """Published offers for everyone; an organisation's own offers, published or not, for those who write for it."""

    serializer_class = OfferSerializer
    schema = OpenReadsSchema()
    permission_classes = [ReadOrChangeOwnOffers]
    pagination_class = OfferPagination
    # At most 18 digits: SQLite's integers end at 2^63, and a longer id is no offer (a JSON 404 from the API's
    # exception handler).
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[OfferPage]:
        visible = Q(pk__in=public_offers().values("pk")) | Q(
            organisation__in=organisations_editable_by(self.request.user)
        )
        return (
            OfferPage.objects.filter(visible)
            .select_related("organisation", "neighbourhood")
            .prefetch_related("themes", "languages", "time_slots", "extra_costs", "served_networks")
            .order_by("title", "pk")
        )

    def get_object(self) -> OfferPage:
        # By external id, the offer is named by the partner's own id and may not exist yet; DRF's OPTIONS
        # answer asks for the object behind a PUT and would otherwise fail on the missing ``pk``.
        if self.lookup_field not in self.kwargs:
            raise NotFound
        return super().get_object()

    def _fresh(self, offer: OfferPage) -> dict:
        return self.get_serializer(self.get_queryset().get(pk=offer.pk)).data

    @extend_schema(
        summary="List offers",
        description="Published offers, paginated; signed in or with a key, also your own organisation's "
        "unpublished ones. Unknown query parameters are refused with 400.",
        parameters=[
            OpenApiParameter(
                "organisation",
                {"type": "string", "pattern": SLUG_PATTERN},
                description="Only this organisation's offers (its slug).",
            )
        ],
        responses={200: OfferSerializer(many=True), 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        params = OfferListQuerySerializer(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        queryset = self.get_queryset()
        if slug := params.validated_data.get("organisation"):
            queryset = queryset.filter(organisation__slug=slug)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="Read an offer", responses={200: OfferSerializer, 404: NOT_FOUND})
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Create an offer",
        description="Creates and publishes an offer of your organisation. Fields the portal sets (id, url, "
        "organisation, neighbourhood, live, source, ...) are refused with 400, as are unknown fields.",
        parameters=[ORGANISATION_PARAMETER],
        examples=[OFFER_EXAMPLE],
        responses={201: OfferSerializer, 400: FIELD_ERRORS, 401: NOT_AUTHENTICATED, 403: FORBIDDEN, 409: CONFLICT},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        organisation = acting_organisation(request.user, request.query_params.get("organisation"))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        offer = _write(
            lambda: offer_create(
                parent=organisation.page, data=serializer.offer_input(source=Source.API), by=_author(request)
            )
        )
        return Response(self._fresh(offer), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Replace an offer",
        description="Replaces the offer and publishes it: an optional field you leave out takes its default, "
        "except external_id and last_confirmed, which keep their value. The same body twice makes no revision.",
        examples=[OFFER_EXAMPLE],
        responses={200: OfferSerializer, 400: FIELD_ERRORS, 401: NOT_AUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def update(self, request: Request, *args, partial: bool = False, **kwargs) -> Response:
        offer = self.get_object()
        serializer = self.get_serializer(offer, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        _write(lambda: offer_update(offer=offer, data=serializer.offer_input(current=offer), by=_author(request)))
        return Response(self._fresh(offer))

    @extend_schema(
        summary="Change some fields of an offer",
        responses={200: OfferSerializer, 400: FIELD_ERRORS, 401: NOT_AUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        summary="Withdraw an offer",
        description="Unpublishes the offer; it is never deleted for good. It leaves the public catalogue and "
        "search, stays readable to your organisation with live=false and its revisions, and comes back when you "
        "PUT it again. Referrals that point at it keep working.",
        responses={
            204: OpenApiResponse(
                description="Withdrawn (unpublished, not deleted), with no body. A later GET of this offer answers "
                "200 with live=false for your organisation and 404 for everyone else."
            ),
            401: NOT_AUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def destroy(self, request: Request, *args, **kwargs) -> Response:
        offer = self.get_object()
        offer_unpublish(offer=offer, by=_author(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Unpublish an offer",
        description="Takes the offer offline (unpublishing twice is harmless); a PUT publishes it again.",
        request=None,
        responses={200: OfferSerializer, 401: NOT_AUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def unpublish(self, request: Request, *args, **kwargs) -> Response:
        offer = self.get_object()
        offer_unpublish(offer=offer, by=_author(request))
        return Response(self._fresh(offer))

    @extend_schema(
        operation_id="offers_upsert",
        summary="Create or update an offer by your own id",
        description="Idempotent: the offer of your organisation with this external id is created, updated or "
        "left unchanged (no new revision) and published. Another organisation's offer with the same external id "
        "is never touched. The body replaces the offer as a PUT does; an external_id in the body must match the "
        "URL. An external id with '/' cannot be used here: use the bulk endpoint.",
        parameters=[
            OpenApiParameter("external_id", str, OpenApiParameter.PATH, description="The offer's id in your system."),
            ORGANISATION_PARAMETER,
        ],
        request=OfferSerializer,
        examples=[OFFER_EXAMPLE],
        responses={
            200: OpenApiResponse(UpsertResultSerializer, description="Updated or unchanged."),
            201: OpenApiResponse(UpsertResultSerializer, description="Created."),
            400: FIELD_ERRORS,
            401: NOT_AUTHENTICATED,
            403: FORBIDDEN,
            409: CONFLICT,
        },
    )
    @action(
        detail=False,
        methods=["put"],
        url_path=r"by-external-id/(?P<external_id>[^/]+)",
        url_name="upsert",
        serializer_class=OfferSerializer,
    )
    def upsert(self, request: Request, external_id: str) -> Response:
        organisation = acting_organisation(request.user, request.query_params.get("organisation"))
        external_id = _external_id(external_id)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data.get("external_id", external_id) != external_id:
            raise ValidationError({"external_id": [_("The external id in the body differs from the one in the URL.")]})
        offer, result = _write(
            lambda: offer_upsert(
                organisation=organisation,
                data=serializer.offer_input(source=Source.API, external_id=external_id),
                by=_author(request),
            )
        )
        code = status.HTTP_201_CREATED if result == UpsertAction.CREATED else status.HTTP_200_OK
        return Response({"status": result.value, "offer": self._fresh(offer)}, status=code)

    @extend_schema(
        operation_id="offers_bulk",
        summary="Create or update many offers by your own ids",
        description=f"At most {BULK_MAX_ITEMS} offers, each upserted by its external id as the PUT by external id "
        "does, and answered on its own: created, updated, unchanged, or error with its field errors. Each item is "
        "written in its own transaction, so an item in error writes nothing and does not stop the others.",
        parameters=[ORGANISATION_PARAMETER],
        request=BulkRequestSerializer,
        responses={200: BulkResultSerializer, 400: FIELD_ERRORS, 401: NOT_AUTHENTICATED, 403: FORBIDDEN},
    )
    @action(detail=False, methods=["post"], serializer_class=BulkRequestSerializer)
    def bulk(self, request: Request) -> Response:
        organisation = acting_organisation(request.user, request.query_params.get("organisation"))
        envelope = BulkRequestSerializer(data=request.data)
        envelope.is_valid(raise_exception=True)
        results = [
            self._bulk_item(index, item, organisation=organisation, by=_author(request))
            for index, item in enumerate(envelope.validated_data["offers"])
        ]
        counts = dict.fromkeys((*(action.value for action in UpsertAction), "error"), 0)
        for result in results:
            counts[result["status"]] += 1
        return Response({"results": results, "counts": counts})

    def _bulk_item(self, index: int, item: Any, *, organisation: Organisation, by: AbstractBaseUser | None) -> dict:
        external_id = item.get("external_id") if isinstance(item, Mapping) else None
        result = {"index": index, "external_id": external_id if isinstance(external_id, str) else None}
        serializer = BulkOfferSerializer(data=item, context=self.get_serializer_context())
        if not serializer.is_valid():
            return {**result, "status": "error", "id": None, "errors": serializer.errors}
        try:
            with transaction.atomic():
                offer, action_taken = offer_upsert(
                    organisation=organisation, data=serializer.offer_input(source=Source.API), by=by
                )
        except DjangoValidationError as error:
            return {**result, "status": "error", "id": None, "errors": _field_errors(error)}
        except IntegrityError:
            return {**result, "status": "error", "id": None, "errors": CONFLICT_ERRORS}
        return {**result, "status": action_taken.value, "id": offer.pk, "errors": {}}
