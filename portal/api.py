"""The one API router, mounted at /api/v1/, with the OpenAPI schema and its browsable docs."""

from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.fields import CharField, ChoiceField
from rest_framework.routers import DefaultRouter

from catalogue.api import OfferSerializer, OfferViewSet
from catalogue.models import POSTAL_CODE
from search.api import OfferSearchView

router = DefaultRouter()
router.register("offers", OfferViewSet, basename="offer")


def public_api_only(endpoints: list) -> list:
    """drf-spectacular preprocessing hook: document this API, not Wagtail's internal admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


@csrf_exempt
def not_found(request: HttpRequest) -> JsonResponse:
    """Any other path under /api/v1/ (a non-numeric or too long id, a typo): a JSON 404, as the API's own are.

    It changes nothing, so it needs no CSRF token: without the exemption a PUT or DELETE with a key to
    such a path met Django's HTML 403 for a missing token instead of this 404.
    """
    return JsonResponse({"detail": _("Not found.")}, status=404)


# The offer bodies refuse fields they do not define (OfferSerializer.to_internal_value); nested ones do not.
CLOSED_COMPONENTS = ("Offer", "PatchedOffer", "BulkOffer")


def closed_offer_bodies(result: dict, generator, request, public: bool) -> dict:
    """drf-spectacular postprocessing hook: the offer bodies say that unknown fields are refused."""
    for name in CLOSED_COMPONENTS:
        if name in result.get("components", {}).get("schemas", {}):
            result["components"]["schemas"][name]["additionalProperties"] = False
    return result


def offer_body_limits(result: dict, generator, request, public: bool) -> dict:
    """drf-spectacular postprocessing hook: what the offer bodies' fields take, as the server checks it.

    A text field that may not be blank has at least one character (drf-spectacular says so only in
    split request components), and a postal code is four digits (``OfferPage.clean``).
    """
    not_blank = [
        name
        for name, field in OfferSerializer().fields.items()
        if isinstance(field, CharField)
        and not isinstance(field, ChoiceField)
        and not (field.read_only or field.allow_blank)
    ]
    for name in CLOSED_COMPONENTS:
        properties = result.get("components", {}).get("schemas", {}).get(name, {}).get("properties", {})
        for field_name in not_blank:
            if field_name in properties:
                properties[field_name]["minLength"] = max(properties[field_name].get("minLength", 0), 1)
        if "postal_code" in properties:
            properties["postal_code"]["pattern"] = f"^{POSTAL_CODE.pattern}$"
    return result


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("search/offers", OfferSearchView.as_view(), name="search-offers"),
    *router.urls,
    re_path(r"", not_found),
]
