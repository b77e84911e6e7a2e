"""One offer, four ways in: UiTdatabank, the API, a spreadsheet and the admin all reach the same offer."""

import pytest

from catalogue.models import OfferPage, Source
from organisations.services import api_key_issue

from .test_api import body, key_client, upsert_url
from .test_import_spreadsheet import apply, row, xlsx
from .test_import_uitdatabank import event, run, uuid

pytestmark = pytest.mark.django_db


def test_the_same_offer_through_every_way_in_stays_one_offer(client, partner_a, editor_a):
    """A city service's UiTdatabank event, then its own system, spreadsheet and admin: one offer throughout."""
    partner_a.email = "info@zwemclub-a.test"
    partner_a.save()
    external_id = uuid(7)

    run(partner_a, event(7))
    offer = OfferPage.objects.get(organisation=partner_a, external_id=external_id)
    assert offer.source == Source.UITDATABANK

    key = api_key_issue(organisation=partner_a, name="Eigen systeem", by=editor_a)[1]
    response = key_client(key).put(upsert_url(external_id), body(title="Zwemmen voor beginners (API)"), format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "updated"

    apply(partner_a, xlsx(row(extern_id=external_id, titel="Zwemmen voor beginners (rekenblad)")))

    client.force_login(editor_a)
    assert client.get(f"/admin/pages/{offer.pk}/edit/").status_code == 200

    offers = OfferPage.objects.filter(organisation=partner_a, external_id=external_id)
    assert offers.count() == 1
    assert offers.get().pk == offer.pk
    assert offers.get().title == "Zwemmen voor beginners (rekenblad)"
    assert offers.get().source == Source.SPREADSHEET
