"""The live pull from UiTdatabank's Search API v3: over real HTTP to a local server, incremental, recorded per run."""

import copy
import json
import socket
from datetime import datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import Revision

import pytest

from catalogue.importing.tasks import (
    next_pull_at,
    pull_from_uitdatabank,
    pull_uitdatabank_nightly,
    schedule_uitdatabank_pull,
)
from catalogue.importing.uitdatabank_api import MODIFIED_MARGIN, PullRefused, uitdatabank_pull
from catalogue.models import ImportStatus, Neighbourhood, OfferPage, UitdatabankPull
from tests.uitdatabank_search import API_KEY, serve

DATA = Path(__file__).parent / "data" / "uitdatabank"
ORGANIZER = "5e0b3f9c-5947-46a0-b8f2-a1a5a37f3b83"  # the organizer of publiq's test documents
OTHER_ORGANIZER = "7d1f485d-dab5-4ad2-8894-322060a2bc52"
LONG_AGO = "2020-01-06T09:00:00+01:00"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def placed(file: str, number: int, *, organizer: str = ORGANIZER, **changes) -> dict:
    """One of publiq's test documents, renumbered, of ``organizer``, at a real address in Kiel (Antwerp)."""
    document = json.loads((DATA / file).read_text(encoding="utf-8"))
    kind = "place" if document.get("@type") == "Place" else "event"
    document["@id"] = f"https://io.uitdatabank.be/{kind}/00000000-0000-4000-8000-{number:012d}"
    document["name"] = {"nl": f"{kind.capitalize()} {number}"}
    document["organizer"] = {"@id": f"https://io.uitdatabank.be/organizers/{organizer}", "name": {"nl": "Zwemclub"}}
    document["modified"] = LONG_AGO
    kiel = Neighbourhood.objects.get(code="ANT10")
    venue = document if kind == "place" else document["location"]
    venue["geo"] = {"latitude": kiel.centroid_latitude, "longitude": kiel.centroid_longitude}
    venue["address"] = {
        "nl": {
            "addressCountry": "BE",
            "addressLocality": "Antwerpen",
            "postalCode": "2020",
            "streetAddress": "Schijfwerpersstraat 2",
        }
    }
    document.update(changes)
    return copy.deepcopy(document)


def event(number: int, **kwargs) -> dict:
    return placed("event/original-permanent-with-opening-hours.json", number, **kwargs)


def place(number: int, **kwargs) -> dict:
    return placed("place/original-with-opening-hours.json", number, **kwargs)


@pytest.fixture(scope="module")
def search_api_server():
    yield from serve()


@pytest.fixture(autouse=True)
def _only_this_machine(monkeypatch):
    """No connection and no name lookup leaves 127.0.0.1 while these tests run."""
    connect, lookup = socket.socket.connect, socket.getaddrinfo

    def local_connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in ("127.0.0.1", "::1"):
            raise AssertionError(f"A test tried to reach {address}")
        return connect(sock, address)

    def local_lookup(host, *args, **kwargs):
        if host not in ("127.0.0.1", "localhost", "::1", None):
            raise AssertionError(f"A test tried to look up {host}")
        return lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", local_connect)
    monkeypatch.setattr(socket, "getaddrinfo", local_lookup)


@pytest.fixture
def search_api(search_api_server, settings):
    """The portal pulls from the local Search API, which holds four events and three places of the partner's
    organizer and one event of another organizer, and answers at most three per page."""
    server = search_api_server
    server.events[:] = [event(1), event(2), event(3), event(4), event(9, organizer=OTHER_ORGANIZER)]
    server.places[:] = [place(5), place(6), place(7)]
    server.max_limit, server.delay, server.status_override, server.failing_from = 3, 0.0, None, 0
    server.requests.clear()
    server.api_keys.clear()
    settings.UITDATABANK_SEARCH_URL = server.url
    settings.UITDATABANK_API_KEY = API_KEY
    settings.UITDATABANK_TIMEOUT = 1.0
    settings.UITDATABANK_PAGE_SIZE = 50
    return server


@pytest.fixture
def partner(partner_a):
    partner_a.uitdatabank_organizer_id = ORGANIZER
    partner_a.email = "info@zwemclub-a.test"
    partner_a.save()
    return partner_a


def live_titles(organisation) -> list[str]:
    return sorted(OfferPage.objects.live().filter(organisation=organisation).values_list("title", flat=True))


ALL_SEVEN = ["Event 1", "Event 2", "Event 3", "Event 4", "Place 5", "Place 6", "Place 7"]


@pytest.mark.django_db
def test_the_first_pull_imports_the_partners_events_and_places(search_api, partner):
    """The first run asks for everything of the partner's organizer, page by page, and creates each offer."""
    run = uitdatabank_pull(organisation=partner)
    assert run.status == ImportStatus.DONE and run.full and run.modified_from is None
    assert (run.received, run.created, run.updated, run.unchanged, run.refused) == (7, 7, 0, 0, 0)
    assert live_titles(partner) == ALL_SEVEN  # the other organizer's event 9 is not asked for
    asked = [(path, query["start"], query["limit"]) for path, query in search_api.requests]
    assert asked == [("/events/", ["0"], ["50"]), ("/events/", ["3"], ["50"]), ("/places/", ["0"], ["50"])]
    for _path, query in search_api.requests:
        assert query["organizerId"] == [ORGANIZER] and query["embed"] == ["true"] and "modifiedFrom" not in query
    assert search_api.api_keys == [API_KEY] * 3


@pytest.mark.django_db
def test_the_second_pull_asks_only_for_what_changed_and_changes_nothing(search_api, partner):
    """A later run sends modifiedFrom (the last successful run's start, less a margin) and writes nothing."""
    first = uitdatabank_pull(organisation=partner)
    revisions = Revision.objects.count()
    search_api.requests.clear()
    second = uitdatabank_pull(organisation=partner)
    assert second.status == ImportStatus.DONE and not second.full
    assert second.modified_from == first.started_at - MODIFIED_MARGIN
    assert {query["modifiedFrom"][0] for _path, query in search_api.requests} == {
        second.modified_from.isoformat(timespec="seconds")
    }
    assert (second.received, second.created, second.updated, second.unpublished) == (0, 0, 0, 0)
    assert Revision.objects.count() == revisions
    assert live_titles(partner) == ALL_SEVEN  # nothing is taken offline for being absent from a partial answer


@pytest.mark.django_db
def test_a_document_changed_in_uitdatabank_updates_its_offer(search_api, partner):
    """The changed event comes back on the next run, alone, and its offer is updated; the rest is untouched."""
    uitdatabank_pull(organisation=partner)
    search_api.events[1] = event(2, name={"nl": "Event 2, nieuw uur"}, modified=timezone.now().isoformat())
    run = uitdatabank_pull(organisation=partner)
    assert (run.received, run.updated, run.created, run.unchanged) == (1, 1, 0, 0)
    assert "Event 2, nieuw uur" in live_titles(partner) and "Event 2" not in live_titles(partner)
    assert len(live_titles(partner)) == 7


@pytest.mark.django_db
def test_a_full_pull_takes_offline_what_uitdatabank_no_longer_answers(search_api, partner):
    """--full asks for everything again; an offer UiTdatabank no longer holds goes offline then, not before."""
    uitdatabank_pull(organisation=partner)
    del search_api.places[2]
    assert uitdatabank_pull(organisation=partner).unpublished == 0
    run = uitdatabank_pull(organisation=partner, full=True)
    assert run.full and run.modified_from is None
    assert (run.received, run.unchanged, run.unpublished) == (6, 6, 1)
    assert "Place 7" not in live_titles(partner)


@pytest.mark.django_db
def test_a_full_pull_answered_with_nothing_takes_nothing_offline(search_api, partner):
    """Error case: an empty answer to a full pull is not read as "everything ended": the run fails, offers stay."""
    uitdatabank_pull(organisation=partner)
    search_api.events.clear()
    search_api.places.clear()
    with translation.override("en"):
        run = uitdatabank_pull(organisation=partner, full=True)
    assert (run.status, run.received, run.unpublished) == (ImportStatus.FAILED, 0, 0)
    assert run.error == "The feed holds no documents."
    assert live_titles(partner) == ALL_SEVEN


@pytest.mark.django_db
@pytest.mark.parametrize("failing_from", [0, 1])
def test_a_server_error_records_a_failed_run_and_writes_nothing(search_api, partner, failing_from):
    """Error case: a 500 on the first page or a later one fails the run, which wrote no offer."""
    search_api.status_override, search_api.failing_from = 500, failing_from
    with translation.override("en"):
        run = uitdatabank_pull(organisation=partner)
    assert run.status == ImportStatus.FAILED and run.finished_at is not None
    assert run.error == "UiTdatabank answered HTTP 500 to events; nothing was changed."
    assert not OfferPage.objects.filter(organisation=partner).exists()


@pytest.mark.django_db
def test_a_timeout_records_a_failed_run_and_the_next_run_is_full_again(search_api, partner, settings):
    """Error case: an answer later than the timeout fails the run; a failed run is not the base of the next."""
    settings.UITDATABANK_TIMEOUT = 0.2
    search_api.delay = 1.0
    with translation.override("en"):
        failed = uitdatabank_pull(organisation=partner)
    assert failed.status == ImportStatus.FAILED
    assert failed.error.startswith("UiTdatabank could not be read (events: ")
    assert not OfferPage.objects.filter(organisation=partner).exists()
    search_api.delay = 0.0
    settings.UITDATABANK_TIMEOUT = 1.0
    run = uitdatabank_pull(organisation=partner)
    assert run.full and run.created == 7


@pytest.mark.django_db
def test_a_wrong_api_key_fails_the_run(search_api, partner, settings):
    """Error case: the API refuses a key it does not know (401), and the run says so."""
    settings.UITDATABANK_API_KEY = "not-the-key"
    with translation.override("en"):
        run = uitdatabank_pull(organisation=partner)
    assert run.error == "UiTdatabank answered HTTP 401 to events; nothing was changed."
    assert search_api.api_keys == ["not-the-key"]


@pytest.mark.django_db
def test_a_label_selects_the_offers(search_api, partner_b):
    """An organisation linked by a label only gets the documents with that label (visible or hidden)."""
    search_api.places[0]["labels"] = ["vrijetijdsnet-b"]
    search_api.events[0]["hiddenLabels"] = ["vrijetijdsnet-b"]
    partner_b.uitdatabank_label = "vrijetijdsnet-b"
    partner_b.email = "info@b.test"
    partner_b.save()
    run = uitdatabank_pull(organisation=partner_b)
    assert run.created == 2 and live_titles(partner_b) == ["Event 1", "Place 5"]
    assert {tuple(query["labels[]"]) for _path, query in search_api.requests} == {("vrijetijdsnet-b",)}
    assert all("organizerId" not in query for _path, query in search_api.requests)


@pytest.mark.django_db
def test_a_refused_document_is_recorded_with_its_reasons(search_api, partner):
    """Error case: a document the catalogue cannot take is refused, named, with its field; the others come in."""
    search_api.events[0]["calendarType"] = "foobar"
    with translation.override("en"):
        run = uitdatabank_pull(organisation=partner)
    assert (run.status, run.created, run.refused) == (ImportStatus.DONE, 6, 1)
    (refusal,) = run.refusals
    assert refusal["external_id"] == "00000000-0000-4000-8000-000000000001"
    assert any("calendarType" in message for message in refusal["errors"])
    assert "calendarType" in run.get_refusals_display()


@pytest.mark.django_db
def test_an_organisation_not_linked_is_refused_naming_the_fields(search_api, partner_b):
    """Error case: without an organizer id or a label there is nothing to pull, and the error says what to fill in."""
    with translation.override("en"), pytest.raises(PullRefused, match="uitdatabank_organizer_id"):
        uitdatabank_pull(organisation=partner_b)
    assert not UitdatabankPull.objects.exists()


@pytest.mark.django_db
def test_a_malformed_organizer_id_is_refused_naming_the_field(partner_a):
    """Error case: an organizer id that is not a UiTdatabank id is refused on the organisation's form."""
    partner_a.uitdatabank_organizer_id = "https://www.uitinvlaanderen.be/agenda/zwemclub"
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        partner_a.full_clean()
    assert list(refused.value.message_dict) == ["uitdatabank_organizer_id"]


@pytest.mark.django_db
def test_the_command_pulls_and_reports_and_fails_on_a_failed_run(search_api, partner):
    """``pull_uitdatabank`` prints each run's counts; --full asks for everything; a failed run exits non-zero."""
    out = StringIO()
    call_command("pull_uitdatabank", "--organisation", partner.slug, stdout=out)
    assert f"{partner.slug} (full): received 7, created 7, updated 0, unchanged 0" in out.getvalue()
    out = StringIO()
    call_command("pull_uitdatabank", stdout=out)  # every linked organisation
    assert f"{partner.slug} (changed since " in out.getvalue()
    out = StringIO()
    call_command("pull_uitdatabank", "--full", stdout=out)
    assert f"{partner.slug} (full): received 7, created 0, updated 0, unchanged 7" in out.getvalue()
    search_api.status_override = 503
    with pytest.raises(CommandError, match=partner.slug):
        call_command("pull_uitdatabank", stdout=StringIO())


@pytest.mark.django_db
def test_the_command_refuses_when_the_pull_is_switched_off(partner, settings):
    """Error case: without an API key the command says which settings to set, and records no run."""
    settings.UITDATABANK_API_KEY = ""
    with translation.override("en"), pytest.raises(CommandError, match="UITDATABANK_API_KEY"):
        call_command("pull_uitdatabank", stdout=StringIO())
    assert not UitdatabankPull.objects.exists()


@pytest.mark.django_db
def test_the_worker_task_pulls_one_organisation(search_api, partner):
    """The background task runs the same pull and returns the recorded run."""
    result = pull_from_uitdatabank.enqueue(partner.pk)
    assert UitdatabankPull.objects.get(pk=result.return_value).created == 7


@pytest.mark.django_db
def test_the_nightly_pull_is_full_once_a_week_so_a_refused_document_is_asked_again(search_api, partner, settings):
    """On UITDATABANK_FULL_PULL_WEEKDAY the night's pull asks for everything, not only what changed."""
    today = timezone.localdate().isoweekday()
    settings.UITDATABANK_FULL_PULL_WEEKDAY = today % 7 + 1
    pull_uitdatabank_nightly.enqueue()
    pull_uitdatabank_nightly.enqueue()
    settings.UITDATABANK_FULL_PULL_WEEKDAY = today
    pull_uitdatabank_nightly.enqueue()
    runs = UitdatabankPull.objects.filter(organisation=partner).order_by("started_at")
    assert [run.full for run in runs] == [True, False, True]


def test_the_nightly_pull_is_at_the_pull_hour_local_time(settings):
    """The next run is at UITDATABANK_PULL_HOUR o'clock in the portal's time zone, today or tomorrow."""
    settings.UITDATABANK_PULL_HOUR = 3
    brussels = ZoneInfo("Europe/Brussels")
    evening = datetime(2026, 3, 28, 22, 0, tzinfo=brussels)
    assert next_pull_at(evening) == datetime(2026, 3, 29, 3, 0, tzinfo=brussels)
    night = datetime(2026, 3, 29, 1, 0, tzinfo=brussels)
    assert next_pull_at(night) == datetime(2026, 3, 29, 3, 0, tzinfo=brussels)


def test_tasks_run_inline_hold_no_nightly_pull(settings):
    """With the inline backend of development and tests nothing is queued; the command runs it by hand."""
    settings.UITDATABANK_SEARCH_URL, settings.UITDATABANK_API_KEY = "http://127.0.0.1:9", API_KEY
    assert schedule_uitdatabank_pull() is False


@pytest.mark.django_db
def test_the_partner_sees_its_own_pulls_and_the_coordinator_every_one(
    search_api, client, editor_a, partner, partner_b, coordinator
):
    """Partner A lists only A's runs, with the link and the counts; a coordinator lists every organisation's."""
    uitdatabank_pull(organisation=partner)
    other = UitdatabankPull.objects.create(
        organisation=partner_b, started_at=timezone.now(), status=ImportStatus.FAILED
    )
    client.force_login(editor_a)
    response = client.get(reverse("uitdatabank_pulls:index"), **ENGLISH)
    assert response.status_code == 200
    assert list(response.context["object_list"]) == list(UitdatabankPull.objects.filter(organisation=partner))
    assert ORGANIZER in response.content.decode()
    own = UitdatabankPull.objects.get(organisation=partner)
    assert client.get(reverse("uitdatabank_pulls:inspect", args=[own.pk]), **ENGLISH).status_code == 200
    assert client.get(reverse("uitdatabank_pulls:inspect", args=[other.pk]), **ENGLISH).status_code == 404
    client.force_login(coordinator)
    response = client.get(reverse("uitdatabank_pulls:index"), **ENGLISH)
    assert set(response.context["object_list"]) == {own, other}


@pytest.mark.django_db
def test_a_coordinator_links_an_organisation_in_the_admin_and_a_partner_cannot(
    client, coordinator, editor_a, partner_a
):
    """The Network menu's organisation form takes the organizer id and label; a malformed id is refused, named."""
    url = f"/admin/snippets/organisations/organisation/edit/{partner_a.pk}/"
    form = {"name": partner_a.name, "slug": partner_a.slug, "kind": partner_a.kind}
    client.force_login(editor_a)
    assert client.get(url).status_code in (302, 403)
    client.force_login(coordinator)
    response = client.post(url, {**form, "uitdatabank_organizer_id": "zwemclub-a"}, **ENGLISH)
    assert response.status_code == 200 and "uitdatabank_organizer_id" in response.context["form"].errors
    response = client.post(url, {**form, "uitdatabank_organizer_id": ORGANIZER, "uitdatabank_label": "vtn-a"})
    assert response.status_code == 302
    partner_a.refresh_from_db()
    assert (partner_a.uitdatabank_organizer_id, partner_a.uitdatabank_label) == (ORGANIZER, "vtn-a")
