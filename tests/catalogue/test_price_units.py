"""Prices say what they buy, the budget compares like with like, and "Gratis" means nothing compulsory costs money."""

import csv
import io
from decimal import Decimal
from types import SimpleNamespace

from django.urls import reverse

import pytest

from catalogue.jsonld import offer_jsonld
from catalogue.models import ExtraCostKind, OfferExtraCost, PriceUnit, Theme
from catalogue.openactive import offer_opportunity
from catalogue.openactive import offers as openactive_offers
from portal.workspace.sheet import build_sheet
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db
SEARCH = "/api/v1/search/offers"
NL = {"accept-language": "nl"}


@pytest.fixture
def offers(partner_a, django_capture_on_commit_callbacks):
    """A € 12-per-season class, a € 8 and a € 3 per-session offer, and a € 0 club with € 25 compulsory membership."""
    with django_capture_on_commit_callbacks(execute=True):
        return SimpleNamespace(
            season=OfferFactory(
                organisation=partner_a,
                title="Seizoensles",
                list_price=Decimal("60"),
                price_unit=PriceUnit.SEASON,
                reduced_tariff="uitpas",
                reduced_price=Decimal("12"),
            ),
            dear=OfferFactory(organisation=partner_a, title="Dure les", list_price=Decimal("8")),
            cheap=OfferFactory(organisation=partner_a, title="Goedkope les", list_price=Decimal("3")),
            member=OfferFactory(
                organisation=partner_a,
                title="Club met lidgeld",
                list_price=Decimal("0"),
                themes=[Theme.objects.get(name="Voetbal")],
                extra_costs=[OfferExtraCost(kind=ExtraCostKind.MEMBERSHIP, amount=Decimal("25"), required=True)],
            ),
        )


def test_the_results_show_the_unit_and_what_the_budget_left_out(client, offers):
    """A € 5 per-session budget keeps the per-season class, with a note, and says one offer falls outside."""
    params = {"max_cost": "5", "budget_per": "session", "uitpas": "true"}
    body = client.get(SEARCH, params).json()
    assert {hit["id"] for hit in body["hits"]} == {offers.season.pk, offers.cheap.pk, offers.member.pk}
    assert body["over_budget"] == 1
    page = client.get(reverse("search:public"), params, headers=NL).content.decode()
    assert "€\u00a012,00 per seizoen</strong>" in page
    assert "(in plaats van €\u00a060,00)" in page
    assert "Prijs per seizoen: niet vergeleken met het budget per keer" in page
    assert "1 activiteit valt buiten het budget" in page
    assert 'href="?budget_per=session&amp;uitpas=true"' in page  # the link that shows them too


def test_the_count_line_is_plural_in_dutch(client, offers):
    page = client.get(reverse("search:public"), {"max_cost": "1"}, headers=NL).content.decode()
    assert "2 activiteiten vallen buiten het budget" in page


def test_the_offer_page_card_and_sheet_show_the_unit(client, offers):
    page = client.get(offers.season.url, headers=NL).content.decode()
    assert "€\u00a060,00 per seizoen" in page and "€\u00a012,00 per seizoen" in page
    case = SimpleNamespace(has_uitpas=True, social_tariff=False)
    sheet = build_sheet(case, offers.season, url="https://example.test/aanbod", mediator="Mira")
    (cost,) = [section for section in sheet.sections if section.icon == "cost"]
    assert cost.lines[0] == "Je betaalt €\u00a012,00 per seizoen."


def test_the_json_ld_says_what_the_price_buys(offers):
    (regular, reduced) = offer_jsonld(offers.season)["offers"]
    for item, amount in ((regular, 60.0), (reduced, 12.0)):
        specification = item["priceSpecification"]
        assert specification["@type"] == "UnitPriceSpecification"
        assert specification["price"] == amount and specification["unitText"] == "season"
        assert specification["referenceQuantity"] == {"@type": "QuantitativeValue", "value": 1, "unitText": "season"}
    (regular, reduced) = openactive_offers(offers.season, url=None)
    assert regular["schema:priceSpecification"]["schema:unitText"] == "season"
    assert reduced["schema:priceSpecification"]["schema:description"] == "per seizoen"


def test_a_compulsory_membership_is_not_free(client, offers):
    """€ 0 with € 25 compulsory membership: not "Gratis" on the page, not in the free filter, not free in JSON-LD."""
    member = offers.member
    assert not member.is_free
    page = client.get(member.url, headers=NL).content.decode()
    assert "<strong>Gratis</strong>" not in page
    assert "€\u00a00,00 per keer" in page
    assert client.get(SEARCH, {"free": "true"}).json()["hits"] == []
    (hit,) = [hit for hit in client.get(SEARCH).json()["hits"] if hit["id"] == member.pk]
    assert hit["free"] is False
    assert offer_jsonld(member).get("isAccessibleForFree") is not True  # a Service (no dates) has no such property
    assert offer_opportunity(member)["isAccessibleForFree"] is False
    results = client.get(reverse("search:public"), headers=NL).content.decode()
    assert "<strong>Gratis</strong>" not in results


def test_an_optional_extra_cost_leaves_it_free(partner_a, django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        offer = OfferFactory(
            organisation=partner_a,
            list_price=Decimal("0"),
            extra_costs=[OfferExtraCost(kind=ExtraCostKind.MATERIAL, amount=Decimal("5"), required=False)],
        )
    assert offer.is_free
    assert [hit["id"] for hit in client.get(SEARCH, {"free": "true"}).json()["hits"]] == [offer.pk]


def test_a_bad_budget_unit_is_refused_naming_the_field(client):
    response = client.get(SEARCH, {"max_cost": "5", "budget_per": "week"}, headers=NL)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["budget_per"]
    assert response.json()["errors"]["budget_per"] == ['"week" is een ongeldige keuze.']
    page = client.get(reverse("search:public"), {"budget_per": "week"}, headers=NL)
    assert page.status_code == 400
    assert "<strong>Budget per</strong>" in page.content.decode()


def test_the_open_data_csv_has_the_unit_and_the_one_free_rule(client, offers):
    body = b"".join(client.get(reverse("open_data_offers_csv")).streaming_content).decode("utf-8-sig")
    rows = {row["titel"]: row for row in csv.DictReader(io.StringIO(body), delimiter=";")}
    assert rows["Seizoensles"]["prijs_per"] == "seizoen"
    assert rows["Club met lidgeld"]["gratis"] == "nee"
