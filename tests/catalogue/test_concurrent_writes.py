"""Concurrent writers with the same external id, for real: threads with their own PostgreSQL connections.

Each test commits (``transaction=True``) as web workers do; eight callers start together at a barrier.
SQLite serialises all writers, so the race only exists on PostgreSQL.
"""

import threading

from django.conf import settings
from django.db import connection

import pytest
from rest_framework.test import APIClient

from catalogue.models import OfferPage
from catalogue.services import neighbourhoods_load
from organisations.roles import Role
from organisations.services import api_key_issue, membership_grant
from portal.demo import ensure_reference_data, ensure_site
from tests.factories import OrganisationFactory, UserFactory

from .test_api import OFFERS, body, upsert_url

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises all writers"),
]
CALLERS = 8


@pytest.fixture
def key(django_db_setup) -> tuple:
    # A transactional test starts from whatever the previous one left; load what the session fixture loads.
    geojson = settings.NETWORK_NEIGHBOURHOODS_GEOJSON
    neighbourhoods_load(
        geojson_path=geojson, scores_path=geojson.parent / "antwerpen-wijken-sociaaleconomische-score-2025.csv"
    )
    ensure_site()
    ensure_reference_data()
    organisation = OrganisationFactory(name="Gelijktijdig", email="info@gelijktijdig.test")
    editor = UserFactory()
    membership_grant(user=editor, organisation=organisation, role=Role.PARTNER_EDITOR)
    return organisation, api_key_issue(organisation=organisation, name="Systeem", by=editor)[1]


def all_at_once(call) -> list:
    """Run ``call`` in CALLERS threads released together; each thread's answer, or the exception it raised."""
    start = threading.Barrier(CALLERS, timeout=30)
    answers: list = []

    def run():
        try:
            start.wait()
            answers.append(call())
        except Exception as error:  # noqa: BLE001 - reported to the test thread
            answers.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def client_for(plaintext: str) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {plaintext}", HTTP_ACCEPT_LANGUAGE="en")
    return client


def test_eight_puts_of_a_new_external_id_make_one_offer_and_no_500(key):
    """Concurrency: one PUT creates, the others update or leave it unchanged, or get a 409 naming external_id."""
    organisation, plaintext = key
    answers = all_at_once(lambda: client_for(plaintext).put(upsert_url("race-1"), body(), format="json"))
    codes = sorted(answer.status_code for answer in answers)
    assert codes.count(201) == 1, codes
    assert set(codes) <= {200, 201, 409}, codes
    for answer in answers:
        if answer.status_code == 409:
            assert "external_id" in answer.json()
    assert OfferPage.objects.filter(organisation=organisation, external_id="race-1").count() == 1


def test_eight_bulk_calls_answer_every_item_and_make_each_offer_once(key):
    """Concurrency: every bulk call answers 200 with one result per item; each external id is one offer."""
    organisation, plaintext = key
    items = [body(external_id=f"race-{number}", title=f"Zwemmen {number}") for number in range(1, 6)]
    answers = all_at_once(lambda: client_for(plaintext).post(f"{OFFERS}bulk/", {"offers": items}, format="json"))
    assert [answer.status_code for answer in answers] == [200] * CALLERS
    created: dict[str, int] = {}
    for answer in answers:
        results = answer.json()["results"]
        assert [result["external_id"] for result in results] == [item["external_id"] for item in items]
        for result in results:
            assert result["status"] in {"created", "updated", "unchanged", "error"}
            if result["status"] == "error":
                assert list(result["errors"]) == ["external_id"]
            else:
                assert result["id"] is not None
            if result["status"] == "created":
                created[result["external_id"]] = created.get(result["external_id"], 0) + 1
    assert created == {item["external_id"]: 1 for item in items}
    offers = OfferPage.objects.filter(organisation=organisation)
    assert sorted(offers.values_list("external_id", flat=True)) == sorted(item["external_id"] for item in items)
