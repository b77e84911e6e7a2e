"""A demo case for the demo mediator: needs, a shortlist from the matches, and one referral."""

from django.contrib.auth.models import AbstractBaseUser

from catalogue.models import Neighbourhood
from organisations.models import Organisation

from .matching import match_case
from .models import ClientCase, ContactArrangement
from .referrals import referral_create
from .services import case_create, shortlist_add

DEMO_CASE_CODE = "DEM-0001"


def ensure_demo_case(*, mediator: AbstractBaseUser, organisation: Organisation) -> ClientCase:
    """Idempotent: the case is made once, with the two best matches shortlisted and the first referred."""
    existing = ClientCase.objects.filter(organisation=organisation, code=DEMO_CASE_CODE).first()
    if existing:
        return existing
    case = case_create(
        by=mediator,
        organisation=organisation,
        values={
            "code": DEMO_CASE_CODE,
            "ages": [34, 9],
            "has_uitpas": True,
            "home_neighbourhood": Neighbourhood.objects.get(code="ANT10"),
            "travel_km": 3,
            "dutch_level": 1,
            "domains": ["sport", "culture"],
            "weekdays": [2, 5],
            "parts_of_day": ["afternoon"],
        },
    )
    matches = match_case(case)[:2]
    for match in matches:
        shortlist_add(by=mediator, case=case, offer=match.offer)
    if matches:
        referral_create(
            by=mediator,
            case=case,
            offer=matches[0].offer,
            consent=True,
            contact_arrangement=ContactArrangement.MEDIATOR_COMES_ALONG,
            first_visit_wishes="Wil graag eerst komen kijken, samen met haar dochter.",
        )
    return case
