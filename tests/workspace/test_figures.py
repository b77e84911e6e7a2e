"""Figures for coordinators: counts only, cells under five suppressed, as SVG bars and CSV; unmet needs grouped."""

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
    assert "<td>All referrals</td><td>6</td>" in body
    assert "<td>Reached participation</td><td>fewer than 5</td>" in body
    assert "<td>Kiel</td><td>5</td>" in body


def test_csv_holds_only_counts_with_small_cells_suppressed(client, coordinator, figures_data, login):
    """The CSV has figure, label and count, '<5' for small cells, and never a case code."""
    login(client, coordinator)
    response = client.get(reverse("workspace:figures_csv"), headers={"accept-language": "en"})
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/csv") and "KX-4821" not in text
    assert "participation;Reached participation;<5" in text and "unmet_neighbourhood;Kiel;5" in text


def test_unmet_needs_grouped_for_coordinators(client, coordinator, figures_data, login):
    """Coordinators see unmet needs per neighbourhood, domain and threshold."""
    login(client, coordinator)
    body = client.get(reverse("workspace:unmet_needs"), headers={"accept-language": "en"}).content.decode()
    assert "<td>Kiel</td><td>5</td>" in body and "<td>Sport</td><td>5</td>" in body
    assert "<td>Financial</td><td>5</td>" in body


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
