"""Unknown is not free: an offer whose price nobody gave says so everywhere, and no price filter reads it as € 0."""

import csv
import io
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.urls import reverse

import pytest

from catalogue.jsonld import offer_jsonld
from catalogue.pricing import client_costs, is_free, price_unknown
from portal.workspace.sheet import build_sheet
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db
SEARCH = "/api/v1/search/offers"


@pytest.fixture
def unpriced(partner_a, django_capture_on_commit_callbacks):
    """A published offer of partner A whose price is unknown (a UiTdatabank document without priceInfo)."""
    with django_capture_on_commit_callbacks(execute=True):
        return OfferFactory(organisation=partner_a, title="Prijs onbekend aanbod", list_price=None)


@pytest.fixture
def indexed(unpriced, partner_a, django_capture_on_commit_callbacks):
    """The unknown-price offer and a free one, both in the search index."""
    with django_capture_on_commit_callbacks(execute=True):
        free = OfferFactory(organisation=partner_a, title="Gratis aanbod", list_price=Decimal("0"))
    return unpriced, free


def test_an_unknown_price_is_neither_free_nor_zero(unpriced):
    """pricing: unknown is not free, and every client's cost is unknown rather than 0."""
    assert price_unknown(unpriced) and not is_free(unpriced) and not unpriced.is_free
    assert set(client_costs(unpriced).values()) == {None}


def test_the_offer_page_says_the_price_is_unknown(client, unpriced):
    """The public page says "Prijs onbekend" and never "Gratis"."""
    page = client.get(unpriced.url).content.decode()
    assert "Prijs onbekend" in page
    assert "<strong>Gratis</strong>" not in page


def test_the_results_say_unknown_and_the_free_and_max_cost_filters_leave_it_out(client, indexed):
    """Search: the hit's cost is null; "free" and "at most 5 euro" find the free offer, not the unknown one."""
    unpriced, free = indexed
    every = client.get(SEARCH).json()["hits"]
    assert {hit["id"]: hit["cost_for_client"] for hit in every} == {unpriced.pk: None, free.pk: "0.00"}
    for params in ({"free": "true"}, {"max_cost": "5"}, {"max_cost": "0"}):
        assert [hit["id"] for hit in client.get(SEARCH, params).json()["hits"]] == [free.pk], params
    page = client.get(reverse("search:public")).content.decode()
    assert "Prijs onbekend" in page


def test_the_client_sheet_asks_to_check_the_price(unpriced):
    """The printed sheet says the price is not known yet instead of "you pay nothing"."""
    case = SimpleNamespace(has_uitpas=True, social_tariff=True)
    sheet = build_sheet(case, unpriced, url="https://example.test/aanbod", mediator="Mira")
    (cost,) = [section for section in sheet.sections if section.icon == "cost"]
    assert cost.lines == ["De prijs is nog niet bekend: vraag het de organisator voor je gaat."]


def test_the_json_ld_makes_no_claim_about_being_free(unpriced):
    """JSON-LD: no isAccessibleForFree and no price of 0 for an offer whose price nobody knows."""
    data = offer_jsonld(unpriced)
    assert "isAccessibleForFree" not in data
    assert all("price" not in offer for offer in data["offers"])
    priced = offer_jsonld(
        OfferFactory(organisation=unpriced.organisation, list_price=Decimal("0"), start_date=date(2026, 9, 1))
    )
    assert priced["isAccessibleForFree"] is True


def test_the_open_data_csv_says_onbekend(client, unpriced):
    """CSV: the price and free columns say "onbekend", not an empty price and "ja"."""
    body = b"".join(client.get(reverse("open_data_offers_csv")).streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body), delimiter=";"))
    (row,) = [row for row in rows if row["titel"] == unpriced.title]
    assert (row["prijs"], row["gratis"]) == ("onbekend", "onbekend")


def test_the_partner_is_asked_to_fill_in_the_price(client, editor_a, unpriced):
    """The partner's dashboard lists the offer under "price unknown: fill it in", linking to its editor."""
    client.force_login(editor_a)
    content = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Prijs onbekend: vul ze in" in content
    assert reverse("wagtailadmin_pages:edit", args=[unpriced.pk]) in content
