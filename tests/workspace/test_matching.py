"""Matching a case: hard needs filter, soft needs rank, and every result says why it fits and what does not."""

from datetime import time
from decimal import Decimal

from django.utils import translation

import pytest

from catalogue.models import Domain, DutchLevel, ReducedTariff
from portal.workspace.matching import hard_query, match_case
from portal.workspace.services import case_update

pytestmark = pytest.mark.django_db


def _titles(case) -> list[str]:
    return [match.hit.title for match in match_case(case)]


def _reasons(case, title: str):
    with translation.override("en"):
        match = next(match for match in match_case(case) if match.hit.title == title)
    return match.fits, match.misses


def _update(case, by, **values):
    return case_update(by=by, case=case, values=values)


def test_nearer_offers_rank_first_when_all_else_is_equal(case_a, make_offer):
    """With equal offers, the nearest comes first and one beyond the travel range comes last, saying so."""
    make_offer("Ver", km=8)
    make_offer("Midden", km=2)
    make_offer("Dichtbij", km=0)
    make_offer("Om de hoek", km=0.8)
    assert _titles(case_a) == ["Dichtbij", "Om de hoek", "Midden", "Ver"]
    fits, _misses = _reasons(case_a, "Om de hoek")
    assert "800 m from home" in fits
    _fits, misses = _reasons(case_a, "Ver")
    assert "8.0 km from home: further than the client can travel" in misses


def test_interests_and_a_contact_person_outweigh_a_short_distance(case_a, mediator_a, make_offer):
    """A culture offer 2 km away with a named welcome beats a sport offer next door for a client who likes culture."""
    _update(case_a, mediator_a, domains=[Domain.CULTURE], needs_contact_person=True)
    make_offer("Zwemmen", km=0, domain=Domain.SPORT)
    make_offer("Toneel", km=2, domain=Domain.CULTURE, welcome_contact_name="Els")
    assert _titles(case_a) == ["Toneel", "Zwemmen"]
    fits, _misses = _reasons(case_a, "Toneel")
    assert "Culture, which the client likes" in fits and "Els welcomes them" in fits
    _fits, misses = _reasons(case_a, "Zwemmen")
    assert "Not one of the client's interests" in misses and "No named person to welcome them" in misses


def test_cost_for_this_client_filters_and_explains(case_a, mediator_a, make_offer):
    """With UiTPAS and 2 euro to spend, only offers that cost this client at most 2 euro remain."""
    _update(case_a, mediator_a, has_uitpas=True, budget=Decimal("2"))
    make_offer("Gratis met UiTPAS", list_price=Decimal("10"), reduced_tariff=ReducedTariff.UITPAS, reduced_price=0)
    make_offer("Sociaal tarief", list_price=Decimal("10"), reduced_tariff=ReducedTariff.SOCIAL, reduced_price=1)
    make_offer("Te duur", list_price=Decimal("10"))
    make_offer("Gratis", list_price=Decimal("0"))
    assert sorted(_titles(case_a)) == ["Gratis", "Gratis met UiTPAS"]
    fits, _misses = _reasons(case_a, "Gratis met UiTPAS")
    assert "Free with UiTPAS" in fits


def test_hard_needs_age_accessibility_and_dutch_filter(case_a, mediator_a, make_offer):
    """Offers for other ages, without the required access or needing more Dutch than the client has are left out."""
    _update(case_a, mediator_a, accessibility=["step_free"], dutch_level=DutchLevel.NONE)
    make_offer("Past", step_free=True)
    make_offer("Trappen")
    make_offer("Voor kinderen", step_free=True, age_max=12)
    make_offer("Veel Nederlands", step_free=True, dutch_level=DutchLevel.GOOD)
    assert _titles(case_a) == ["Past"]
    fits, _misses = _reasons(case_a, "Past")
    assert "Step-free or wheelchair accessible" in fits and "No Dutch needed" in fits
    query = hard_query(case_a)
    assert (query.age, query.accessibility, query.dutch_level) == (34, ("step_free",), 0)


def test_family_ages_keep_offers_for_anyone_and_say_who_cannot_join(case_a, mediator_a, make_offer):
    """With ages 34 and 9, a children's offer stays in but says the adult cannot join; a family offer ranks first."""
    _update(case_a, mediator_a, ages=[34, 9])
    make_offer("Voor kinderen", age_max=12)
    make_offer("Voor iedereen")
    make_offer("Voor senioren", age_min=60)
    assert _titles(case_a) == ["Voor iedereen", "Voor kinderen"]
    _fits, misses = _reasons(case_a, "Voor kinderen")
    assert "Not for age 34" in misses


def test_available_days_rank_and_explain(case_a, mediator_a, make_offer):
    """A client free on Saturday mornings gets the Saturday offer first; the Wednesday one says it does not fit."""
    _update(case_a, mediator_a, weekdays=[5], parts_of_day=["morning"])
    make_offer("Woensdag", slots=((2, time(14), time(16)),))
    make_offer("Zaterdag", km=1, slots=((5, time(10), time(12)),))
    assert _titles(case_a) == ["Zaterdag", "Woensdag"]
    fits, _misses = _reasons(case_a, "Zaterdag")
    assert "On saturday at 10:00, when the client is free" in fits
    _fits, misses = _reasons(case_a, "Woensdag")
    assert "Only at times the client is not free" in misses


def test_threshold_facts_rank_offers_that_lower_them(case_a, mediator_a, make_offer):
    """A client who wants a companion and a free try gets the offer with both first."""
    _update(case_a, mediator_a, wants_companion=True, wants_free_trial=True, no_experience=True)
    make_offer("Gewoon", km=0)
    make_offer(
        "Drempelarm", km=1, companion_welcome=True, companion_free=True, free_trial=True, no_experience_needed=True
    )
    assert _titles(case_a) == ["Drempelarm", "Gewoon"]
    fits, _misses = _reasons(case_a, "Drempelarm")
    assert {"A companion may come along for free", "Free first try", "No experience needed"} <= set(fits)


def test_distances_follow_the_language_format(case_a, make_offer):
    """Distances are written the Belgian way in Dutch (2,0 km) and the English way in English (2.0 km)."""
    make_offer("Twee kilometer", km=2)
    with translation.override("en"):
        english = match_case(case_a)[0].fits
    with translation.override("nl-be"):
        dutch = match_case(case_a)[0].fits
    assert "2.0 km from home" in english
    assert any("2,0 km" in reason for reason in dutch)
