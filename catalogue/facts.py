"""The threshold facts: each yes/no fact declared once, with everything that belongs to it.

The offer model's fields, the admin panels, the offer page, the spreadsheet template and importer,
the CSV export, the UiTdatabank mapping, the JSON-LD and the search documents all read this list;
adding a fact here (and its migration) adds it everywhere.

Accessibility facts carry their UiTdatabank facility term (the list drawn up with Inter,
Toegankelijk Vlaanderen; https://docs.publiq.be/ "voorzieningen") and their schema.org
accessibilityFeature, so imports and exports map one to one. An empty term means the other
vocabulary has none for it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class FactGroup(StrEnum):
    FINANCIAL = "financial"
    PRACTICAL = "practical"
    ACCESSIBILITY = "accessibility"
    SOCIAL = "social"
    GROUPS_WELCOME = "groups_welcome"
    LANGUAGE = "language"


@dataclass(frozen=True)
class Fact:
    """One yes/no threshold fact stored on an offer."""

    field: str  # the offer's model field, and the API's
    group: FactGroup
    label: Promise  # the English msgid; Dutch in locale/nl
    icon: str
    column: str  # the spreadsheet and CSV column
    question: str  # asked in the spreadsheet template, in Dutch (the template is Dutch)
    # UiTdatabank facility ids that mean this fact; the first is the current term, later ones older synonyms.
    uitdatabank_ids: tuple[str, ...] = ()
    schema_org: str | None = None
    # The name a search asks for it by, in its filter; None when no search filter offers it.
    search_name: str | None = None
    # Other offer fields that make the searchable fact hold as well.
    search_also: tuple[str, ...] = ()

    @property
    def uitdatabank_id(self) -> str | None:
        return self.uitdatabank_ids[0] if self.uitdatabank_ids else None

    def holds(self, offer: Any) -> bool:
        return any(getattr(offer, name) for name in (self.field, *self.search_also))


@dataclass(frozen=True)
class DerivedFact:
    """A searchable threshold fact read from other offer fields rather than stored as one."""

    search_name: str
    label: Promise
    fields: tuple[str, ...]  # the offer fields it reads
    holds: Callable[[Any], bool]


def _accessibility(field, label, icon, column, question, uitdatabank_ids=(), schema_org=None) -> Fact:
    # Accessibility facts are searched by their field name, in the accessibility filter.
    return Fact(field, FactGroup.ACCESSIBILITY, label, icon, column, question, uitdatabank_ids, schema_org, field)


FACTS: tuple[Fact, ...] = (
    Fact(
        "instalments",
        FactGroup.FINANCIAL,
        _("Payment in instalments possible"),
        "coins",
        "afbetalen",
        "Kan je in schijven betalen?",
        search_name="instalments",
    ),
    Fact(
        "ocmw_participation_funds",
        FactGroup.FINANCIAL,
        _("OCMW participation funds can pay"),
        "coins",
        "ocmw_participatie",
        "Kan het OCMW betalen met de participatiemiddelen?",
        search_name="ocmw_participation_funds",
    ),
    Fact(
        "free_trial",
        FactGroup.FINANCIAL,
        _("Free trial"),
        "coins",
        "gratis_proberen",
        "Kan je een keer gratis proberen?",
        search_name="free_trial",
    ),
    Fact(
        "childcare",
        FactGroup.PRACTICAL,
        _("Childcare during the activity"),
        "child",
        "kinderopvang",
        "Is er kinderopvang tijdens de activiteit?",
        uitdatabank_ids=("3.9.0.0.0",),  # kinderopvang
        search_name="childcare",
    ),
    # UiTdatabank's facilities, schema.org's accessibilityFeature and OpenActive have no term for it.
    Fact(
        "transport_offered",
        FactGroup.PRACTICAL,
        _("Transport offered"),
        "where",
        "vervoer",
        "Zorgen jullie voor vervoer naar de activiteit, bijvoorbeeld ophalen thuis?",
        search_name="transport_offered",
    ),
    _accessibility(
        "step_free",
        _("Step-free or wheelchair accessible"),
        "wheelchair",
        "rolstoeltoegankelijk",
        "Raak je er binnen zonder trappen of drempels, ook met een rolstoel?",
        # and the older "voorzieningen voor rolstoelgebruikers"
        ("3.27.0.0.0", "3.23.1.0.0"),
        "wheelchairAccessible",
    ),
    _accessibility(
        "adapted_toilet",
        _("Adapted toilet"),
        "toilet",
        "aangepast_toilet",
        "Is er een aangepast toilet?",
        ("3.31.0.0.0",),
        "accessibleRestroom",
    ),
    _accessibility("lift", _("Lift"), "lift", "lift", "Is er een lift?", (), "elevator"),
    _accessibility(
        "wheelchair_available",
        _("Wheelchair available"),
        "wheelchair",
        "rolstoel_te_leen",
        "Kan je er een rolstoel lenen?",
        ("3.23.3.0.0",),
    ),
    _accessibility(
        "hearing_loop",
        _("Hearing loop"),
        "ear",
        "ringleiding",
        "Is er een ringleiding voor mensen met een hoorapparaat?",
        ("3.17.1.0.0",),
        "inductionLoop",
    ),
    _accessibility(
        "sign_language",
        _("Flemish sign language (VGT)"),
        "hands",
        "vgt",
        "Is er Vlaamse Gebarentaal (VGT)?",
        ("3.33.0.0.0",),
        "signLanguage",
    ),
    _accessibility(
        "audio_description",
        _("Audio description"),
        "audio",
        "audiodescriptie",
        "Is er audiodescriptie voor mensen die niet goed zien?",
        ("3.13.2.0.0",),
        "audioDescription",
    ),
    _accessibility(
        "simplified_information",
        _("Simplified information"),
        "text",
        "vereenvoudigde_info",
        "Is er informatie in eenvoudige taal?",
        ("3.34.0.0.0",),
        "simplifiedLanguage",
    ),
    _accessibility(
        "low_stimulus",
        _("Low-stimulus (prikkelarm)"),
        "calm",
        "prikkelarm",
        "Is het prikkelarm: weinig lawaai, licht en drukte?",
    ),
    _accessibility(
        "assistance_dogs",
        _("Assistance dogs welcome"),
        "dog",
        "assistentiehonden",
        "Zijn assistentiehonden welkom?",
        ("3.13.1.0.0",),
    ),
    _accessibility(
        "carer_free",
        _("Carer pass: one companion free"),
        "companion",
        "begeleiderspas",
        "Mag één begeleider gratis mee met een begeleiderspas?",
        ("3.35.0.0.0",),
    ),
    _accessibility(
        "quiet_space",
        _("Quiet space"),
        "calm",
        "rustige_ruimte",
        "Is er een rustige ruimte om even te bekomen?",
    ),
    Fact(
        "companion_welcome",
        FactGroup.SOCIAL,
        _("A companion or buddy may come"),
        "companion",
        "begeleider_welkom",
        "Mag er iemand meekomen, een begeleider of buddy?",
        search_name="companion_welcome",
    ),
    Fact(
        "companion_free",
        FactGroup.SOCIAL,
        _("The companion comes for free"),
        "companion",
        "begeleider_gratis",
        "Komt die begeleider gratis mee?",
        search_name="companion_free",
    ),
    Fact(
        "no_experience_needed",
        FactGroup.SOCIAL,
        _("No experience needed"),
        "star",
        "geen_ervaring_nodig",
        "Kan je meedoen zonder ervaring?",
        search_name="no_experience_needed",
    ),
    Fact(
        "welcome_women_only",
        FactGroup.GROUPS_WELCOME,
        _("Women only"),
        "people",
        "alleen_vrouwen",
        "Is het alleen voor vrouwen?",
        search_name="women_only",
    ),
    Fact(
        "welcome_newcomers",
        FactGroup.GROUPS_WELCOME,
        _("Newcomers welcome"),
        "people",
        "nieuwkomers_welkom",
        "Zijn nieuwkomers in het bijzonder welkom?",
        search_name="newcomers",
    ),
    Fact(
        "welcome_seniors",
        FactGroup.GROUPS_WELCOME,
        _("Seniors welcome"),
        "people",
        "senioren_welkom",
        "Zijn senioren in het bijzonder welkom?",
        search_name="seniors",
    ),
    Fact(
        "welcome_families",
        FactGroup.GROUPS_WELCOME,
        _("Families welcome"),
        "people",
        "gezinnen_welkom",
        "Zijn gezinnen in het bijzonder welkom?",
        search_name="families",
        search_also=("for_families",),
    ),
    Fact(
        "pictograms",
        FactGroup.LANGUAGE,
        _("Pictograms or visual explanation"),
        "picture",
        "pictogrammen",
        "Leggen jullie uit met pictogrammen of beelden?",
        search_name="pictograms",
    ),
)

# The offer fields whether there is a place is read from: the stated availability (``Availability``; the
# UiTdatabank import sets "fully_booked" from bookingAvailability), the capacity, and the places the network's
# requests hold (``reserved_places_held``: requested, confirmed or used) or took (``places_confirmed``).
PLACE_FIELDS = ("availability", "capacity", "places_confirmed", "group_enrolled")
RESERVED_PLACE_FIELDS = (*PLACE_FIELDS, "registration", "reserved_places", "reserved_places_held", "reserved_until")


def is_full(offer: Any) -> bool:
    """Said to be fully booked, or every place of a stated capacity taken by confirmed referrals."""
    if offer.availability == "fully_booked":
        return True
    return offer.capacity is not None and offer.places_confirmed + offer.group_enrolled >= offer.capacity


def place_free(offer: Any) -> bool:
    """A place is known to be free: said so, or a capacity was stated and is not reached; unknown is not free."""
    if is_full(offer) or offer.availability == "postponed":
        return False
    return offer.availability == "available" or offer.capacity is not None


def reserved_places_left(offer: Any, today: date | None = None) -> int:
    """The places still kept for referred clients: none once the offer is full or the keeping date passed."""
    if not offer.reserved_places or offer.registration != "required" or is_full(offer):
        return 0
    if offer.availability == "postponed":
        return 0
    if offer.reserved_until is not None and offer.reserved_until < (today or timezone.localdate()):
        return 0
    return max(0, offer.reserved_places - offer.reserved_places_held)


# Searchable facts that are not stored as a yes/no field. ``Registration.WALK_IN`` is "walk_in";
# the value is written out because the model reads this module.
DERIVED_FACTS: tuple[DerivedFact, ...] = (
    DerivedFact(
        "walk_in", _("Walk in, no registration"), ("registration",), lambda offer: offer.registration == "walk_in"
    ),
    DerivedFact(
        "welcome_contact",
        _("A named person welcomes you"),
        ("welcome_contact_name",),
        lambda offer: bool(offer.welcome_contact_name),
    ),
    DerivedFact("places_left", _("Places left: not fully booked"), PLACE_FIELDS, lambda offer: place_free(offer)),
    DerivedFact(
        "reserved_places",
        _("Reserved places for referred clients available"),
        RESERVED_PLACE_FIELDS,
        lambda offer: reserved_places_left(offer) > 0,
    ),
    DerivedFact(
        "group_programme",
        _("Group programme: a fixed group with a guide"),
        ("is_group_programme",),
        lambda offer: offer.is_group_programme,
    ),
    # ``Commitment.SINGLE`` and ``Commitment.DROP_IN``: come once, or when you like.
    DerivedFact(
        "no_commitment",
        _("No commitment: come once or when you like"),
        ("commitment",),
        lambda offer: offer.commitment in ("single", "drop_in"),
    ),
)

FACTS_BY_FIELD: dict[str, Fact] = {fact.field: fact for fact in FACTS}


def in_group(group: FactGroup) -> tuple[Fact, ...]:
    return tuple(fact for fact in FACTS if fact.group == group)


FINANCIAL_FACTS = in_group(FactGroup.FINANCIAL)
PRACTICAL_FACTS = in_group(FactGroup.PRACTICAL)
ACCESSIBILITY_FACTS = in_group(FactGroup.ACCESSIBILITY)
SOCIAL_FACTS = in_group(FactGroup.SOCIAL)
GROUPS_WELCOME = in_group(FactGroup.GROUPS_WELCOME)
LANGUAGE_FACTS = in_group(FactGroup.LANGUAGE)

# The threshold facts a search can require beyond physical accessibility (the "facts" filter), in
# the order the search form lists them.
SEARCH_FACTS: tuple[Fact | DerivedFact, ...] = (
    *DERIVED_FACTS,
    *(fact for fact in FACTS if fact.search_name and fact.group != FactGroup.ACCESSIBILITY),
)


def search_facts_holding(offer: Any) -> list[str]:
    """The search names of the threshold facts (beyond accessibility) that hold for this offer."""
    return [fact.search_name for fact in SEARCH_FACTS if fact.holds(offer)]


def search_fact_fields() -> tuple[str, ...]:
    """Every offer field the searchable facts read."""
    names: list[str] = []
    for fact in SEARCH_FACTS:
        names += fact.fields if isinstance(fact, DerivedFact) else [fact.field, *fact.search_also]
    return tuple(dict.fromkeys(names))
