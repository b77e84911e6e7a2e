"""One organisation rule, asked on every path: who may change partner A's offer, and who may see its draft.

The matrix crosses every kind of caller (anonymous, partner A's and B's editors, their API keys, a
mediator, a coordinator) with every way to change an offer (admin, API, spreadsheet, UiTdatabank feed,
freshness confirmation) and every way to read one (API, open data, search). A refused attempt must
leave every offer exactly as it was; a draft must never leak. The module counts the cells it checked.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone

import pytest
from rest_framework.test import APIClient

from catalogue.importing.spreadsheet import sheet_import
from catalogue.importing.uitdatabank import uitdatabank_import
from catalogue.models import OfferPage
from organisations.services import api_key_issue
from search.indexer import index_offers
from tests.factories import OfferFactory

from .catalogue.test_import_spreadsheet import row, xlsx
from .catalogue.test_import_uitdatabank import event

pytestmark = pytest.mark.django_db

CALLERS = ["anonymous", "editor_a", "editor_b", "key_a", "key_b", "mediator", "coordinator"]
MAY_CHANGE_A = {"editor_a", "key_a", "coordinator"}
WRITES = ["admin edit", "api patch", "api unpublish", "api delete", "spreadsheet", "uitdatabank feed", "confirm"]
READS = ["api detail of the draft", "api list", "open data csv", "open data json-ld", "search api"]
CHECKED: list[tuple[str, str]] = []


def snapshot() -> list[tuple]:
    return [
        (offer.pk, offer.title, offer.live, offer.latest_revision_id, offer.revisions.count(), offer.last_confirmed)
        for offer in OfferPage.objects.order_by("pk")
    ]


@pytest.fixture
def world(partner_a, partner_b, editor_a, editor_b, mediator, coordinator):
    partner_a.email = "info@a.test"
    partner_a.save()
    published = OfferFactory(
        organisation=partner_a, title="Gepubliceerd van A", external_id="a-1", last_confirmed=date(2025, 1, 1)
    )
    draft = OfferFactory(organisation=partner_a, title="Ontwerp van A", publish=False, external_id="a-2")
    index_offers([published.pk, draft.pk])
    people = {"editor_a": editor_a, "editor_b": editor_b, "mediator": mediator, "coordinator": coordinator}
    keys = {
        "key_a": api_key_issue(organisation=partner_a, name="A", by=editor_a)[1],
        "key_b": api_key_issue(organisation=partner_b, name="B", by=editor_b)[1],
    }
    return {"partner_a": partner_a, "published": published, "draft": draft, "people": people, "keys": keys}


def api_client(world, caller: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if caller in world["keys"]:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {world['keys'][caller]}")
    elif caller in world["people"]:
        client.force_login(world["people"][caller])
    return client


def attempt(world, caller: str, action: str, client) -> bool:
    """Try one write; True when it went through, False when it was refused."""
    offer, partner = world["published"], world["partner_a"]
    person = world["people"].get(caller)
    api = api_client(world, caller)
    if action == "admin edit":
        if person is None:
            return False  # keys and visitors have no admin
        client.force_login(person)
        return client.get(f"/admin/pages/{offer.pk}/edit/").status_code == 200
    if action == "api patch":
        return api.patch(f"/api/v1/offers/{offer.pk}/", {"title": "Veranderd"}, format="json").status_code == 200
    if action == "api unpublish":
        return api.post(f"/api/v1/offers/{offer.pk}/unpublish/").status_code == 200
    if action == "api delete":
        return api.delete(f"/api/v1/offers/{offer.pk}/").status_code == 204
    if action in ("spreadsheet", "uitdatabank feed"):
        if person is None:
            return False  # imports run for a signed-in person in the admin, or for a coordinator's command
        try:
            if action == "spreadsheet":
                sheet_import(
                    organisation=partner,
                    content=xlsx(row(extern_id="a-1", titel="Van het rekenblad")),
                    filename="a.xlsx",
                    by=person,
                )
            else:
                uitdatabank_import(organisation=partner, documents=[("event", event(1))], by=person)
        except PermissionDenied:
            return False
        return True
    if action == "confirm":
        if person is None:
            return False
        client.force_login(person)
        client.post(f"/admin/catalogue/offers/{offer.pk}/confirm/")
        return OfferPage.objects.get(pk=offer.pk).last_confirmed == timezone.localdate()
    raise AssertionError(action)


@pytest.mark.parametrize("action", WRITES)
@pytest.mark.parametrize("caller", CALLERS)
def test_only_partner_a_and_coordinators_change_partner_a_offers(world, client, caller, action):
    """Error case for every caller but A's own and coordinators: refused, and nothing changed anywhere."""
    before = snapshot()
    allowed = attempt(world, caller, action, client)
    CHECKED.append((caller, action))
    # An API key acts only through the API; the other paths belong to signed-in people.
    expected = caller in MAY_CHANGE_A and (action.startswith("api ") or not caller.startswith("key_"))
    assert allowed == expected, f"{caller} {action}: {'allowed' if allowed else 'refused'}"
    if not allowed:
        assert snapshot() == before


def read(world, caller: str, action: str, client) -> str:
    draft = world["draft"]
    api = api_client(world, caller)
    if action == "api detail of the draft":
        response = api.get(f"/api/v1/offers/{draft.pk}/")
        return response.content.decode() if response.status_code == 200 else ""
    if action == "api list":
        return api.get("/api/v1/offers/", {"page_size": 200}).content.decode()
    if action == "open data csv":
        return b"".join(client.get("/open-data/offers.csv").streaming_content).decode("utf-8-sig")
    if action == "open data json-ld":
        return client.get("/open-data/offers.jsonld").content.decode()
    if action == "search api":
        return api.get("/api/v1/search/offers", {"q": "ontwerp"}).content.decode()
    raise AssertionError(action)


@pytest.mark.parametrize("action", READS)
@pytest.mark.parametrize("caller", CALLERS)
def test_partner_a_draft_never_leaks(world, client, caller, action):
    """Error case: only partner A (and coordinators, through the API) may see A's unpublished draft."""
    content = read(world, caller, action, client)
    CHECKED.append((caller, action))
    may_see = caller in MAY_CHANGE_A and action.startswith("api ") and action != "search api"
    if not may_see:
        assert "Ontwerp van A" not in content, f"{caller} sees A's draft through {action}"


def test_the_whole_matrix_was_checked():
    """Runs last in this module: every caller crossed with every write and every read."""
    assert len(CHECKED) == len(CALLERS) * (len(WRITES) + len(READS)) == 84
    assert len(set(CHECKED)) == 84
