"""A demo case for the demo mediator: needs, a shortlist from the matches, one referral, and reserved places
asked in every state."""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from catalogue.models import Neighbourhood, OfferPage
from organisations.models import Membership, Organisation
from organisations.roles import Role

from .matching import match_case
from .models import ClientCase, ContactArrangement, Referral, ReferralStatus
from .places import place_answer, places_lapse
from .referrals import referral_create, referral_set_status
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
    ensure_demo_reserved_places(mediator=mediator, case=case)
    return case


def ensure_demo_reserved_places(*, mediator: AbstractBaseUser, case: ClientCase) -> list[Referral]:
    """Reserved places asked for the demo case at offers whose partner has a demo editor: one still waiting,
    one confirmed, one declined, one lapsed and one used, each answered the way the partner or the night would."""
    editors = {
        membership.organisation_id: membership.user
        for membership in Membership.objects.filter(role=Role.PARTNER_EDITOR).select_related("user")
    }
    offers = [
        offer
        for offer in OfferPage.objects.live().filter(reserved_places__gt=0, organisation_id__in=editors).order_by("pk")
        if offer.reserved_places_left > 0
    ][:5]
    referrals = [
        referral_create(
            by=mediator,
            case=case,
            offer=offer,
            consent=True,
            contact_arrangement=ContactArrangement.CLIENT_COMES,
            reserve_place=True,
        )
        for offer in offers
    ]
    today = timezone.localdate()
    for index, referral in enumerate(referrals[1:], start=1):
        editor = editors[referral.partner_id]
        if index == 1:
            place_answer(by=editor, referral=referral, confirm=True)
        elif index == 2:
            place_answer(by=editor, referral=referral, confirm=False)
        elif index == 3:
            Referral.objects.filter(pk=referral.pk).update(place_answer_by=today - timedelta(days=1))
            places_lapse(today)
        else:
            referral = place_answer(by=editor, referral=referral, confirm=True)
            referral_set_status(by=mediator, referral=referral, status=ReferralStatus.FIRST_VISIT)
    return referrals
