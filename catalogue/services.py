"""Writes for the catalogue: loading the network's places from open data."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from wagtail.models import Page

from .geo import normalise_place_name, place_name_keys, read_neighbourhoods
from .models import District, Language, Neighbourhood, OfferExtraCost, OfferPage, OfferTimeSlot, Theme


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


def unique_child_slug(*, parent: Page, title: str) -> str:
    """A slug from the title that no sibling under this parent uses yet ('zwemmen', 'zwemmen-2', ...)."""
    base = slugify(title)[:240] or "aanbod"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, suffix = base, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


@transaction.atomic
def offer_create(
    *,
    parent: Page,
    values: dict,
    themes: Iterable[Theme] = (),
    languages: Iterable[Language] = (),
    time_slots: Iterable[OfferTimeSlot] = (),
    extra_costs: Iterable[OfferExtraCost] = (),
    by: AbstractBaseUser | None = None,
    publish: bool = True,
) -> OfferPage:
    """Validate and create an offer under its organisation's page, as a first revision."""
    offer = OfferPage(**values)
    offer.themes = list(themes)
    offer.languages = list(languages)
    offer.time_slots = list(time_slots)
    offer.extra_costs = list(extra_costs)
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
