"""The offer's admin form: the point follows the address, the slug follows the title; both can be set by hand."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm

from .geocoding import ADDRESS_FIELDS, GeocodingError, Located, locate

POINT_FIELDS = ("latitude", "longitude")
# The "Find address" button's name: the form then looks the address up whatever the point holds.
GEOCODE_BUTTON = "geocode"


class OfferPageForm(WagtailAdminPageForm):
    """Finds the point from the address when no point is given, when the address changed and the point did
    not, or when the editor asks ("Find address"); a point the editor placed or moved is kept.

    Works without JavaScript: on save (a draft, or publishing) the address alone is enough. Without a
    point the slug may be empty too: Wagtail then makes it from the title when the page is saved.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in POINT_FIELDS:
            self.fields[name].required = False
        if "slug" in self.fields:
            self.fields["slug"].required = False
        if "list_price" in self.fields:
            # Only an import may leave the price unknown; an editor saving the offer gives it (0 when free).
            self.fields["list_price"].required = True
        self.located: Located | None = None
        if "served_networks" in self.fields:
            self._offer_only_own_networks()

    def _offer_only_own_networks(self) -> None:
        """The networks to tick are those the offer's organisation is a partner of (the model refuses others)."""
        field = self.fields["served_networks"]
        field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
        organisation = self.instance.organisation if self.instance.organisation_id else None
        if organisation is None and self.parent_page is not None:
            organisation = getattr(self.parent_page.specific, "organisation", None)
        if organisation is not None:
            field.queryset = organisation.networks.all()

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.instance.organisation_id and self.parent_page is not None:
            # A new offer's organisation is its parent's; the model's checks of the networks it serves need it.
            self.instance.organisation = self.parent_page.specific.organisation
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if any(name in self.errors for name in POINT_FIELDS):
            return cleaned
        if (latitude is None) != (longitude is None):
            self.add_error(
                "latitude" if latitude is None else "longitude",
                _("Give both latitude and longitude, or neither: the point is then found from the address."),
            )
            return cleaned
        moved = bool(set(POINT_FIELDS) & set(self.changed_data))
        readdressed = bool(set(ADDRESS_FIELDS) & set(self.changed_data))
        wanted = GEOCODE_BUTTON in self.data or latitude is None or (readdressed and not moved)
        if wanted and all(cleaned.get(name) and name not in self.errors for name in ADDRESS_FIELDS):
            self._place(cleaned)
        return cleaned

    def _place(self, cleaned: dict) -> None:
        try:
            located = locate(**{name: cleaned[name] for name in ADDRESS_FIELDS})
        except GeocodingError as error:
            self.add_error(error.fields[0], error.message)
            return
        self.located = located
        cleaned["latitude"], cleaned["longitude"] = located.latitude, located.longitude
        # So that a form shown again (another field has an error) shows the point that was found.
        data = self.data.copy()
        data["latitude"], data["longitude"] = str(located.latitude), str(located.longitude)
        self.data = data
