"""The offer editor's "derived place": the point, the areas it lies in at every level, and a map to move the point.

The panel shows what the form will save (the point found from the address, or the one typed or moved
on the map) and where that point lies, before the offer is published. One template include
(``catalogue/includes/derived_place.html``) draws it, on the page and for the map's script, so the
place can grow (issue 17: municipality, deelgemeente or district, neighbourhood) in one spot.
"""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse

from wagtail.admin.panels import Panel

from .forms import GEOCODE_BUTTON, POINT_FIELDS
from .geocoding import ADDRESS_FIELDS, GeocodingError, locate

INCLUDE = "catalogue/includes/derived_place.html"


def _number(value) -> float | None:
    try:
        return float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None


def place_context(*, latitude: float | None, longitude: float | None, register_address: str = "") -> dict:
    """What the derived-place include shows for a point (None: no point yet)."""
    from .models import (  # the offer model's panels need this module
        Area,
        AreaLevel,
        area_ids_at,
        neighbourhood_at,
        placement_error,
    )

    neighbourhood = neighbourhood_at(latitude=latitude, longitude=longitude)
    placed = area_ids_at(latitude=latitude, longitude=longitude)
    names = dict(Area.objects.filter(pk__in=[pk for pk in placed.values() if pk]).values_list("pk", "name"))
    has_point = latitude is not None and longitude is not None
    return {
        "municipality": names.get(placed[AreaLevel.MUNICIPALITY]),
        "deelgemeente": names.get(placed[AreaLevel.DEELGEMEENTE]),
        "wijk": names.get(placed[AreaLevel.WIJK]),
        "latitude": latitude,
        "longitude": longitude,
        "has_point": has_point,
        # Why saving will refuse this point (the model's one rule), before the editor saves.
        "problem": placement_error(latitude=latitude, longitude=longitude) if has_point else None,
        "neighbourhood": neighbourhood,
        "district": neighbourhood.district if neighbourhood else None,
        "register_address": register_address,
    }


class DerivedPlacePanel(Panel):
    """Shows the derived place with the "Find address" button and the map (Leaflet, tiles from MAP_TILE_URL)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "catalogue/panels/derived_place_panel.html"

        class Media:
            css = {"all": ["vendor/leaflet/leaflet.css", "catalogue/offer_map.css"]}
            js = ["vendor/leaflet/leaflet.js", "catalogue/offer_map.js"]

        def get_context_data(self, parent_context=None) -> dict:
            context = super().get_context_data(parent_context)
            if self.form.is_bound:
                latitude, longitude = (_number(self.form.data.get(name)) for name in POINT_FIELDS)
            else:
                latitude, longitude = self.instance.latitude, self.instance.longitude
            located = getattr(self.form, "located", None)
            context.update(
                place_context(
                    latitude=latitude,
                    longitude=longitude,
                    register_address=located.full_address if located else "",
                ),
                geocode_button=GEOCODE_BUTTON,
                tile_url=settings.MAP_TILE_URL,
                tile_attribution=settings.MAP_TILE_ATTRIBUTION,
                geocode_url=reverse("catalogue_geocode_address"),
                place_url=reverse("catalogue_derived_place"),
            )
            return context


def geocode_address_view(request: HttpRequest) -> JsonResponse:
    """The map script's "Find address": the point and the derived place as HTML, or the message (400)."""
    address = {name: request.GET.get(name, "").strip() for name in ADDRESS_FIELDS}
    try:
        located = locate(**address)
    except GeocodingError as error:
        return JsonResponse({"error": str(error.message), "fields": list(error.fields)}, status=400)
    context = place_context(
        latitude=located.latitude, longitude=located.longitude, register_address=located.full_address
    )
    return JsonResponse(
        {
            "latitude": located.latitude,
            "longitude": located.longitude,
            "html": render_to_string(INCLUDE, context, request=request),
        }
    )


def derived_place_view(request: HttpRequest) -> JsonResponse:
    """The derived place of a point the editor moved on the map, as the include's HTML."""
    latitude, longitude = (_number(request.GET.get(name)) for name in POINT_FIELDS)
    context = place_context(latitude=latitude, longitude=longitude)
    return JsonResponse({"html": render_to_string(INCLUDE, context, request=request)})
