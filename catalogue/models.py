"""Offers with their threshold information, and the places and themes they refer to."""

import re
import time
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from organisations.models import Network, UntranslatablePageMixin

from . import geo
from .facts import (
    ACCESSIBILITY_FACTS,
    FACTS,
    FINANCIAL_FACTS,
    GROUPS_WELCOME,
    LANGUAGE_FACTS,
    PRACTICAL_FACTS,
    SOCIAL_FACTS,
    is_full,
    place_free,
    reserved_places_left,
)
from .forms import OfferPageForm
from .place_panel import DerivedPlacePanel


class District(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Neighbourhood(models.Model):
    """A statistical neighbourhood ("wijk") with its polygon from the city's open data."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="neighbourhoods"
    )
    geometry = models.JSONField(_("geometry"), help_text=_("GeoJSON geometry in WGS84."))
    centroid_latitude = models.FloatField(_("centre latitude"))
    centroid_longitude = models.FloatField(_("centre longitude"))
    socio_economic_score = models.PositiveSmallIntegerField(
        _("socio-economic score"),
        null=True,
        blank=True,
        help_text=_("Stad Antwerpen's 2025 score, 0 (most deprived) to 100."),
    )

    class Meta:
        ordering = ["district__name", "name"]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")

    def __str__(self) -> str:
        return f"{self.name} ({self.district.name})"


@lru_cache(maxsize=1)
def _neighbourhood_index(version: tuple) -> geo.ShapeIndex:
    return geo.ShapeIndex(Neighbourhood.objects.values_list("pk", "geometry"))


def neighbourhood_at(*, latitude: float | None, longitude: float | None) -> Neighbourhood | None:
    """The neighbourhood whose polygon holds the point, or None when it lies outside the network."""
    if latitude is None or longitude is None:
        return None
    version = tuple(Neighbourhood.objects.order_by("pk").values_list("pk", flat=True))
    pk = _neighbourhood_index(version).containing(latitude=latitude, longitude=longitude)
    if pk is None:
        return None
    # The polygon is already in hand; reading its GeoJSON again per offer was most of an import's placing.
    return Neighbourhood.objects.select_related("district").defer("geometry").get(pk=pk)


class AreaLevel(models.TextChoices):
    MUNICIPALITY = "municipality", _("municipality")
    DEELGEMEENTE = "deelgemeente", _("deelgemeente")
    WIJK = "wijk", _("wijk")


class Area(models.Model):
    """A municipality, deelgemeente or wijk from the Flemish boundary files (catalogue/data/README.md).

    Antwerp's districts and city-drawn neighbourhoods (``District``, ``Neighbourhood``) are its
    district and wijk levels; its wijken from the Flemish file are not loaded.
    """

    level = models.CharField(_("level"), max_length=20, choices=AreaLevel.choices, db_index=True)
    code = models.CharField(_("code"), max_length=12, unique=True, help_text=_("NIS code, e.g. 44021 or 33029B."))
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    geometry = models.JSONField(_("geometry"), help_text=_("GeoJSON geometry in WGS84."))
    centroid_latitude = models.FloatField(_("centre latitude"))
    centroid_longitude = models.FloatField(_("centre longitude"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_level_display()})"


@lru_cache(maxsize=1)
def _area_indexes(version: tuple) -> dict[str, geo.ShapeIndex]:
    return {
        level: geo.ShapeIndex(Area.objects.filter(level=level).values_list("pk", "geometry"))
        for level in AreaLevel.values
    }


# The areas version this process read last and until when (time.monotonic) it trusts it.
_version_read: tuple[float, tuple] | None = None


def areas_version() -> tuple:
    """Changes whenever an area is added, removed or reloaded, so each process rebuilds its index.

    Read from the database at most every ``AREAS_VERSION_SECONDS`` (a query was half of a lookup's
    time); inside a transaction always, and not kept, since what it sees may not be committed.
    """
    global _version_read
    now = time.monotonic()
    read = _version_read
    in_transaction = connection.in_atomic_block
    if read is not None and now < read[0] and not in_transaction:
        return read[1]
    version = tuple(Area.objects.aggregate(count=Count("pk"), last=Max("pk"), updated=Max("updated_at")).values())
    if not in_transaction:
        _version_read = (now + settings.AREAS_VERSION_SECONDS, version)
    return version


def areas_changed(**kwargs) -> None:
    """Forget the version read: after this process loads or edits areas, its next lookup asks the database."""
    global _version_read
    _version_read = None


def area_ids_at(*, latitude: float | None, longitude: float | None) -> dict[str, int | None]:
    """The id of the area holding the point at each level (None where no loaded area does)."""
    if latitude is None or longitude is None:
        return dict.fromkeys(AreaLevel.values)
    indexes = _area_indexes(areas_version())
    return {level: index.containing(latitude=latitude, longitude=longitude) for level, index in indexes.items()}


@lru_cache(maxsize=1)
def _municipality_borders(version: tuple) -> dict[str, frozenset[str]]:
    return geo.bordering(Area.objects.filter(level=AreaLevel.MUNICIPALITY).values_list("code", "geometry").iterator())


def bordering_municipalities(codes: Iterable[str]) -> set[str]:
    """The codes of the municipalities bordering any of these (themselves left out), from their polygons.

    Computed once per process and areas version (a third of a second for all 304 municipalities).
    """
    borders = _municipality_borders(areas_version())
    chosen = set(codes)
    return {code for chosen_code in chosen for code in borders.get(chosen_code, ())} - chosen


def placement_error(*, latitude: float, longitude: float) -> str | None:
    """Why a point cannot hold an offer, or None when it can: the one rule for forms, the API and imports.

    With networks on the installation a point must lie in a municipality of one of them; without
    any, it must lie in one of Antwerp's neighbourhoods, as before networks were records.
    """
    if not Network.objects.exists():
        if neighbourhood_at(latitude=latitude, longitude=longitude) is None:
            return str(_("This point lies outside the network's area: check latitude and longitude."))
        return None
    municipality_id = area_ids_at(latitude=latitude, longitude=longitude)[AreaLevel.MUNICIPALITY]
    if municipality_id is not None and Network.objects.filter(municipalities=municipality_id).exists():
        return None
    if municipality_id is None:
        return str(_("This point lies outside every network's area: check latitude and longitude."))
    return str(
        _("This point lies in %(municipality)s, which no network on this site covers: check latitude and longitude.")
        % {"municipality": Area.objects.get(pk=municipality_id).name}
    )


class Domain(models.TextChoices):
    SPORT = "sport", _("Sport")
    CULTURE = "culture", _("Culture")
    YOUTH = "youth", _("Youth work")
    OTHER = "other", _("Other leisure")


class Theme(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    code = models.CharField(_("language code"), max_length=10, unique=True, help_text=_("ISO 639-1, e.g. 'fr'."))
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name


class PriceUnit(models.TextChoices):
    SESSION = "session", _("per session")
    MONTH = "month", _("per month")
    SEASON = "season", _("per season")
    YEAR = "year", _("per year")
    ONCE = "once", _("once, for the whole activity")


class ReducedTariff(models.TextChoices):
    NONE = "", _("no reduced tariff")
    UITPAS = "uitpas", _("UiTPAS opportunity tariff (kansentarief)")
    SOCIAL = "social", _("the organiser's own social tariff")
    BOTH = "both", _("UiTPAS opportunity tariff and own social tariff")


class Registration(models.TextChoices):
    REQUIRED = "required", _("Registration needed")
    WALK_IN = "walk_in", _("Walk in, no registration")


class Commitment(models.TextChoices):
    SINGLE = "single", _("One time, no commitment")
    DROP_IN = "drop_in", _("Come when you like")
    SERIES = "series", _("A series of sessions")
    SEASON = "season", _("A whole season or year")


class DutchLevel(models.IntegerChoices):
    NONE = 0, _("No Dutch needed")
    BASIC = 1, _("Basic Dutch")
    GOOD = 2, _("Good Dutch")


class Availability(models.TextChoices):
    UNKNOWN = "", _("Not stated")
    AVAILABLE = "available", _("Places left")
    FULLY_BOOKED = "fully_booked", _("Fully booked")
    POSTPONED = "postponed", _("Postponed or temporarily closed")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Takes place")
    FULLY_BOOKED = "fully_booked", _("Fully booked")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


class Source(models.TextChoices):
    ADMIN = "admin", _("Entered in the admin")
    API = "api", _("Partner API")
    SPREADSHEET = "spreadsheet", _("Spreadsheet upload")
    UITDATABANK = "uitdatabank", _("UiTdatabank")
    FEED = "feed", _("Partner feed")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


MONEY = {"max_digits": 8, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class ThresholdFactFields(models.Model):
    """One yes/no field per threshold fact of ``catalogue.facts``, bound by the fact's field name."""

    class Meta:
        abstract = True


for _fact in FACTS:
    ThresholdFactFields.add_to_class(_fact.field, models.BooleanField(_fact.label, default=False))


# At most this many of an offer's related rows, whichever way it comes in (admin, API, spreadsheet, feed):
# no real offer needs more, and thousands of time slots took seconds to write or stopped the worker.
MAX_PER_OFFER = {"time_slots": 50, "sessions": 200, "closed_days": 100, "extra_costs": 20, "themes": 15}
# A Belgian postal code: four ASCII digits (str.isdigit would also take other scripts' digits).
POSTAL_CODE = re.compile("[0-9]{4}")


class OfferPage(UntranslatablePageMixin, ThresholdFactFields, Page):  # noqa: DJ008 (Page gives the title)
    """A leisure offer with its threshold information, owned by the organisation above it."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="offers",
        editable=False,
    )

    # What
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    themes = ParentalManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="offers")
    plain_summary = models.TextField(
        _("plain-language summary"),
        max_length=600,
        help_text=_("Two or three short sentences in clear Dutch (B1): what you do, for whom, what it costs."),
    )
    description = RichTextField(_("description"), blank=True, features=["bold", "italic", "link", "ul", "ol"])
    first_visit = models.TextField(
        _("what a first visit looks like"),
        blank=True,
        help_text=_("Who welcomes you, what happens, how long it takes."),
    )

    # Audience
    age_min = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    for_families = models.BooleanField(_("for families"), default=False)
    for_groups = models.BooleanField(_("for groups"), default=False)

    # A group programme (OpStap, 'Perfect is saai'): a fixed group from start to end date, led by a named guide,
    # its dated sessions saying where and what happens; mediators enrol cases (portal.workspace.groups).
    is_group_programme = models.BooleanField(
        _("group programme"),
        default=False,
        help_text=_("A fixed group with a start and an end date and dated sessions, led by a guide."),
    )
    guide_name = models.CharField(_("guide"), max_length=200, blank=True, help_text=_("The professional who leads it."))
    guide_phone = models.CharField(_("guide's work phone"), max_length=40, blank=True)
    audience_note = models.CharField(
        _("who it is for"), max_length=300, blank=True, help_text=_("For example: parents with their children.")
    )

    # Financial
    # Empty: nobody has said what it costs yet (catalogue.pricing); never read as free.
    list_price = models.DecimalField(
        _("regular price (EUR)"),
        null=True,
        blank=True,
        help_text=_("0 when it is free; empty only while the price is unknown."),
        **MONEY,
    )
    price_unit = models.CharField(
        _("the price buys"), max_length=20, choices=PriceUnit.choices, default=PriceUnit.SESSION
    )
    reduced_tariff = models.CharField(
        _("reduced tariff for a low income"), max_length=20, choices=ReducedTariff.choices, blank=True, default=""
    )
    reduced_price = models.DecimalField(_("reduced price (EUR)"), null=True, blank=True, **MONEY)
    reduced_price_who = models.CharField(
        _("who qualifies for the reduced price"),
        max_length=300,
        blank=True,
        help_text=_("For example: UiTPAS with opportunity status, increased allowance, OCMW referral."),
    )

    # Where
    street_address = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=4, help_text=_("Four digits, e.g. 2060."))
    city = models.CharField(_("municipality"), max_length=100, default="Antwerpen")
    latitude = models.FloatField(_("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(_("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    # Antwerp's own neighbourhood; none for a point elsewhere (its municipality, deelgemeente and wijk still place it).
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("neighbourhood"),
        on_delete=models.PROTECT,
        related_name="offers",
        editable=False,
        null=True,
        blank=True,
    )
    municipality = models.ForeignKey(
        Area,
        verbose_name=_("municipality"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        limit_choices_to={"level": AreaLevel.MUNICIPALITY},
    )
    deelgemeente = models.ForeignKey(
        Area,
        verbose_name=_("deelgemeente"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        limit_choices_to={"level": AreaLevel.DEELGEMEENTE},
    )
    wijk = models.ForeignKey(
        Area,
        verbose_name=_("wijk"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        limit_choices_to={"level": AreaLevel.WIJK},
    )
    public_transport_stop = models.CharField(
        _("nearest public transport stop"),
        max_length=200,
        blank=True,
        help_text=_("For example: tram 3 and 5, stop Schijnpoort."),
    )

    # Practical
    registration = models.CharField(
        _("registration"), max_length=20, choices=Registration.choices, default=Registration.REQUIRED
    )
    what_to_bring = models.TextField(_("what to bring"), blank=True)
    commitment = models.CharField(
        _("how long one commits"), max_length=20, choices=Commitment.choices, default=Commitment.DROP_IN
    )

    # Unknown unless stated: an offer nobody said anything about does not claim places left (catalogue.facts).
    availability = models.CharField(
        _("availability"), max_length=20, choices=Availability.choices, blank=True, default=Availability.UNKNOWN
    )
    capacity = models.PositiveIntegerField(
        _("places in all"), null=True, blank=True, help_text=_("Empty when you do not say how many places there are.")
    )
    reserved_places = models.PositiveSmallIntegerField(
        _("places kept for referred clients"),
        null=True,
        blank=True,
        help_text=_("Places a mediator of the network can ask for a client (kansenplaatsen)."),
    )
    reserved_price = models.DecimalField(
        _("price of a kept place (EUR)"), null=True, blank=True, help_text=_("0 when it is free."), **MONEY
    )
    reserved_until = models.DateField(
        _("places kept until"), null=True, blank=True, help_text=_("Empty: kept as long as the offer runs.")
    )
    # Kept by the workspace's reserved-place requests (portal.workspace.places), never typed or reverted.
    reserved_places_held = models.PositiveIntegerField(default=0, editable=False)
    places_confirmed = models.PositiveIntegerField(default=0, editable=False)
    # Kept by the workspace's group enrolments (portal.workspace.groups): cases holding a place in the group.
    group_enrolled = models.PositiveIntegerField(default=0, editable=False)

    # When
    start_date = models.DateField(_("start date"), null=True, blank=True, help_text=_("Empty for a permanent offer."))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    schedule_note = models.CharField(
        _("schedule note"), max_length=300, blank=True, help_text=_("For example: not during school holidays.")
    )

    # Accessibility

    # Social and psychological
    welcome_contact_name = models.CharField(_("welcome contact person"), max_length=200, blank=True)
    welcome_contact_phone = models.CharField(_("welcome contact phone"), max_length=40, blank=True)
    group_size_max = models.PositiveSmallIntegerField(_("maximum group size"), null=True, blank=True)

    # Language and culture
    dutch_level = models.PositiveSmallIntegerField(
        _("Dutch needed"), choices=DutchLevel.choices, default=DutchLevel.NONE
    )
    languages = ParentalManyToManyField(
        Language, verbose_name=_("other languages spoken"), blank=True, related_name="offers"
    )

    # Where it is offered beyond its own place
    served_networks = ParentalManyToManyField(
        "organisations.Network",
        verbose_name=_("Also offered to these networks"),
        blank=True,
        related_name="served_offers",
        help_text=_(
            "An offer appears in every network whose area holds its point. Choose networks here only when it is "
            "also meant for people there, such as an activity for the whole region; only networks your "
            "organisation is a partner of."
        ),
    )

    # Referral contact
    referral_contact_name = models.CharField(_("referral contact name"), max_length=200)
    referral_contact_email = models.EmailField(_("referral contact e-mail"))
    referral_contact_phone = models.CharField(_("referral contact phone"), max_length=40, blank=True)

    # Freshness and provenance
    last_confirmed = models.DateField(_("last confirmed"), default=date.today)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.ADMIN)
    external_id = models.CharField(
        _("external id"), max_length=200, blank=True, help_text=_("The offer's id in the system it came from.")
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("plain_summary"),
        index.SearchField("description"),
        index.FilterField("domain"),
        index.FilterField("neighbourhood"),
        index.FilterField("organisation"),
    ]

    what_panels = [
        # Wagtail's title panel fills the slug (on the Promote tab) from the title while the page is a draft.
        TitleFieldPanel("title"),
        FieldPanel("plain_summary"),
        FieldPanel("description"),
        FieldPanel("first_visit"),
        FieldRowPanel([FieldPanel("domain"), FieldPanel("themes")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("age_min"), FieldPanel("age_max")]),
                FieldRowPanel([FieldPanel("for_families"), FieldPanel("for_groups")]),
            ],
            heading=_("Audience"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("is_group_programme"),
                FieldRowPanel([FieldPanel("guide_name"), FieldPanel("guide_phone")]),
                FieldPanel("audience_note"),
            ],
            heading=_("Group programme"),
        ),
        InlinePanel("photos", heading=_("Photos of the place"), label=_("photo")),
    ]
    when_where_panels = [
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldRowPanel([FieldPanel("postal_code"), FieldPanel("city")]),
                DerivedPlacePanel(heading=_("Point, neighbourhood and district")),
                FieldRowPanel(
                    [FieldPanel("latitude"), FieldPanel("longitude")],
                    help_text=_("Found from the address; type or move the point only when the address is not enough."),
                ),
                FieldPanel("public_transport_stop"),
                FieldPanel("served_networks"),
            ],
            heading=_("Where"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("schedule_note"),
                InlinePanel("time_slots", label=_("weekly time slot")),
                InlinePanel("sessions", label=_("dated session")),
                InlinePanel("closed_days", label=_("closed days")),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("registration"),
                FieldRowPanel([FieldPanel("availability"), FieldPanel("capacity")]),
                FieldPanel("commitment"),
                *[FieldPanel(fact.field) for fact in PRACTICAL_FACTS],
                FieldPanel("what_to_bring"),
            ],
            heading=_("Practical"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("reserved_places"), FieldPanel("reserved_price")]),
                FieldPanel("reserved_until"),
            ],
            heading=_("Places kept for referred clients"),
        ),
    ]
    thresholds_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("list_price"), FieldPanel("price_unit")]),
                FieldRowPanel([FieldPanel("reduced_tariff"), FieldPanel("reduced_price")]),
                FieldPanel("reduced_price_who"),
                InlinePanel("extra_costs", label=_("extra cost")),
                *[FieldPanel(fact.field) for fact in FINANCIAL_FACTS],
            ],
            heading=_("What it costs"),
        ),
        MultiFieldPanel([FieldPanel(fact.field) for fact in ACCESSIBILITY_FACTS], heading=_("Accessibility")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("welcome_contact_name"), FieldPanel("welcome_contact_phone")]),
                *[FieldPanel(fact.field) for fact in SOCIAL_FACTS],
                FieldPanel("group_size_max"),
                *[FieldPanel(fact.field) for fact in GROUPS_WELCOME],
            ],
            heading=_("Social and psychological"),
        ),
        MultiFieldPanel(
            [FieldPanel("dutch_level"), FieldPanel("languages"), *[FieldPanel(fact.field) for fact in LANGUAGE_FACTS]],
            heading=_("Language and culture"),
        ),
    ]
    contact_panels = [
        MultiFieldPanel(
            [
                FieldPanel("referral_contact_name"),
                FieldPanel("referral_contact_email"),
                FieldPanel("referral_contact_phone"),
            ],
            heading=_("Referral contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("last_confirmed"),
                FieldPanel("source", read_only=True),
                FieldPanel("external_id", read_only=True),
            ],
            heading=_("Freshness and source"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(what_panels, heading=_("What")),
            ObjectList(when_where_panels, heading=_("When and where")),
            ObjectList(thresholds_panels, heading=_("Thresholds")),
            ObjectList(contact_panels, heading=_("Contact")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ],
        base_form_class=OfferPageForm,
    )

    parent_page_types = ["organisations.OrganisationPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~models.Q(external_id=""),
                name="unique_offer_external_id_per_organisation",
                violation_error_message=_("This organisation already has an offer with this external id."),
            ),
        ]

    def save(self, *args, **kwargs):
        # The owner and the neighbourhood are derived, never typed: the owner from the page tree,
        # the neighbourhood from the point, so a partner cannot place an offer under another name.
        if not self.organisation_id:
            self.organisation = self.get_parent().specific.organisation
        self.neighbourhood = neighbourhood_at(latitude=self.latitude, longitude=self.longitude)
        self.place_in_areas()
        return super().save(*args, **kwargs)

    def place_in_areas(self) -> None:
        """Set the municipality, deelgemeente and wijk whose polygons hold the point."""
        placed = area_ids_at(latitude=self.latitude, longitude=self.longitude)
        self.municipality_id = placed[AreaLevel.MUNICIPALITY]
        self.deelgemeente_id = placed[AreaLevel.DEELGEMEENTE]
        self.wijk_id = placed[AreaLevel.WIJK]

    def with_content_json(self, content):
        # A revision published later must not bring back the counts of places it was saved with.
        page = super().with_content_json(content)
        page.reserved_places_held = self.reserved_places_held
        page.places_confirmed = self.places_confirmed
        page.group_enrolled = self.group_enrolled
        return page

    @property
    def group_places_left(self) -> int | None:
        """A group programme's free places, or None when it states no capacity (every enrolment then takes one)."""
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.places_confirmed - self.group_enrolled)

    @property
    def is_full(self) -> bool:
        return is_full(self)

    @property
    def place_free(self) -> bool:
        return place_free(self)

    @property
    def reserved_places_left(self) -> int:
        return reserved_places_left(self)

    @property
    def is_free(self) -> bool:
        from .pricing import is_free

        return is_free(self)

    @property
    def price_unknown(self) -> bool:
        return self.list_price is None

    @property
    def is_permanent(self) -> bool:
        return self.start_date is None and self.end_date is None

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            errors.setdefault("age_min", []).append(_("The minimum age cannot be above the maximum age."))
        if self.start_date and self.end_date and self.start_date > self.end_date:
            errors.setdefault("end_date", []).append(_("The end date cannot be before the start date."))
        if self.end_date and not self.start_date:
            errors.setdefault("start_date", []).append(_("Give a start date when you give an end date."))
        if self.reduced_tariff and self.reduced_price is None:
            errors.setdefault("reduced_price", []).append(_("Give the reduced price for the reduced tariff you chose."))
        if self.reduced_price is not None and not self.reduced_tariff:
            errors.setdefault("reduced_tariff", []).append(_("Say which reduced tariff this reduced price is."))
        if self.reduced_price is not None and self.list_price is not None and self.reduced_price > self.list_price:
            errors.setdefault("reduced_price", []).append(_("The reduced price cannot be above the regular price."))
        if self.companion_free and not self.companion_welcome:
            errors.setdefault("companion_free", []).append(
                _("A free companion means a companion is welcome: tick that too.")
            )
        errors.update(self._places_errors())
        errors.update(self._served_networks_errors())
        for name, limit in MAX_PER_OFFER.items():
            count = len(getattr(self, name).all())
            if count > limit:
                errors.setdefault(name, []).append(
                    _("An offer has at most %(limit)s of these; this one has %(count)s.")
                    % {"limit": limit, "count": count}
                )
        if self.postal_code and not POSTAL_CODE.fullmatch(self.postal_code):
            errors.setdefault("postal_code", []).append(_("A Belgian postal code has four digits."))
        if self.latitude is not None and self.longitude is not None:
            problem = placement_error(latitude=self.latitude, longitude=self.longitude)
            if problem:
                errors.setdefault("latitude", []).append(problem)
            else:
                self.neighbourhood = neighbourhood_at(latitude=self.latitude, longitude=self.longitude)
                self.place_in_areas()
        if errors:
            raise ValidationError(errors)

    def _served_networks_errors(self) -> dict[str, list]:
        """An organisation offers to other networks only those it is a partner of."""
        chosen = list(self.served_networks.all())
        if not chosen or not self.organisation_id:
            return {}
        partner_of = set(self.organisation.networks.values_list("pk", flat=True))
        refused = sorted(network.name for network in chosen if network.pk not in partner_of)
        if not refused:
            return {}
        return {
            "served_networks": [
                _("Your organisation is not a partner of %(networks)s: it can only offer to its own networks.")
                % {"networks": ", ".join(refused)}
            ]
        }

    def _places_errors(self) -> dict[str, list]:
        errors: dict[str, list] = {}
        if self.registration != Registration.REQUIRED and (self.capacity is not None or self.reserved_places):
            errors["registration"] = [_("Places and kept places are for an offer with registration.")]
        if self.reserved_places and self.capacity is not None and self.reserved_places > self.capacity:
            errors["reserved_places"] = [_("More places cannot be kept than there are in all.")]
        if not self.reserved_places and (self.reserved_price is not None or self.reserved_until):
            errors["reserved_places"] = [_("Say how many places are kept.")]
        if self.reserved_places and self.reserved_price is None:
            errors["reserved_price"] = [_("Give the price of a kept place; 0 when it is free.")]
        if self.reserved_price is not None and self.list_price is not None and self.reserved_price > self.list_price:
            errors["reserved_price"] = [_("A kept place cannot cost more than the regular price.")]
        return errors


class OfferTimeSlot(Orderable):
    offer = ParentalKey(OfferPage, on_delete=models.CASCADE, related_name="time_slots")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("start_time"), FieldPanel("end_time")])]

    class Meta(Orderable.Meta):
        verbose_name = _("weekly time slot")
        verbose_name_plural = _("weekly time slots")

    def clean(self) -> None:
        super().clean()
        if self.start_time and self.end_time and self.start_time >= self.end_time:
            raise ValidationError({"end_time": _("The end time must be after the start time.")})


class OfferSession(Orderable):
    """One dated occurrence (UiTdatabank's subEvent): its own start and real end, and whether it takes place."""

    offer = ParentalKey(OfferPage, on_delete=models.CASCADE, related_name="sessions")
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    place = models.CharField(_("place"), max_length=200, blank=True, help_text=_("Empty: at the offer's address."))
    activity = models.CharField(_("what happens"), max_length=300, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("place"), FieldPanel("activity")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("dated session")
        verbose_name_plural = _("dated sessions")

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end must not lie before the start.")})


class OfferClosedDay(Orderable):
    """Days on which an offer with opening hours is closed (UiTdatabank's openingHoursClosedDays)."""

    offer = ParentalKey(OfferPage, on_delete=models.CASCADE, related_name="closed_days")
    start_date = models.DateField(_("closed from"))
    end_date = models.DateField(_("closed until"))
    description = models.CharField(_("why"), max_length=200, blank=True)

    panels = [FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date"), FieldPanel("description")])]

    class Meta(Orderable.Meta):
        verbose_name = _("closed days")
        verbose_name_plural = _("closed days")

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


class ExtraCostKind(models.TextChoices):
    MATERIAL = "material", _("Material")
    CLOTHING = "clothing", _("Clothing")
    MEMBERSHIP = "membership", _("Membership")
    INSURANCE = "insurance", _("Insurance")
    OTHER = "other", _("Other")


class OfferExtraCost(Orderable):
    offer = ParentalKey(OfferPage, on_delete=models.CASCADE, related_name="extra_costs")
    kind = models.CharField(_("kind"), max_length=20, choices=ExtraCostKind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount (EUR)"), **MONEY)
    required = models.BooleanField(_("required"), default=True, help_text=_("Untick when it is optional."))

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("amount"), FieldPanel("required")]),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("extra cost")
        verbose_name_plural = _("extra costs")


class OfferPhoto(Orderable):
    offer = ParentalKey(OfferPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    alt_text = models.CharField(_("text alternative"), max_length=250, help_text=_("Describe what the photo shows."))

    panels = [FieldPanel("image"), FieldPanel("alt_text")]

    class Meta(Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class FeedState(models.TextChoices):
    UPDATED = "updated", _("updated")
    DELETED = "deleted", _("deleted")


class OfferFeedClock(models.Model):
    """The change feed's single counter; ``catalogue.feeds`` explains why every change is numbered under its lock."""

    value = models.BigIntegerField(_("last change number"), default=0)

    class Meta:
        verbose_name = _("offer feed clock")

    def __str__(self) -> str:
        return f"#{self.value}"


class OfferFeedItem(models.Model):
    """An offer's current state in the open data change feed (RPDE); a deleted offer keeps its tombstone."""

    # A plain id, not a foreign key: the tombstone of a deleted offer must outlive the page.
    offer_id = models.BigIntegerField(_("offer id"), unique=True)
    modified = models.BigIntegerField(_("change number"), unique=True)
    state = models.CharField(_("state"), max_length=10, choices=FeedState.choices)
    # The OpenActive type the offer was last published as (SessionSeries, FacilityUse); a tombstone keeps it.
    kind = models.CharField(_("kind"), max_length=40)
    data = models.JSONField(_("JSON-LD"), null=True, blank=True)

    class Meta:
        ordering = ["modified", "offer_id"]
        verbose_name = _("offer feed item")
        verbose_name_plural = _("offer feed items")

    def __str__(self) -> str:
        return f"{self.offer_id} {self.state} #{self.modified}"


class OfferReminder(models.Model):
    """When the organisation was last reminded that this offer is stale, so a reminder goes once per period."""

    offer = models.OneToOneField(
        OfferPage, verbose_name=_("offer"), on_delete=models.CASCADE, primary_key=True, related_name="reminder"
    )
    reminded_on = models.DateField(_("reminded on"))

    class Meta:
        verbose_name = _("freshness reminder")
        verbose_name_plural = _("freshness reminders")

    def __str__(self) -> str:
        return f"{self.offer_id} {self.reminded_on}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting for the worker")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ImportJob(models.Model):
    """One preview or apply of an uploaded file, run by the background worker; the file itself is kept here.

    The worker writes its progress (items done of the total) as it goes and the whole report when it
    ends. Running a job again reads the same file and applies it again: the import is idempotent, so a
    job whose worker was killed half-way is finished by its rerun (``importing.jobs``).
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        "auth.User", verbose_name=_("started by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file"))
    dry_run = models.BooleanField(_("preview only"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    done = models.PositiveIntegerField(_("items done"), default=0)
    total = models.PositiveIntegerField(_("items"), default=0)
    problems = models.JSONField(_("problems with the file"), default=list, blank=True)
    notes = models.JSONField(_("notes on the file"), default=list, blank=True)
    report = models.JSONField(_("report"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    runs = models.PositiveSmallIntegerField(_("runs"), default=0)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)


class UitdatabankPull(models.Model):
    """One run of the live pull from UiTdatabank's Search API for one organisation (``importing.uitdatabank_api``).

    A full run asks for every event and place and takes offline what UiTdatabank no longer holds; a later
    run asks only for what changed since the last successful run began (``modified_from``). A failed run
    (the API unreachable, a server error, a timeout) wrote nothing.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="uitdatabank_pulls",
    )
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.RUNNING)
    full = models.BooleanField(_("full pull"), default=True)
    modified_from = models.DateTimeField(_("changed since"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    received = models.PositiveIntegerField(_("documents received"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    unpublished = models.PositiveIntegerField(_("taken offline"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    refusals = models.JSONField(_("refusals"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("UiTdatabank pull")
        verbose_name_plural = _("UiTdatabank pulls")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.started_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    @property
    def duration(self) -> timedelta | None:
        return self.finished_at - self.started_at if self.finished_at else None

    def get_duration_display(self) -> str:
        duration = self.duration
        return _("%(seconds).1f s") % {"seconds": duration.total_seconds()} if duration is not None else "–"

    def get_refusals_display(self) -> str:
        """Each refused document with its reasons, one per line."""
        return (
            "\n".join(
                f"{refusal['title'] or refusal['external_id']}: {'; '.join(refusal['errors'])}"
                for refusal in self.refusals
            )
            or "–"
        )

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
