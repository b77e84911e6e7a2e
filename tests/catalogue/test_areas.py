"""Places as a hierarchy: municipality, deelgemeente or district, wijk or neighbourhood, from the shipped files."""

import json

from django.core.management import call_command

import pytest

from catalogue.geo import read_areas
from catalogue.importing.bulk import offers_create
from catalogue.models import Area, AreaLevel, OfferPage, area_ids_at
from catalogue.place_panel import place_context
from catalogue.services import MUNICIPALITIES_GEOJSON, OfferInput, areas_load, offers_place_in_areas
from search.documents import offer_documents
from search.indexer import index_offers
from tests.factories import OfferFactory
from tests.factories.catalogue import offer_values

API = "/api/v1/search/offers"
# Representative points of real polygons (shapely's representative_point of the shipped files' shapes).
BINNENSTAD_GENT = (51.047944, 3.728982)  # wijk 44021W01 Binnenstad (Gent)
GELUWE = (50.827128, 3.068269)  # deelgemeente 33029B Geluwe (Wervik)
KIEL = (51.187504, 4.381627)  # Antwerp neighbourhood ANT10 Kiel


@pytest.fixture
def areas(db):
    return areas_load(wijken_of=["44021"])


def _codes(latitude: float, longitude: float) -> dict[str, str | None]:
    ids = area_ids_at(latitude=latitude, longitude=longitude)
    codes = dict(Area.objects.filter(pk__in=[pk for pk in ids.values() if pk]).values_list("pk", "code"))
    return {level: codes.get(pk) for level, pk in ids.items()}


def test_the_municipality_file_holds_285_flemish_and_19_brussels_municipalities():
    """The 2025 file: 304 municipalities, the 19 of Brussels with NIS codes 21001-21019."""
    codes = [feature.code for feature in read_areas(MUNICIPALITIES_GEOJSON)]
    brussels = [code for code in codes if code.startswith("21")]
    assert (len(codes), len(set(codes)), len(brussels)) == (304, 304, 19)
    assert {"11002", "44021", "33029", "44086", "71072"} <= set(codes)


def test_loading_counts_every_level(areas):
    """Every municipality and deelgemeente, and the wijken of Ghent only."""
    counts = {level: Area.objects.filter(level=level).count() for level in AreaLevel.values}
    assert counts == {AreaLevel.MUNICIPALITY: 304, AreaLevel.DEELGEMEENTE: 1119, AreaLevel.WIJK: 25}
    assert {level: report.created for level, report in areas.items()} == counts
    assert Area.objects.get(code="33029B").parent.code == "33029"
    assert Area.objects.get(code="44021W01").parent.name == "Gent"


def test_a_deelgemeente_belongs_to_the_municipality_it_lies_in_not_the_one_its_code_names(areas):
    """Real quirk: deelgemeenten of merged municipalities keep the old code (Borsbeek 11007A is Antwerp's now)."""
    assert Area.objects.get(code="11007A").parent.code == "11002"
    assert Area.objects.get(code="11056B").parent.name == "Beveren-Kruibeke-Zwijndrecht"
    assert not Area.objects.filter(level=AreaLevel.DEELGEMEENTE, parent=None).exists()


def test_loading_twice_changes_nothing(areas):
    again = areas_load(wijken_of=["44021"])
    assert {level: (report.created, report.updated, report.unchanged) for level, report in again.items()} == {
        AreaLevel.MUNICIPALITY: (0, 0, 304),
        AreaLevel.DEELGEMEENTE: (0, 0, 1119),
        AreaLevel.WIJK: (0, 0, 25),
    }


def test_antwerp_keeps_its_city_drawn_neighbourhoods(db):
    """Asking for Antwerp's wijken loads none: its wijk level is the city's neighbourhoods, with their scores."""
    report = areas_load(wijken_of=["11002", "44021"])
    assert report[AreaLevel.WIJK].created == 25
    assert not Area.objects.filter(level=AreaLevel.WIJK, code__startswith="11002").exists()


def test_the_command_prints_counts_and_refuses_an_unknown_municipality(db, capsys):
    call_command("load_areas")
    assert "deelgemeente: 1119 (created 1119, updated 0, unchanged 0)" in capsys.readouterr().out
    call_command("load_areas")
    output = capsys.readouterr().out
    assert "municipality: 304 (created 0, updated 0, unchanged 304)" in output
    assert "wijk: 25 (created 0, updated 0, unchanged 25)" in output
    with pytest.raises(Exception, match="99999"):
        call_command("load_areas", "--wijken-of", "99999")


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        (KIEL, {"municipality": "11002", "deelgemeente": "11002Z", "wijk": None}),
        (BINNENSTAD_GENT, {"municipality": "44021", "deelgemeente": "44021Z", "wijk": "44021W01"}),
        (GELUWE, {"municipality": "33029", "deelgemeente": "33029B", "wijk": None}),
        ((50.8467, 4.3525), {"municipality": "21004", "deelgemeente": "21004Z", "wijk": None}),  # Grand-Place
    ],
)
def test_a_point_is_placed_at_every_level(areas, point, expected):
    assert _codes(*point) == expected


def test_a_point_outside_flanders_and_brussels_has_no_area(areas):
    """Namur's citadel lies in Wallonia, which the files do not cover."""
    assert _codes(50.4586, 4.8623) == dict.fromkeys(AreaLevel.values)


def test_an_offer_is_placed_at_every_level_and_indexed_with_their_codes(areas, partner_a):
    offer = OfferFactory(organisation=partner_a, latitude=KIEL[0], longitude=KIEL[1])
    assert (offer.municipality.code, offer.deelgemeente.code, offer.wijk) == ("11002", "11002Z", None)
    assert (offer.neighbourhood.district.code, offer.neighbourhood.code) == ("ANT", "ANT10")
    (document,) = offer_documents(OfferPage.objects.filter(pk=offer.pk), site_roots=["/"])
    assert document["areas"] == ["11002", "11002Z", "ANT", "ANT10"]


def test_loading_areas_places_the_offers_already_there(areas, partner_a):
    """An offer saved before its areas were loaded gets them from the load, once."""
    offer = OfferFactory(organisation=partner_a)
    OfferPage.objects.filter(pk=offer.pk).update(municipality=None, deelgemeente=None)
    assert offers_place_in_areas() == [offer.pk]
    assert offers_place_in_areas() == []
    assert OfferPage.objects.get(pk=offer.pk).municipality.code == "11002"


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"areas": "11002"}, True),  # municipality
        ({"areas": "11002Z"}, True),  # deelgemeente
        ({"areas": "ANT"}, True),  # Antwerp district
        ({"areas": "ANT10"}, True),  # Antwerp neighbourhood
        ({"areas": ["44021W01", "11002T"]}, False),  # a Ghent wijk, Berchem
        ({"neighbourhoods": "ANT10"}, True),  # the neighbourhood filter's parameter still works
        ({"districts": "ANT"}, True),
    ],
)
def test_the_area_filter_matches_any_level(client, areas, partner_a, params, found):
    offer = OfferFactory(organisation=partner_a)
    index_offers([offer.pk])
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    assert [hit["id"] for hit in response.json()["hits"]] == ([offer.pk] if found else [])


def test_an_unknown_area_is_refused_by_name(client, areas):
    """Error case: a code no level holds gets a 400 naming the parameter."""
    response = client.get(API, {"areas": ["44021", "XYZ99"]}, headers={"accept-language": "en"})
    assert response.status_code == 400
    assert json.loads(response.content)["errors"]["areas"] == ["Unknown value: XYZ99."]


def test_the_area_facet_counts_the_municipality_and_deelgemeente(client, areas, partner_a):
    """The facet lists NIS-coded areas (Antwerp's districts and neighbourhoods have their own facets)."""
    offer = OfferFactory(organisation=partner_a)
    index_offers([offer.pk])
    facet = client.get(API, {"domains": "sport"}).json()["facets"]["areas"]
    assert {(value["value"], value["label"], value["count"]) for value in facet} == {
        ("11002", "Antwerpen", 1),
        ("11002Z", "Antwerpen (Dg.)", 1),
    }
    page = client.get("/aanbod/", {"areas": "11002Z"}, headers={"accept-language": "en"}).content.decode()
    assert 'name="areas" value="11002Z" checked' in page


def test_a_bulk_import_places_its_offers_at_every_level(areas, partner_a):
    """The spreadsheet's bulk path writes rows without ``save``: ``clean`` places them."""
    (offer,) = offers_create(parent=partner_a.page, inputs=[OfferInput(values=offer_values(title="Bulk"))])
    stored = OfferPage.objects.select_related("municipality", "deelgemeente").get(pk=offer.pk)
    assert (stored.municipality.code, stored.deelgemeente.code, stored.neighbourhood.code) == (
        "11002",
        "11002Z",
        "ANT10",
    )


def test_the_derived_place_names_every_level(areas):
    """The offer editor sees the municipality and deelgemeente even where the network has no neighbourhood."""
    context = place_context(latitude=GELUWE[0], longitude=GELUWE[1])
    assert (context["municipality"], context["deelgemeente"], context["neighbourhood"]) == (
        "Wervik",
        "Geluwe (Wervik)",
        None,
    )
    ghent = place_context(latitude=BINNENSTAD_GENT[0], longitude=BINNENSTAD_GENT[1])
    assert ghent["wijk"] == "Binnenstad (Gent)"
