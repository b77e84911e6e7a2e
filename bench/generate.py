"""Generate N realistic offers as real Wagtail pages on the real neighbourhoods, fast.

Creating 100,000 pages one by one through Wagtail takes hours, so this writes the page tree rows
in bulk (paths computed the way treebeard does) and the offer rows with the same values the demo
uses (``catalogue.demo.offer_draft``). The result is what the site would hold: live offer pages,
with time slots, themes and languages, under their organisations' pages.

Given ``places``, the offers lie at those points instead (anywhere in Flanders and Brussels), each
placed in its municipality, deelgemeente, wijk and Antwerp neighbourhood as saving the page does.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from wagtail.models import Locale, Page

from catalogue.demo import offer_draft
from catalogue.models import (
    AreaLevel,
    Domain,
    Language,
    Neighbourhood,
    OfferPage,
    OfferTimeSlot,
    Theme,
    _area_indexes,
    _neighbourhood_index,
    areas_version,
)
from organisations.models import Organisation

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4
BATCH = 2000


def _step(number: int) -> str:
    digits = ""
    for _ in range(STEP):
        number, remainder = divmod(number, len(ALPHABET))
        digits = ALPHABET[remainder] + digits
    return digits


@dataclass(frozen=True)
class Place:
    """A point an offer lies at, and the name of the municipality holding it."""

    latitude: float
    longitude: float
    municipality: str


class _Placing:
    """What ``OfferPage.save`` sets from the point (``area_ids_at``, ``neighbourhood_at``), from indexes built once."""

    def __init__(self) -> None:
        self.areas = _area_indexes(areas_version())
        version = tuple(Neighbourhood.objects.order_by("pk").values_list("pk", flat=True))
        self.neighbourhoods = _neighbourhood_index(version)

    def values(self, values: dict, place: Place, activity: str) -> dict:
        """The draft's values moved to this point: its title, address, neighbourhood and areas."""
        point = {"latitude": place.latitude, "longitude": place.longitude}
        areas = {level: index.containing(**point) for level, index in self.areas.items()}
        return {
            **{name: value for name, value in values.items() if name != "neighbourhood"},
            "title": f"{activity} – {place.municipality}",
            "city": place.municipality,
            "public_transport_stop": f"Halte {place.municipality}",
            **point,
            "neighbourhood_id": self.neighbourhoods.containing(**point),
            "municipality_id": areas[AreaLevel.MUNICIPALITY],
            "deelgemeente_id": areas[AreaLevel.DEELGEMEENTE],
            "wijk_id": areas[AreaLevel.WIJK],
        }


def generate_offers(count: int, *, seed: int = 7, places: Sequence[Place] | None = None) -> int:
    """Add ``count`` live offers spread over the existing organisations; returns how many were made.

    Without ``places`` they lie in Antwerp's neighbourhoods; with them, the ``count`` offers lie at those points.
    """
    if places is not None and len(places) != count:
        raise ValueError(f"{count} offers need {count} places, not {len(places)}.")
    placing = _Placing() if places is not None else None
    rng = random.Random(seed)
    organisations = list(Organisation.objects.select_related("page").order_by("pk"))
    neighbourhoods = list(Neighbourhood.objects.select_related("district").order_by("code"))
    themes_by_name = {theme.name: theme for theme in Theme.objects.all()}
    languages_by_code = {language.code: language for language in Language.objects.all()}
    content_type = ContentType.objects.get_for_model(OfferPage)
    locale = Locale.get_default()
    now = timezone.now()
    today = timezone.localdate()
    domains = list(Domain.values)
    offer_columns = [field for field in OfferPage._meta.local_concrete_fields if field.name != "page_ptr"]
    # Table and column names come from the model, values travel as parameters.
    columns = ", ".join(field.column for field in offer_columns)
    placeholders = ", ".join(["%s"] * len(offer_columns))
    insert_sql = f"INSERT INTO {OfferPage._meta.db_table} (page_ptr_id, {columns}) VALUES (%s, {placeholders})"  # noqa: S608
    next_child = {org.pk: org.page.numchild for org in organisations}
    first_number = OfferPage.objects.count()  # external ids continue after earlier runs
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        with transaction.atomic():
            pages, offers, slots, theme_links, language_links = [], [], [], [], []
            for index in range(size):
                number = first_number + made + index
                organisation = organisations[number % len(organisations)]
                neighbourhood = neighbourhoods[rng.randrange(len(neighbourhoods))]
                draft = offer_draft(
                    number=10_000_000 + number,
                    domain=rng.choice(domains),
                    neighbourhood=neighbourhood,
                    rng=rng,
                    today=today,
                )
                # offer_draft places the point inside this neighbourhood's polygon.
                values = {
                    **draft.values,
                    "organisation": organisation,
                    "source": "feed",
                    "neighbourhood": neighbourhood,
                }
                if placing is not None:
                    activity = draft.values["title"].removesuffix(f" – {neighbourhood.name}")
                    values = placing.values(values, places[made + index], activity)
                next_child[organisation.pk] += 1
                parent = organisation.page
                slug = f"bench-{number}"
                pages.append(
                    Page(
                        path=parent.path + _step(next_child[organisation.pk]),
                        depth=parent.depth + 1,
                        numchild=0,
                        title=values["title"],
                        draft_title=values["title"],
                        slug=slug,
                        content_type=content_type,
                        live=True,
                        has_unpublished_changes=False,
                        url_path=f"{parent.url_path}{slug}/",
                        first_published_at=now,
                        last_published_at=now,
                        locale=locale,
                    )
                )
                offers.append(OfferPage(**{k: v for k, v in values.items() if k != "title"}))
                slots.append(draft.time_slots)
                theme_links.append([themes_by_name[name] for name in draft.theme_names])
                language_links.append([languages_by_code[code] for code in draft.language_codes])
            Page.objects.bulk_create(pages)
            saved = Page.objects.filter(path__in=[page.path for page in pages]).values_list("path", "pk")
            pk_by_path = dict(saved)
            rows = []
            for page, offer in zip(pages, offers, strict=True):
                offer.page_ptr_id = pk_by_path[page.path]
                rows.append(
                    [offer.page_ptr_id]
                    + [field.get_db_prep_save(getattr(offer, field.attname), connection) for field in offer_columns]
                )
            with connection.cursor() as cursor:
                cursor.executemany(insert_sql, rows)
            OfferTimeSlot.objects.bulk_create(
                [
                    OfferTimeSlot(
                        offer_id=offer.page_ptr_id,
                        weekday=slot.weekday,
                        start_time=slot.start_time,
                        end_time=slot.end_time,
                        sort_order=i,
                    )
                    for offer, offer_slots in zip(offers, slots, strict=True)
                    for i, slot in enumerate(offer_slots)
                ]
            )
            OfferPage.themes.through.objects.bulk_create(
                [
                    OfferPage.themes.through(offerpage_id=offer.page_ptr_id, theme_id=theme.pk)
                    for offer, themes in zip(offers, theme_links, strict=True)
                    for theme in themes
                ]
            )
            OfferPage.languages.through.objects.bulk_create(
                [
                    OfferPage.languages.through(offerpage_id=offer.page_ptr_id, language_id=language.pk)
                    for offer, languages in zip(offers, language_links, strict=True)
                    for language in languages
                ]
            )
            for organisation in organisations:
                Page.objects.filter(pk=organisation.page.pk).update(numchild=next_child[organisation.pk])
        made += size
    return made
