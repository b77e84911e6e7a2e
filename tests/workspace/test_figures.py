"""Figures for coordinators: counts only, cells under five suppressed, as SVG bars and CSV; unmet needs grouped."""

import csv
import io

from django.urls import reverse

import pytest

from catalogue.models import Neighbourhood
from portal.workspace.models import UnmetNeed
from portal.workspace.referrals import referral_create, referral_set_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures_data(mediator_a, case_a, make_offer):
    offer = make_offer("Om de hoek")
    for index in range(6):
        referral = referral_create(
            by=mediator_a, case=case_a, offer=offer, consent=True, contact_arrangement="client_comes"
        )
        if index < 2:
            referral_set_status(by=mediator_a, referral=referral, status="participating")
    kiel = Neighbourhood.objects.get(code="ANT10")
    for _index in range(5):
        UnmetNeed.objects.create(domain="sport", neighbourhood=kiel, threshold="financial")
    UnmetNeed.objects.create(domain="culture", threshold="language")


def test_figures_show_counts_and_suppress_small_cells(client, coordinator, figures_data, login):
    """Six referrals show as 6; two reaching participation and one culture need show as 'fewer than 5'."""
    login(client, coordinator)
    response = client.get(reverse("workspace:figures"), headers={"accept-language": "en"})
    body = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "<svg" in body and "KX-4821" not in body
    assert "<td>All referrals</td><td>6<svg" in body
    assert "<td>Reached participation</td><td>fewer than 5<svg" in body
    assert "<td>Kiel</td><td>5<svg" in body
    assert body.count(">All referrals<") == 1, "each figure is written once: its bar carries no second number"


def test_csv_opens_in_belgian_excel_with_suppressed_cells_apart_from_numbers(client, coordinator, figures_data, login):
    """';' between cells, UTF-8 with BOM, headings in the interface language, and a number column of numbers only."""
    login(client, coordinator)
    response = client.get(reverse("workspace:figures_csv"), headers={"accept-language": "en"})
    text = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv") and "KX-4821" not in text
    assert text.startswith("\ufeffFigure;What;Number;Note\r\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert all(row[2] == "" or row[2].isdigit() for row in rows[1:])
    assert ["Referrals that reached participation", "Reached participation", "", "fewer than 5"] in rows
    assert any(row[1:] == ["Kiel", "5", ""] for row in rows)


def test_csv_headings_are_dutch_for_a_dutch_interface(client, coordinator, figures_data, login):
    login(client, coordinator)
    text = client.get(reverse("workspace:figures_csv"), headers={"accept-language": "nl"}).content.decode()
    assert text.startswith("\ufeffCijfer;Wat;Aantal;Opmerking\r\n")


def test_unmet_needs_grouped_for_coordinators(client, coordinator, figures_data, login):
    """Coordinators see unmet needs per neighbourhood, domain and threshold."""
    login(client, coordinator)
    body = client.get(reverse("workspace:unmet_needs"), headers={"accept-language": "en"}).content.decode()
    assert "<td>Kiel</td><td>5<svg" in body and "<td>Sport</td><td>5<svg" in body
    assert "<td>Financial</td><td>5<svg" in body


def test_mediators_cannot_see_network_figures(client, mediator_a, login):
    """Error case: figures are for coordinators; a mediator is refused."""
    login(client, mediator_a)
    assert client.get(reverse("workspace:figures")).status_code == 403
    assert client.get(reverse("workspace:figures_csv")).status_code == 403


def test_a_case_search_without_result_is_signalled_without_the_case(client, mediator_a, case_a, login):
    """An empty match list records an unmet need with place and domain only, once per version of the needs."""
    login(client, mediator_a)
    client.get(reverse("workspace:case_detail", args=[case_a.pk]))
    client.get(reverse("workspace:case_detail", args=[case_a.pk]))
    need = UnmetNeed.objects.get()
    assert need.automatic and need.neighbourhood.code == "ANT10"
    assert not any(
        field.is_relation and field.related_model.__name__ == "ClientCase" for field in UnmetNeed._meta.fields
    )


def test_mediator_notes_an_unmet_need(client, mediator_a, case_a, login):
    """A mediator notes a missing offer; an empty note is refused and writes nothing."""
    login(client, mediator_a)
    url = reverse("workspace:unmet_need_create", args=[case_a.pk])
    client.post(url, {"domain": "", "threshold": ""})
    before = UnmetNeed.objects.count()
    client.post(url, {"domain": "youth", "threshold": "practical"})
    assert UnmetNeed.objects.filter(domain="youth", threshold="practical", automatic=False).count() == 1
    assert UnmetNeed.objects.count() == before + 1
