"""Open data: the JSON-LD list and CSV export of published offers, and the RPDE change feed."""

import csv
import io
import threading
from datetime import date, time
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

import pytest

from catalogue import feeds
from catalogue.importing.rows import COLUMN_NAMES, References, read_row
from catalogue.models import DutchLevel, FeedState, OfferFeedItem, OfferPage, ReducedTariff, Registration, Theme
from catalogue.services import offer_unpublish
from tests.catalogue.schemaorg_check import structure_errors
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

RPDE_URL = "/open-data/rpde/offers"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what is given inside a capture that executes the after-commit callbacks, as a real commit would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def _swimming(**kwargs) -> OfferPage:
    """An offer of the swimming theme: an activity opportunity, so the change feed carries it."""
    return OfferFactory(themes=[Theme.objects.get(slug="zwemmen")], **kwargs)


def _follow(client, url: str = RPDE_URL) -> tuple[list[dict], str]:
    """Every item from this URL on, following 'next' until a page is empty; returns the items and the last URL."""
    items = []
    for _page in range(100):
        body = client.get(url).json()
        if not body["items"]:
            assert body["next"].endswith(url.removeprefix("http://testserver"))
            return items, url
        items.extend(body["items"])
        url = body["next"]
    raise AssertionError("the feed never ended")


# The change feed


def test_publishing_an_offer_puts_an_updated_item_in_the_feed(client, committed, partner_a):
    """Publish: the offer appears as 'updated', an OpenActive SessionSeries (the validator's test judges its data)."""
    offer = committed(_swimming, organisation=partner_a)
    body = client.get(RPDE_URL).json()
    (item,) = body["items"]
    assert (item["state"], item["kind"], item["id"]) == ("updated", "SessionSeries", offer.pk)
    assert isinstance(item["modified"], int)
    assert item["data"]["identifier"] == str(offer.pk)
    assert item["data"]["@context"][0] == "https://openactive.io/"
    assert item["data"]["activity"][0]["prefLabel"] == "Swimming"
    assert body["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert body["next"].startswith(f"{feeds.settings.PUBLIC_BASE_URL}/open-data/rpde/offers?")  # the public host


def test_an_offer_that_is_no_activity_opportunity_stays_out_and_leaves_when_it_stops_being_one(
    client, committed, partner_a
):
    """No physical activity (no theme on the activity list): not in the feed; losing the theme leaves a tombstone."""
    committed(OfferFactory, organisation=partner_a, themes=[Theme.objects.get(name="Theater")])
    assert client.get(RPDE_URL).json()["items"] == []
    offer = committed(_swimming, organisation=partner_a)
    offer.themes.set([Theme.objects.get(name="Theater")])
    committed(lambda: offer.save_revision().publish())
    (item,) = client.get(RPDE_URL).json()["items"]
    assert (item["state"], item["kind"], item["id"]) == ("deleted", "SessionSeries", offer.pk)


def test_unpublishing_an_offer_turns_it_into_a_deleted_item(client, committed, partner_a):
    """Unpublish: the item becomes 'deleted', without data, at a later position."""
    offer = committed(_swimming, organisation=partner_a)
    before = OfferFeedItem.objects.get(offer_id=offer.pk).modified
    committed(offer_unpublish, offer=offer)
    (item,) = client.get(RPDE_URL).json()["items"]
    assert (item["state"], item["id"]) == ("deleted", offer.pk)
    assert "data" not in item
    assert item["modified"] > before


def test_deleting_an_offer_leaves_a_tombstone(client, committed, partner_a):
    """Delete: the page is gone, its item stays as 'deleted' so followers drop it too."""
    offer = committed(_swimming, organisation=partner_a)
    offer_id = offer.pk
    committed(OfferPage.objects.get(pk=offer_id).delete)
    (item,) = client.get(RPDE_URL).json()["items"]
    assert (item["state"], item["id"]) == ("deleted", offer_id)


def test_a_draft_never_published_never_appears(client, committed, partner_a):
    """A draft is not in the feed, and deleting it leaves no tombstone for something nobody saw."""
    draft = committed(_swimming, organisation=partner_a, publish=False)
    committed(OfferPage.objects.get(pk=draft.pk).delete)
    assert client.get(RPDE_URL).json()["items"] == []


def test_recording_an_unchanged_offer_changes_nothing(committed, partner_a):
    """Recording again what the feed already holds keeps the item's position."""
    offer = committed(_swimming, organisation=partner_a)
    before = OfferFeedItem.objects.get(offer_id=offer.pk).modified
    assert feeds.offer_feed_record(offer_id=offer.pk) is None
    assert OfferFeedItem.objects.get(offer_id=offer.pk).modified == before


def test_following_next_reaches_every_item_and_then_stays(client, committed, partner_a, monkeypatch):
    """Paging: 'next' leads through every item in (modified, id) order; the last page points at itself."""
    monkeypatch.setattr(feeds, "RPDE_PAGE_SIZE", 2)
    offers = [committed(_swimming, organisation=partner_a) for _ in range(5)]
    items, last_url = _follow(client)
    assert [item["id"] for item in items] == [offer.pk for offer in offers]
    positions = [(item["modified"], item["id"]) for item in items]
    assert positions == sorted(positions)
    assert client.get(last_url).json() == {"items": [], "next": last_url, "license": feeds.settings.OPEN_DATA_LICENSE}


def test_a_follower_from_an_earlier_point_sees_every_change_once(client, committed, partner_a, monkeypatch):
    """A follower that stopped at a point sees each offer changed since, once, in its latest state."""
    monkeypatch.setattr(feeds, "RPDE_PAGE_SIZE", 2)
    first, second, third = (committed(_swimming, organisation=partner_a) for _ in range(3))
    _seen, resume_url = _follow(client)

    committed(offer_unpublish, offer=second)
    new = committed(_swimming, organisation=partner_a, title="Nieuw aanbod")
    committed(OfferPage.objects.get(pk=third.pk).delete)
    for price in ("6.00", "7.00"):  # changed twice: the follower needs only the latest state
        first.list_price = Decimal(price)
        committed(lambda: first.save_revision().publish())

    items, _url = _follow(client, resume_url)
    assert [(item["id"], item["state"]) for item in items] == [
        (second.pk, "deleted"),
        (new.pk, "updated"),
        (third.pk, "deleted"),
        (first.pk, "updated"),
    ]
    assert items[-1]["data"]["offers"][0]["price"] == 7.0


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ({"afterTimestamp": "soon", "afterId": "1"}, "afterTimestamp", "Give a whole number of zero or more."),
        ({"afterTimestamp": "1", "afterId": "-3"}, "afterId", "Give a whole number of zero or more."),
        ({"afterTimestamp": "1"}, "afterId", "Give afterTimestamp and afterId together."),
        ({"since": "1"}, "since", "Unknown parameter."),
    ],
)
def test_bad_feed_parameters_are_refused_by_name(client, query, parameter, message):
    """Error case: a malformed, lone or unknown parameter gets a 400 naming it."""
    response = client.get(RPDE_URL, query, headers={"accept-language": "en"})
    assert response.status_code == 400
    assert response.json()[parameter] == [message]


def test_sync_fills_the_feed_for_offers_recorded_before_it_existed(partner_a):
    """Repair: offers whose after-commit recording never ran are added by a sync, and a second sync changes nothing."""
    offers = [_swimming(organisation=partner_a) for _ in range(2)]  # no commit: no callbacks ran
    assert OfferFeedItem.objects.count() == 0
    assert feeds.offer_feed_sync() == 2
    assert set(OfferFeedItem.objects.values_list("offer_id", flat=True)) == {offer.pk for offer in offers}
    out = StringIO()
    call_command("sync_offer_feed", stdout=out)
    assert out.getvalue().strip() == "0 feed item(s) changed."


def _in_own_connection(action) -> None:
    """Run and commit on a connection of its own: the test's transaction neither sees nor undoes it."""

    def run() -> None:
        try:
            action()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises all writers; needs row locks (PostgreSQL)")
def test_change_numbers_follow_commit_order_under_concurrency():
    """Concurrency: a change that waits for another's lock gets the next number, so no follower skips one."""
    # Two offers that have vanished since they were announced: recording them writes tombstones.
    first, second = 10**12 + 1, 10**12 + 2
    _in_own_connection(
        lambda: [
            OfferFeedItem.objects.create(offer_id=offer_id, modified=-offer_id, state=FeedState.UPDATED, data={})
            for offer_id in (first, second)
        ]
    )
    holding, release = threading.Event(), threading.Event()

    def slow_writer() -> None:
        with transaction.atomic():
            feeds.offer_feed_record(offer_id=first)
            holding.set()
            release.wait(timeout=30)
        connection.close()

    slow = threading.Thread(target=slow_writer)
    slow.start()
    holding.wait(timeout=30)

    def waiting_writer() -> None:
        feeds.offer_feed_record(offer_id=second)
        connection.close()

    waiting = threading.Thread(target=waiting_writer)
    waiting.start()
    try:
        waiting.join(timeout=1)
        assert waiting.is_alive(), "the second change must wait for the first one's lock"
        assert set(OfferFeedItem.objects.filter(offer_id__in=[first, second]).values_list("state", flat=True)) == {
            FeedState.UPDATED
        }
    finally:
        release.set()
        slow.join()
        waiting.join()
    try:
        numbers = dict(OfferFeedItem.objects.filter(offer_id__in=[first, second]).values_list("offer_id", "modified"))
        assert 0 < numbers[first] < numbers[second]
    finally:
        _in_own_connection(lambda: OfferFeedItem.objects.filter(offer_id__in=[first, second]).delete())


# The JSON-LD list and the CSV export


@pytest.fixture
def mixed_catalogue(committed, partner_a, partner_b):
    """Two published offers, a draft and an unpublished one."""
    published = [
        committed(OfferFactory, organisation=partner_a, title="Gepubliceerd A"),
        committed(OfferFactory, organisation=partner_b, title="Gepubliceerd B", list_price=Decimal("12.50")),
    ]
    committed(OfferFactory, organisation=partner_a, title="Nog een ontwerp", publish=False)
    gone = committed(OfferFactory, organisation=partner_b, title="Niet meer")
    committed(offer_unpublish, offer=gone)
    return published


def test_the_json_ld_list_holds_only_published_offers(client, mixed_catalogue):
    """Exports: the DataFeed lists the published offers only, and passes the structure check."""
    response = client.get(reverse("open_data_offers_jsonld"))
    assert response["Content-Type"] == "application/ld+json"
    document = response.json()
    assert [event["name"] for event in document["dataFeedElement"]] == ["Gepubliceerd A", "Gepubliceerd B"]
    assert structure_errors(document) == []


def test_the_json_ld_list_is_paginated(client, mixed_catalogue, monkeypatch):
    """Paging: page 1 links to page 2 in the body (Hydra) and in a Link header; the last page has no next."""
    monkeypatch.setattr(feeds, "JSONLD_PAGE_SIZE", 1)
    first = client.get(reverse("open_data_offers_jsonld"))
    next_url = first.json()["hydra:view"]["hydra:next"]
    assert first["Link"] == f'<{next_url}>; rel="next"'
    second = client.get(next_url).json()
    assert [event["name"] for event in second["dataFeedElement"]] == ["Gepubliceerd B"]
    assert "hydra:next" not in second["hydra:view"]


@pytest.mark.parametrize(
    ("query", "status", "parameter"),
    [
        ({"page": "0"}, 400, "page"),
        ({"page": "twee"}, 400, "page"),
        ({"page": "99"}, 404, "page"),
        ({"p": "1"}, 400, "p"),
    ],
)
def test_bad_list_parameters_are_refused_by_name(client, query, status, parameter):
    """Error case: a bad or unknown page parameter is named; a page past the end is not found."""
    response = client.get(reverse("open_data_offers_jsonld"), query, headers={"accept-language": "en"})
    assert response.status_code == status
    assert parameter in response.json()


def _csv(client) -> tuple[bytes, list[dict]]:
    response = client.get(reverse("open_data_offers_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(response.streaming_content)
    return raw, list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_export_holds_only_published_offers(client, mixed_catalogue):
    """Exports: one row per published offer, nothing of drafts or unpublished offers."""
    _raw, rows = _csv(client)
    assert [row["titel"] for row in rows] == ["Gepubliceerd A", "Gepubliceerd B"]
    assert [row["id"] for row in rows] == [str(offer.pk) for offer in mixed_catalogue]


def test_the_csv_export_speaks_the_spreadsheet_dialect(client, mixed_catalogue):
    """Format: UTF-8 with BOM, semicolons, the template's Dutch column names and words, decimal commas."""
    raw, rows = _csv(client)
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw.decode("utf-8-sig").splitlines()[0].split(";")
    export_only = {"id", "organisatie", "gratis", "wijk", "wijkcode", "district", "laatst_bevestigd"}
    export_only |= {"laatst_gepubliceerd", "link"}
    assert set(header) - export_only <= set(COLUMN_NAMES)
    assert rows[1]["prijs"] == "12,50"
    assert rows[1]["wijkcode"] == "ANT10"
    assert (rows[0]["domein"], rows[0]["prijs_per"], rows[0]["gratis"]) == ("sport", "beurt", "nee")
    assert rows[0]["momenten"] == "wo 14:00-16:00"


def test_an_exported_row_reads_back_through_the_import_template(client, committed, partner_a):
    """Round trip: the spreadsheet import reads an exported row into the same offer values."""
    offer = committed(
        OfferFactory,
        organisation=partner_a,
        external_id="ZWEM-01",
        list_price=Decimal("40.00"),
        price_unit="season",
        reduced_tariff=ReducedTariff.BOTH,
        reduced_price=Decimal("8.00"),
        start_date=date(2026, 9, 1),
        end_date=date(2027, 6, 30),
        step_free=True,
        dutch_level=DutchLevel.BASIC,
        registration=Registration.WALK_IN,
    )
    _raw, (row,) = _csv(client)
    item = read_row(row, row=3, refs=References())
    assert item.errors == []
    values = item.data.values
    assert item.external_id == "ZWEM-01"
    for name in ("title", "list_price", "price_unit", "reduced_tariff", "reduced_price", "start_date", "end_date"):
        assert values[name] == getattr(offer, name), name
    assert (values["step_free"], values["dutch_level"], values["registration"]) == (True, 1, "walk_in")
    assert values["latitude"] == pytest.approx(offer.latitude)
    assert [(slot.weekday, slot.start_time) for slot in item.data.time_slots] == [(2, time(14))]


def test_the_csv_export_refuses_parameters(client):
    """Error case: the export takes no parameters and names the one it got."""
    response = client.get(reverse("open_data_offers_csv"), {"page": "2"})
    assert response.status_code == 400
    assert "page" in response.json()
