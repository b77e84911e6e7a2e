"""Matching a client case to offers: hard needs filter through the search engine, soft needs rank, with reasons.

Hard needs (age, cost for this client, required accessibility, Dutch level) become an ``OfferQuery``
so every engine applies them the same way. The candidates are then ranked here on soft needs:
distance from the home neighbourhood within the travel range, interests, days and parts of day,
and the threshold facts the mediator ticked. Each match says in plain words why it fits and what
does not, so the mediator can explain the choice to the client.

A match that misses one of the client's firm limits (the times the client is free, how far the client can
travel, the ages of everyone who comes along) is a partial fit: it keeps its reasons, names the limit it
misses in ``gaps``, and comes after every offer that misses none of them. The case page never calls it a fit.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from catalogue import facts
from catalogue.formatting import distance, euro
from catalogue.models import Domain, OfferPage, Theme, Weekday
from catalogue.pricing import client_costs, unit_suffix
from search.engines import get_engine
from search.filters import PART_OF_DAY_LABELS
from search.query import BudgetPer, GeoPoint, OfferHit, OfferQuery, PartOfDay, Sort, part_of_day
from search.text import fold, words

from .models import ClientCase
from .referrals import welcome_scores

PAGE_SIZE = 100
MAX_PAGES = 3  # at most 300 candidates: enough to rank, small enough to load at once
DEFAULT_RANGE_KM = 5.0

# How much each soft need weighs in the ranking; the distance weighs most, as it decides if a client goes.
WEIGHT_DISTANCE = 4.0
WEIGHT_OUT_OF_RANGE = -4.0
WEIGHT_DOMAIN = 2.0
WEIGHT_THEME = 2.0
WEIGHT_TIME = 2.0
WEIGHT_TIME_MISS = -2.0
WEIGHT_THRESHOLD = 1.5
WEIGHT_FREE = 1.0
WEIGHT_ALL_AGES = 1.0
# Mediators' welcome ratings (1 to 3) move an offer at most half a point either way: a gentle nudge.
WEIGHT_WELCOME = 0.5


@dataclass
class Match:
    """One offer for this client: its search hit, its place in the ranking and why."""

    hit: OfferHit
    offer: OfferPage
    score: float
    fits: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    # The client's firm limits this offer misses, in plain words; empty for an offer that fits.
    gaps: list[str] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        return bool(self.gaps)


def case_centre(case: ClientCase) -> GeoPoint | None:
    neighbourhood = case.home_neighbourhood
    if neighbourhood is None:
        return None
    return GeoPoint(neighbourhood.centroid_latitude, neighbourhood.centroid_longitude)


def hard_query(case: ClientCase, *, page: int = 1) -> OfferQuery:
    """The search for the client's hard needs; several ages are checked afterwards, as the query takes one."""
    centre = case_centre(case)
    return OfferQuery(
        max_cost=case.budget,
        budget_per=BudgetPer(case.budget_per),
        has_uitpas=case.has_uitpas,
        social_tariff=case.social_tariff,
        accessibility=tuple(case.accessibility),
        dutch_level=case.dutch_level,
        age=case.ages[0] if len(case.ages) == 1 else None,
        near=centre,
        sort=Sort.DISTANCE if centre else Sort.RELEVANCE,
        page=page,
        page_size=PAGE_SIZE,
    )


def candidates(case: ClientCase) -> list[OfferHit]:
    """Up to ``PAGE_SIZE * MAX_PAGES`` offers that meet the hard needs, nearest first when a home is known."""
    engine = get_engine()
    hits: list[OfferHit] = []
    for page in range(1, MAX_PAGES + 1):
        result = engine.search(hard_query(case, page=page))
        hits.extend(result.hits)
        if page >= result.pages:
            break
    return hits


def match_case(case: ClientCase) -> list[Match]:
    """The offers that meet the client's hard needs, best fit first, each with its reasons."""
    hits = candidates(case)
    offers = {
        offer.pk: offer
        for offer in OfferPage.objects.filter(pk__in=[hit.id for hit in hits])
        .select_related("organisation", "neighbourhood")
        .defer("neighbourhood__geometry")
        .prefetch_related("themes", "languages", "time_slots")
    }
    context = _CaseContext(case, welcome=welcome_scores(offers))
    matches = []
    for hit in hits:
        offer = offers.get(hit.id)
        if offer is None or not context.ages_fit_any(offer):
            continue
        matches.append(context.rank(hit, offer))
    matches.sort(key=lambda match: (match.partial, -match.score, _distance(match), match.hit.title, match.hit.id))
    return matches


def narrow_matches(
    matches: list[Match], *, text: str = "", domain: str = "", theme: Theme | None = None, weekday: int | None = None
) -> list[Match]:
    """The matches that contain every word of ``text`` (title, organiser, summary, themes; accents and case
    ignored), are in ``domain``, are about ``theme`` and take place on ``weekday``; an empty narrowing keeps all."""
    terms = words(text)
    narrowed = []
    for match in matches:
        offer = match.offer
        if domain and offer.domain != domain:
            continue
        if theme is not None and theme.pk not in {item.pk for item in offer.themes.all()}:
            continue
        if weekday is not None and weekday not in {slot.weekday for slot in offer.time_slots.all()}:
            continue
        if terms:
            haystack = fold(
                " ".join(
                    [match.hit.title, match.hit.organisation or "", offer.plain_summary]
                    + [item.name for item in offer.themes.all()]
                )
            )
            if not all(term in haystack for term in terms):
                continue
        narrowed.append(match)
    return narrowed


def _distance(match: Match) -> float:
    return match.hit.distance_km if match.hit.distance_km is not None else float("inf")


class _CaseContext:
    """The case's needs, read once, and the rules that turn an offer into a score and reasons."""

    def __init__(self, case: ClientCase, *, welcome: dict[int, float]) -> None:
        self.case = case
        self.welcome = welcome
        self.range_km = case.travel_km or DEFAULT_RANGE_KM
        self.theme_ids = set(case.themes.values_list("pk", flat=True))
        self.language_codes = set(case.languages.values_list("code", flat=True))
        self.weekdays = {int(day) for day in case.weekdays}
        self.parts = set(case.parts_of_day)
        self.accessibility_labels = {fact.field: fact.label for fact in facts.ACCESSIBILITY_FACTS}

    def free_times(self) -> str:
        """When the client is free, in words: "wednesday; afternoon (12:00–17:00)"."""
        days = [str(Weekday(day).label).lower() for day in sorted(self.weekdays)]
        parts = [str(PART_OF_DAY_LABELS[PartOfDay(part)]).lower() for part in PART_OF_DAY_LABELS if part in self.parts]
        return "; ".join(part for part in (", ".join(days), ", ".join(parts)) if part)

    def ages_fit_any(self, offer: OfferPage) -> bool:
        return not self.case.ages or any(self._age_fits(offer, age) for age in self.case.ages)

    @staticmethod
    def _age_fits(offer: OfferPage, age: int) -> bool:
        return (offer.age_min is None or offer.age_min <= age) and (offer.age_max is None or age <= offer.age_max)

    def rank(self, hit: OfferHit, offer: OfferPage) -> Match:
        match = Match(hit=hit, offer=offer, score=0.0)
        for rule in (
            self._cost,
            self._distance,
            self._ages,
            self._interests,
            self._time,
            self._thresholds,
            self._accessibility,
            self._language,
            self._welcome,
        ):
            rule(match)
        return match

    def _cost(self, match: Match) -> None:
        case, offer = self.case, match.offer
        costs = client_costs(offer)
        cost = match.hit.cost_for_client
        if cost is None:
            match.misses.append(_("Price unknown: ask the organiser"))
            return
        reduced = cost < offer.list_price
        unit = unit_suffix(offer.price_unit)
        if cost == 0 and not match.hit.free:
            match.fits.append(_("No fee, but compulsory extra costs"))
        elif cost == 0:
            match.score += WEIGHT_FREE
            if not reduced:
                match.fits.append(_("Free"))
            elif case.has_uitpas and costs["cost_uitpas"] == 0:
                match.fits.append(_("Free with UiTPAS"))
            else:
                match.fits.append(_("Free with the social tariff"))
        elif reduced:
            match.fits.append(
                _("%(cost)s %(unit)s for this client instead of %(price)s")
                % {"cost": euro(cost), "unit": unit, "price": euro(offer.list_price)}
            )
        else:
            match.fits.append(_("Costs %(cost)s %(unit)s") % {"cost": euro(cost), "unit": unit})
        if match.hit.incomparable_budget:
            match.misses.append(
                _("Price %(unit)s: not compared with the budget %(budget)s")
                % {"unit": unit, "budget": BudgetPer(case.budget_per).label}
            )
        elif case.budget is not None and case.budget > 0:
            match.score += float(1 - min(cost, case.budget) / case.budget)

    def _distance(self, match: Match) -> None:
        km = match.hit.distance_km
        if km is None:
            return
        if km <= self.range_km:
            match.score += WEIGHT_DISTANCE * (1 - km / self.range_km)
            match.fits.append(_("%(distance)s from home") % {"distance": distance(km)})
        else:
            match.score += WEIGHT_OUT_OF_RANGE
            match.misses.append(
                _("%(distance)s from home: further than the client can travel") % {"distance": distance(km)}
            )
            match.gaps.append(_("further than the client can travel (%(range)s)") % {"range": distance(self.range_km)})

    def _ages(self, match: Match) -> None:
        ages = self.case.ages
        if len(ages) < 2:
            return
        outside = [age for age in ages if not self._age_fits(match.offer, age)]
        if outside:
            ages = ", ".join(str(age) for age in sorted(outside))
            match.misses.append(_("Not for age %(ages)s") % {"ages": ages})
            match.gaps.append(_("not for everyone who comes along (not for age %(ages)s)") % {"ages": ages})
        else:
            match.score += WEIGHT_ALL_AGES
            match.fits.append(_("Everyone in the family can take part"))

    def _interests(self, match: Match) -> None:
        offer = match.offer
        interested = bool(self.case.domains or self.theme_ids)
        shared = [theme for theme in offer.themes.all() if theme.pk in self.theme_ids]
        if offer.domain in self.case.domains:
            match.score += WEIGHT_DOMAIN
            match.fits.append(_("%(domain)s, which the client likes") % {"domain": Domain(offer.domain).label})
        if shared:
            match.score += WEIGHT_THEME
            match.fits.append(_("About %(themes)s") % {"themes": ", ".join(theme.name.lower() for theme in shared)})
        if interested and offer.domain not in self.case.domains and not shared:
            match.misses.append(_("Not one of the client's interests"))

    def _time(self, match: Match) -> None:
        if not (self.weekdays or self.parts):
            return
        slots = list(match.offer.time_slots.all())
        if not slots:
            return
        fitting = [
            slot
            for slot in slots
            if (not self.weekdays or slot.weekday in self.weekdays)
            and (not self.parts or str(part_of_day(slot.start_time)) in self.parts)
        ]
        if fitting:
            match.score += WEIGHT_TIME
            slot = fitting[0]
            match.fits.append(
                _("On %(day)s at %(time)s, when the client is free")
                % {"day": Weekday(slot.weekday).label.lower(), "time": slot.start_time.strftime("%H:%M")}
            )
        else:
            match.score += WEIGHT_TIME_MISS
            match.misses.append(_("Only at times the client is not free"))
            match.gaps.append(_("not when the client is free (%(free)s)") % {"free": self.free_times()})

    def _thresholds(self, match: Match) -> None:
        case, offer = self.case, match.offer
        checks = (
            (
                case.needs_contact_person,
                bool(offer.welcome_contact_name),
                _("%(name)s welcomes them") % {"name": offer.welcome_contact_name},
                _("No named person to welcome them"),
            ),
            (
                case.wants_companion,
                offer.companion_welcome,
                _("A companion may come along for free") if offer.companion_free else _("A companion may come along"),
                _("No companion can come along"),
            ),
            (case.no_experience, offer.no_experience_needed, _("No experience needed"), _("Experience may be needed")),
            (case.wants_free_trial, offer.free_trial, _("Free first try"), _("No free first try")),
            (case.needs_childcare, offer.childcare, _("Childcare during the activity"), _("No childcare")),
        )
        for needed, holds, fit, miss in checks:
            if not needed:
                continue
            if holds:
                match.score += WEIGHT_THRESHOLD
                match.fits.append(fit)
            else:
                match.misses.append(miss)

    def _accessibility(self, match: Match) -> None:
        # The engine already required these; saying so reassures the client.
        for name in self.case.accessibility:
            match.fits.append(str(self.accessibility_labels.get(name, name)))

    def _language(self, match: Match) -> None:
        offer = match.offer
        if offer.dutch_level == 0 and self.case.dutch_level is not None and self.case.dutch_level < 2:
            match.fits.append(_("No Dutch needed"))
        spoken = [language.name for language in offer.languages.all() if language.code in self.language_codes]
        if spoken:
            match.fits.append(_("They also speak %(languages)s") % {"languages": ", ".join(spoken)})

    def _welcome(self, match: Match) -> None:
        mean = self.welcome.get(match.offer.pk)
        if mean is None:
            return
        match.score += WEIGHT_WELCOME * (mean - 2)
        if mean >= 2.5:
            match.fits.append(_("Other clients felt very welcome here"))
