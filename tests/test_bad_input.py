"""Bad input answered with a clear 400 (or a page with a message) naming the parameter, never a server error.

Each case is an attack from the independent test (issue 11), made as it was made.
"""

import json

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from rest_framework.test import APIClient

from catalogue.models import OfferPage
from organisations.services import api_key_issue
from tests.catalogue.test_import_spreadsheet import csv_file, row

pytestmark = pytest.mark.django_db
ENGLISH = {"accept-language": "en"}


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("query", ['"', '"zwemmen', 'a "b" c', "NEAR(", "zwem*", "\x00", "zwem\x00men"])
def test_the_site_search_answers_any_words(client, query):
    """Attack: quotes, FTS operators and a NUL byte in /zoeken/?q= give a results page or a message, not a 500."""
    response = client.get(reverse("site_search"), {"q": query}, headers=ENGLISH)
    assert response.status_code in (200, 400)
    if "\x00" in query:
        assert response.status_code == 400 and "Words" in response.content.decode()


@pytest.mark.parametrize("url", ["/aanbod/", "/api/v1/search/offers"])
@pytest.mark.parametrize("parameter", ["q", "near_neighbourhood", "districts", "themes", "languages", "organisations"])
def test_a_nul_byte_in_a_search_parameter_is_named(client, url, parameter):
    """Attack: %00 in any search parameter (near_neighbourhood=%00 broke PostgreSQL) is a 400 naming it."""
    response = client.get(url, {parameter: "\x00"}, headers=ENGLISH)
    assert response.status_code == 400
    assert parameter in response.content.decode()


@pytest.mark.parametrize("offer_id", [2**63, 2**63 + 1, 10**30])
def test_offer_ids_past_64_bits_are_not_found(client, offer_id):
    """Attack: an offer id of 2^63 or more (SQLite's integers end there) is a JSON 404, not a 500."""
    response = client.get(f"/api/v1/offers/{offer_id}/", headers=ENGLISH)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", ["/api/v1/offers/abc/", "/api/v1/offers/abc/unpublish/", "/api/v1/nothing-here/"])
def test_unknown_api_paths_answer_json(client, path):
    """Error case: a non-numeric id or an unknown path under /api/v1/ answers a JSON 404 that says so."""
    response = client.get(path, headers=ENGLISH)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


@pytest.mark.parametrize("depth", [200, 5_000, 100_000])
def test_deeply_nested_json_is_refused(partner_a, editor_a, depth):
    """Attack: JSON nested thousands deep to the API is a 400 that says the body is too deeply nested."""
    client = APIClient()
    key = api_key_issue(organisation=partner_a, name="Systeem A", by=editor_a)[1]
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}", HTTP_ACCEPT_LANGUAGE="en")
    body = '{"title": ' + "[" * depth + "]" * depth + "}"
    response = client.post("/api/v1/offers/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in json.dumps(response.json())


def test_options_on_by_external_id_with_a_key(partner_a, editor_a):
    """Attack: OPTIONS /api/v1/offers/by-external-id/0/ with an API key describes the endpoint instead of failing."""
    client = APIClient()
    key = api_key_issue(organisation=partner_a, name="Systeem A", by=editor_a)[1]
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}", HTTP_ACCEPT_LANGUAGE="en")
    response = client.options("/api/v1/offers/by-external-id/0/")
    assert response.status_code == 200
    assert "PUT" in response["Allow"]


def test_a_nul_byte_in_an_uploaded_csv_is_named(client, editor_a, partner_a, django_capture_on_commit_callbacks):
    """Attack: a CSV with a NUL byte in a cell (PostgreSQL cannot store it) is refused, naming the row."""
    client.force_login(editor_a)
    content = csv_file(row(extern_id="nul-1", titel="Zwem\x00men"))
    with django_capture_on_commit_callbacks(execute=True):  # the worker's preview job, run inline here
        response = client.post(
            reverse("catalogue_import"),
            {"organisation": partner_a.pk, "file": SimpleUploadedFile("aanbod.csv", content)},
            headers=ENGLISH,
        )
    job_page = client.get(response["Location"], headers=ENGLISH)
    assert job_page.status_code == 200
    assert "NUL" in job_page.content.decode()
    assert not OfferPage.objects.filter(external_id="nul-1").exists()


@pytest.mark.parametrize(
    "path", ["/bemiddeling/dossiers/{id}/", "/bemiddeling/dossiers/1/fiche/{id}/", "/bemiddeling/aanmeldingen/{id}/"]
)
def test_ids_past_64_bits_in_workspace_paths_are_not_found(client, coordinator, path):
    """Attack: a case, offer or intake id of 2^63 in a workspace path is a 404, not a server error on SQLite."""
    client.force_login(coordinator)
    response = client.get(path.format(id=2**63), headers=ENGLISH)
    assert response.status_code == 404
