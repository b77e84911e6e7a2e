"""Writes for the catalogue: the network's places from open data, and offers."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import Page

from organisations.models import Network, Organisation

from .geo import AreaFeature, ShapeIndex, normalise_place_name, place_name_keys, read_areas, read_neighbourhoods
from .models import (
    Area,
    AreaLevel,
    District,
    Language,
    Neighbourhood,
    OfferClosedDay,
    OfferExtraCost,
    OfferPage,
    OfferSession,
    OfferTimeSlot,
    Theme,
    areas_changed,
)

DATA = Path(__file__).resolve().parent / "data"
MUNICIPALITIES_GEOJSON = DATA / "vlaanderen-brussel-gemeenten-2025.geojson"
DEELGEMEENTEN_GEOJSON = DATA / "vlaanderen-brussel-deelgemeenten-2025.geojson"
GHENT_WIJKEN_GEOJSON = DATA / "gent-wijken-ggw7.geojson"
# Antwerp's wijk level is the city's own neighbourhoods (``Neighbourhood``, with their scores), not the Flemish file's.
CITY_DRAWN_WIJKEN = frozenset({"11002"})


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def read_socio_economic_scores(path: Path) -> dict[str, int]:
    """Scores keyed by normalised neighbourhood name; the CSV spells names slightly differently."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    return {normalise_place_name(name): int(score) for name, score in rows[1:] if score.strip()}


@transaction.atomic
def neighbourhoods_load(*, geojson_path: Path, scores_path: Path | None = None) -> LoadReport:
    """Create or update districts and neighbourhoods from the city's layer; running it twice changes nothing."""
    scores = read_socio_economic_scores(scores_path) if scores_path and scores_path.exists() else {}
    report = LoadReport()
    for feature in read_neighbourhoods(geojson_path):
        district, _ = District.objects.get_or_create(
            code=feature.district_code, defaults={"name": feature.district_name}
        )
        values = {
            "name": feature.name,
            "district": district,
            "geometry": feature.geometry,
            "centroid_latitude": feature.centroid_latitude,
            "centroid_longitude": feature.centroid_longitude,
            "socio_economic_score": next((scores[key] for key in place_name_keys(feature) if key in scores), None),
        }
        existing = Neighbourhood.objects.filter(code=feature.code).first()
        if existing is None:
            Neighbourhood.objects.create(code=feature.code, **values)
            report.created += 1
        elif any(getattr(existing, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save()
            report.updated += 1
        else:
            report.unchanged += 1
    return report


def _areas_load_level(level: str, features: Iterable[AreaFeature], parents: dict[str, int | None]) -> LoadReport:
    """Create the level's new areas and update the changed ones, each kind in one statement."""
    report = LoadReport()
    existing = {area.code: area for area in Area.objects.filter(level=level)}
    new, changed = [], []
    now = timezone.now()
    for feature in features:
        values = {
            "name": feature.name,
            "parent_id": parents.get(feature.code),
            "geometry": feature.geometry,
            "centroid_latitude": feature.centroid_latitude,
            "centroid_longitude": feature.centroid_longitude,
        }
        area = existing.get(feature.code)
        if area is None:
            new.append(Area(level=level, code=feature.code, **values))
        elif any(getattr(area, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(area, key, value)
            area.updated_at = now
            changed.append(area)
        else:
            report.unchanged += 1
    Area.objects.bulk_create(new)
    if changed:
        Area.objects.bulk_update(changed, [*values, "updated_at"])
    report.created, report.updated = len(new), len(changed)
    return report


def _municipalities_holding(index: ShapeIndex, features: Iterable[AreaFeature]) -> dict[str, int | None]:
    """Each feature's municipality by polygon, not by code: 138 deelgemeenten keep the code of a municipality
    merged away (Borsbeek's 11007A lies in Antwerpen, 11002, since 2025)."""
    return {
        feature.code: index.containing(latitude=feature.centroid_latitude, longitude=feature.centroid_longitude)
        for feature in features
    }


@transaction.atomic
def areas_load(
    *,
    municipalities_path: Path = MUNICIPALITIES_GEOJSON,
    deelgemeenten_path: Path = DEELGEMEENTEN_GEOJSON,
    wijken_path: Path = GHENT_WIJKEN_GEOJSON,
    wijken_of: Iterable[str] = (),
) -> dict[str, LoadReport]:
    """Load every municipality and deelgemeente, and the wijken of the municipalities named; twice changes nothing.

    Areas a newer file no longer holds are kept: offers placed in them keep their place until placed anew.
    """
    reports = {AreaLevel.MUNICIPALITY: _areas_load_level(AreaLevel.MUNICIPALITY, read_areas(municipalities_path), {})}
    municipalities = dict(Area.objects.filter(level=AreaLevel.MUNICIPALITY).values_list("code", "pk"))
    unknown = sorted(set(wijken_of) - set(municipalities))
    if unknown:
        raise ValueError(f"No municipality with the code {', '.join(unknown)}.")
    index = ShapeIndex(Area.objects.filter(level=AreaLevel.MUNICIPALITY).values_list("pk", "geometry"))
    deelgemeenten = read_areas(deelgemeenten_path)
    reports[AreaLevel.DEELGEMEENTE] = _areas_load_level(
        AreaLevel.DEELGEMEENTE, deelgemeenten, _municipalities_holding(index, deelgemeenten)
    )
    wanted = {municipalities[code] for code in set(wijken_of) - CITY_DRAWN_WIJKEN}
    wijken = read_areas(wijken_path) if wanted else []
    parents = _municipalities_holding(index, wijken)
    wijken = [feature for feature in wijken if parents[feature.code] in wanted]
    reports[AreaLevel.WIJK] = _areas_load_level(AreaLevel.WIJK, wijken, parents)
    # Bulk writes send no signals: this process places points by the loaded areas once they are committed.
    transaction.on_commit(areas_changed)
    return reports


def offers_place_in_areas() -> list[int]:
    """Place every offer in the areas its point lies in now; returns the ids of the offers whose place changed."""
    fields = ("municipality_id", "deelgemeente_id", "wijk_id")
    changed = []
    for offer in OfferPage.objects.only("pk", "latitude", "longitude", *fields).iterator(chunk_size=1000):
        before = tuple(getattr(offer, name) for name in fields)
        offer.place_in_areas()
        if tuple(getattr(offer, name) for name in fields) != before:
            changed.append(offer)
    OfferPage.objects.bulk_update(changed, [name.removesuffix("_id") for name in fields], batch_size=1000)
    return [offer.pk for offer in changed]


def unique_child_slug(*, parent: Page, title: str) -> str:
    """A slug from the title that no sibling under this parent uses yet ('zwemmen', 'zwemmen-2', ...)."""
    base = slugify(title)[:240] or "aanbod"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, suffix = base, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


@dataclass
class OfferInput:
    """Everything needed to write an offer: its own field values and its related rows."""

    values: dict
    themes: list[Theme] = field(default_factory=list)
    languages: list[Language] = field(default_factory=list)
    time_slots: list[OfferTimeSlot] = field(default_factory=list)
    extra_costs: list[OfferExtraCost] = field(default_factory=list)
    # Dated sessions and closed days; None leaves the offer's own as they are (ways in that do not carry them).
    sessions: list[OfferSession] | None = None
    closed_days: list[OfferClosedDay] | None = None
    # The networks it is also offered to; None leaves the offer's own as they are (the imports do not carry them).
    served_networks: list[Network] | None = None


class UpsertAction(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def apply_input(offer: OfferPage, data: OfferInput) -> None:
    """Set an offer's fields and related rows (in memory, through modelcluster) from the input."""
    for name, value in data.values.items():
        setattr(offer, name, value)
    offer.themes = list(data.themes)
    offer.languages = list(data.languages)
    offer.time_slots = [
        OfferTimeSlot(weekday=s.weekday, start_time=s.start_time, end_time=s.end_time) for s in data.time_slots
    ]
    offer.extra_costs = [
        OfferExtraCost(kind=c.kind, description=c.description, amount=c.amount, required=c.required)
        for c in data.extra_costs
    ]
    if data.sessions is not None:
        offer.sessions = [OfferSession(start=s.start, end=s.end, status=s.status) for s in data.sessions]
    if data.served_networks is not None:
        offer.served_networks = list(data.served_networks)
    if data.closed_days is not None:
        offer.closed_days = [
            OfferClosedDay(start_date=d.start_date, end_date=d.end_date, description=d.description)
            for d in data.closed_days
        ]


RELATIONS = ("themes", "languages", "time_slots", "extra_costs", "sessions", "closed_days", "served_networks")


def _comparable(offer: OfferPage, data: OfferInput) -> tuple:
    """What an update could change, in a form that compares equal when nothing changed."""
    related = [
        sorted(theme.pk for theme in offer.themes.all()),
        sorted(language.pk for language in offer.languages.all()),
        sorted((slot.weekday, slot.start_time, slot.end_time) for slot in offer.time_slots.all()),
        sorted((cost.kind, cost.description, Decimal(cost.amount), cost.required) for cost in offer.extra_costs.all()),
    ]
    if data.sessions is not None:
        related.append(sorted((s.start, s.end, s.status) for s in offer.sessions.all()))
    if data.closed_days is not None:
        related.append(sorted((d.start_date, d.end_date, d.description) for d in offer.closed_days.all()))
    if data.served_networks is not None:
        related.append(sorted(network.pk for network in offer.served_networks.all()))
    return tuple(related)


def differs(offer: OfferPage, data: OfferInput) -> bool:
    for name, value in data.values.items():
        current = getattr(offer, name)
        if isinstance(current, Decimal) or isinstance(value, Decimal):
            if (current is None) != (value is None) or (current is not None and Decimal(current) != Decimal(value)):
                return True
        elif current != value:
            return True
    proposed = OfferPage()
    apply_input(proposed, OfferInput(values={}, **{k: getattr(data, k) for k in RELATIONS}))
    return _comparable(offer, data) != _comparable(proposed, data)


@transaction.atomic
def offer_create(
    *, parent: Page, data: OfferInput, by: AbstractBaseUser | None = None, publish: bool = True
) -> OfferPage:
    """Validate and create an offer under its organisation's page, as a first revision."""
    # Creations under one page wait for each other, and the tree's next path is read from the page as committed.
    parent = Page.objects.select_for_update().get(pk=parent.pk)
    offer = OfferPage()
    apply_input(offer, data)
    offer.organisation = parent.specific.organisation
    offer.slug = offer.slug or unique_child_slug(parent=parent, title=offer.title)
    offer.full_clean(exclude=["path", "depth", "neighbourhood"])
    offer.live = False  # a draft until its revision is published
    parent.add_child(instance=offer)
    revision = offer.save_revision(user=by, log_action=True)
    if publish:
        revision.publish(user=by)
        offer.refresh_from_db()
    return offer


@transaction.atomic
def offer_upsert(
    *, organisation: Organisation, data: OfferInput, by: AbstractBaseUser | None = None
) -> tuple[OfferPage, UpsertAction]:
    """Create or update the organisation's offer with this external id, and publish it.

    The external id is the partner's own id for the offer, whichever way it arrives (API, spreadsheet,
    UiTdatabank), so the same offer sent through each of them stays one offer; ``source`` records the
    last way in. Sending the same data twice changes nothing and makes no revision. The caller has
    already asked ``organisations.permissions.can_edit_for``; the lookup itself is scoped to the
    organisation, so another organisation's offer can never be reached through an external id.
    """

    def locked_offer() -> OfferPage | None:
        return (
            OfferPage.objects.select_for_update()
            .filter(organisation=organisation, external_id=data.values["external_id"])
            .first()
        )

    offer = locked_offer()
    if offer is None:
        # Two writers with the same new external id would both create it. Creating under the organisation's
        # page locks that page first, so the second waits for the first to commit and then finds its offer.
        Page.objects.select_for_update().filter(pk=organisation.page.pk).first()
        offer = locked_offer()
    if offer is None:
        return offer_create(parent=organisation.page, data=data, by=by), UpsertAction.CREATED
    return offer, offer_update(offer=offer, data=data, by=by)


@transaction.atomic
def offer_update(*, offer: OfferPage, data: OfferInput, by: AbstractBaseUser | None = None) -> UpsertAction:
    """Validate and publish the offer with these values; the same data again changes nothing and makes no revision.

    The caller has already asked ``organisations.permissions.can_edit_for`` about ``offer.organisation``.
    """
    if offer.live and not offer.has_unpublished_changes and not differs(offer, data):
        return UpsertAction.UNCHANGED
    apply_input(offer, data)
    offer.full_clean(exclude=["neighbourhood"])
    offer.save_revision(user=by, log_action=True).publish(user=by)
    offer.refresh_from_db()
    return UpsertAction.UPDATED


@transaction.atomic
def offer_unpublish(*, offer: OfferPage, by: AbstractBaseUser | None = None) -> bool:
    """Take an offer offline (never a hard delete); returns whether anything changed."""
    if not offer.live:
        return False
    offer.unpublish(user=by, log_action=True)
    return True


def ended_offers_unpublish(*, now: datetime | None = None) -> list[OfferPage]:
    """Take offline every published offer whose end date has passed or whose expiry moment has come.

    Run daily (``manage.py unpublish_ended_offers``); the offers stay, unpublished, so they leave the
    search and the feeds as any unpublished offer does and come back when a partner dates them anew.
    """
    now = now or timezone.now()
    ended = (
        OfferPage.objects.live().filter(Q(end_date__lt=timezone.localdate(now)) | Q(expire_at__lte=now)).order_by("pk")
    )
    gone = []
    for offer in ended:
        with transaction.atomic():
            if offer_unpublish(offer=offer):
                gone.append(offer)
    return gone
