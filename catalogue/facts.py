"""Threshold facts as data: one entry per yes/no fact, shared by forms, pages, search and exports.

Accessibility facts carry their UiTdatabank facility term (the list drawn up with Inter,
Toegankelijk Vlaanderen; https://docs.publiq.be/ "voorzieningen") and their schema.org
accessibilityFeature, so imports and exports map one to one. ``None`` means the other vocabulary
has no term for it.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Fact:
    field: str
    label: Promise
    icon: str
    uitdatabank_id: str | None = None
    schema_org: str | None = None


ACCESSIBILITY_FACTS: tuple[Fact, ...] = (
    Fact("step_free", _("Step-free or wheelchair accessible"), "wheelchair", "3.27.0.0.0", "wheelchairAccessible"),
    Fact("adapted_toilet", _("Adapted toilet"), "toilet", "3.31.0.0.0", "accessibleRestroom"),
    Fact("lift", _("Lift"), "lift", None, "elevator"),
    Fact("wheelchair_available", _("Wheelchair available"), "wheelchair", "3.23.3.0.0", None),
    Fact("hearing_loop", _("Hearing loop"), "ear", "3.17.1.0.0", "inductionLoop"),
    Fact("sign_language", _("Flemish sign language (VGT)"), "hands", "3.33.0.0.0", "signLanguage"),
    Fact("audio_description", _("Audio description"), "audio", "3.13.2.0.0", "audioDescription"),
    Fact("simplified_information", _("Simplified information"), "text", "3.34.0.0.0", "simplifiedLanguage"),
    Fact("low_stimulus", _("Low-stimulus (prikkelarm)"), "calm", None, None),
    Fact("assistance_dogs", _("Assistance dogs welcome"), "dog", "3.13.1.0.0", None),
    Fact("carer_free", _("Carer pass: one companion free"), "companion", "3.35.0.0.0", None),
    Fact("quiet_space", _("Quiet space"), "calm", None, None),
)

PRACTICAL_FACTS: tuple[Fact, ...] = (Fact("childcare", _("Childcare during the activity"), "child"),)

FINANCIAL_FACTS: tuple[Fact, ...] = (
    Fact("instalments", _("Payment in instalments possible"), "coins"),
    Fact("ocmw_participation_funds", _("OCMW participation funds can pay"), "coins"),
    Fact("free_trial", _("Free trial"), "coins"),
)

SOCIAL_FACTS: tuple[Fact, ...] = (
    Fact("companion_welcome", _("A companion or buddy may come"), "companion"),
    Fact("companion_free", _("The companion comes for free"), "companion"),
    Fact("no_experience_needed", _("No experience needed"), "star"),
)

GROUPS_WELCOME: tuple[Fact, ...] = (
    Fact("welcome_women_only", _("Women only"), "people"),
    Fact("welcome_newcomers", _("Newcomers welcome"), "people"),
    Fact("welcome_seniors", _("Seniors welcome"), "people"),
    Fact("welcome_families", _("Families welcome"), "people"),
)

LANGUAGE_FACTS: tuple[Fact, ...] = (Fact("pictograms", _("Pictograms or visual explanation"), "picture"),)
