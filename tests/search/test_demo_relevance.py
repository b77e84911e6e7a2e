"""Text search on the demo catalogue: the words a person types find activities, not the organiser's name."""

import pytest

from catalogue.models import OfferPage
from portal.demo import ORGANISATIONS, ensure_offers, ensure_organisations, ensure_site
from search.engines.database import DatabaseEngine
from search.indexer import reindex_all
from search.query import OfferQuery

pytestmark = pytest.mark.django_db
SWIMMING_CLUB = "Zwem- en sportclub Schijnpoort (demo)"


@pytest.fixture
def demo_catalogue() -> None:
    _home, index = ensure_site()
    ensure_offers(ensure_organisations(index))
    reindex_all()


def _words(offer: OfferPage) -> str:
    themes = " ".join(theme.name for theme in offer.themes.all())
    return f"{offer.title} {offer.plain_summary} {offer.description} {themes}".lower()


def test_zwemmen_finds_swimming_and_not_the_swimming_clubs_other_sports(demo_catalogue):
    """Case: 'zwemmen' on the demo data finds the swimming offers only; the club's other sports stay out."""
    assert any(name == SWIMMING_CLUB for name, *_rest in ORGANISATIONS)
    club_offers = OfferPage.objects.live().filter(organisation__name=SWIMMING_CLUB)
    not_swimming = [offer for offer in club_offers if "zwem" not in _words(offer)]
    assert not_swimming, "the demo club should also run offers that are not about swimming"

    result = DatabaseEngine().search(OfferQuery(text="zwemmen", page_size=100))

    hits = OfferPage.objects.filter(pk__in=[hit.id for hit in result.hits])
    assert result.total == len(result.hits) > 0
    assert all("zwem" in _words(offer) for offer in hits), [
        offer.title for offer in hits if "zwem" not in _words(offer)
    ]
    assert not {offer.pk for offer in not_swimming} & {hit.id for hit in result.hits}
    swimming = [offer for offer in OfferPage.objects.live() if "zwem" in _words(offer)]
    assert {hit.id for hit in result.hits} == {offer.pk for offer in swimming}

    # The organiser's offers are still found, all of them, through the organiser filter.
    slug = club_offers.values_list("organisation__slug", flat=True)[0]
    by_organiser = DatabaseEngine().search(OfferQuery(organisations=(slug,), page_size=100))
    assert by_organiser.total == club_offers.count()
