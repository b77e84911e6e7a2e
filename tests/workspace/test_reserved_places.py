"""Reserved places ("kansenplaatsen"): asked with a referral, confirmed, declined or lapsed, and the offer's counts."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

import pytest

from catalogue.models import Availability, OfferPage
from portal.workspace.annual import annual_figures
from portal.workspace.figures import reserved_places_by_partner
from portal.workspace.models import AuditEntry, PlaceStatus, Referral, ReferralStatus
from portal.workspace.places import place_answer, places_lapse
from portal.workspace.referrals import referral_create, referral_set_status
from portal.workspace.tasks import next_lapse_at, schedule_places_lapse

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


@pytest.fixture
def offer(make_offer):
    return make_offer(
        "Zwemles met kansenplaatsen",
        referral_contact_email="onthaal@zwemclub.test",
        list_price=Decimal("40"),
        capacity=2,
        reserved_places=2,
        reserved_price=Decimal("4"),
    )


@pytest.fixture
def ask(case_a, mediator_a, django_capture_on_commit_callbacks):
    def request(offer: OfferPage) -> Referral:
        with django_capture_on_commit_callbacks(execute=True):
            return referral_create(
                by=mediator_a,
                case=case_a,
                offer=offer,
                consent=True,
                contact_arrangement="client_comes",
                reserve_place=True,
            )

    return request


def _fresh(offer: OfferPage) -> OfferPage:
    return OfferPage.objects.get(pk=offer.pk)


def test_a_request_holds_a_kept_place_and_tells_the_partner_by_when(ask, offer, settings):
    """A reserved place asked with the referral holds one kept place; the partner's mail says the answer date."""
    referral = ask(offer)
    assert referral.place_status == PlaceStatus.REQUESTED and referral.place_price == Decimal("4")
    assert referral.place_answer_by == timezone.localdate() + timedelta(days=settings.RESERVED_PLACE_ANSWER_DAYS)
    assert _fresh(offer).reserved_places_left == 1
    assert "lapses" in mail.outbox[0].body or "vervalt" in mail.outbox[0].body


def test_the_partner_confirms_and_the_mediator_is_told(ask, offer, editor_a, django_capture_on_commit_callbacks):
    """The partner confirms: the place is taken, the mediator hears it, the answer is audited."""
    referral = ask(offer)
    with django_capture_on_commit_callbacks(execute=True):
        place_answer(by=editor_a, referral=referral, confirm=True)
    referral.refresh_from_db()
    assert referral.place_status == PlaceStatus.CONFIRMED and referral.place_answered_at
    assert _fresh(offer).places_confirmed == 1 and _fresh(offer).reserved_places_left == 1
    assert mail.outbox[-1].to == [referral.created_by.email] and "KX-4821" in mail.outbox[-1].subject
    assert AuditEntry.objects.filter(case_code="KX-4821", detail=f"{referral.pk}:confirmed").exists()


def test_the_partner_declines_and_the_place_is_free_again(ask, offer, editor_a, django_capture_on_commit_callbacks):
    """The partner declines: the kept place is released and the mediator hears it."""
    referral = ask(offer)
    with django_capture_on_commit_callbacks(execute=True):
        place_answer(by=editor_a, referral=referral, confirm=False)
    referral.refresh_from_db()
    assert referral.place_status == PlaceStatus.DECLINED
    assert _fresh(offer).reserved_places_left == 2 and _fresh(offer).places_confirmed == 0
    assert "declined" in mail.outbox[-1].subject or "geweigerd" in mail.outbox[-1].subject


def test_another_partner_cannot_answer(ask, offer, editor_b):
    """Attack: partner B cannot confirm a reserved place at partner A's offer."""
    referral = ask(offer)
    with pytest.raises(PermissionDenied):
        place_answer(by=editor_b, referral=referral, confirm=True)


def test_an_unanswered_request_lapses_after_the_set_days(ask, offer, settings, django_capture_on_commit_callbacks):
    """Without an answer within the set days the request lapses, the place is released and the mediator is told."""
    referral = ask(offer)
    last_day = timezone.localdate() + timedelta(days=settings.RESERVED_PLACE_ANSWER_DAYS)
    assert places_lapse(last_day) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert places_lapse(last_day + timedelta(days=1)) == 1
    referral.refresh_from_db()
    assert referral.place_status == PlaceStatus.LAPSED
    assert _fresh(offer).reserved_places_left == 2
    assert "KX-4821" in mail.outbox[-1].subject
    assert places_lapse(last_day + timedelta(days=2)) == 0


def test_a_lapsed_request_cannot_be_confirmed_any_more(ask, offer, editor_a):
    """Error case: once lapsed, the partner's confirmation is refused."""
    referral = ask(offer)
    places_lapse(timezone.localdate() + timedelta(days=30))
    with pytest.raises(ValidationError):
        place_answer(by=editor_a, referral=referral, confirm=True)


def test_the_lapse_command_runs_for_a_given_day(ask, offer):
    """The management command lets requests lapse as of the date given."""
    ask(offer)
    out = StringIO()
    call_command("lapse_reserved_places", "--date", (timezone.localdate() + timedelta(days=30)).isoformat(), stdout=out)
    assert "lapsed: 1" in out.getvalue()


def test_capacity_reached_by_confirmed_places_makes_the_offer_full(ask, offer, editor_a):
    """Both places confirmed: the offer is full, no place is free and no kept place is left to ask."""
    for _ in range(2):
        place_answer(by=editor_a, referral=ask(offer), confirm=True)
    full = _fresh(offer)
    assert full.is_full and not full.place_free and full.reserved_places_left == 0
    with pytest.raises(ValidationError):
        ask(full)


def test_a_first_visit_uses_the_confirmed_place(ask, offer, editor_a, mediator_a):
    """The client's first visit turns a confirmed place into a used one; it still counts as taken."""
    referral = place_answer(by=editor_a, referral=ask(offer), confirm=True)
    referral_set_status(by=mediator_a, referral=referral, status=ReferralStatus.FIRST_VISIT)
    referral.refresh_from_db()
    assert referral.place_status == PlaceStatus.USED and _fresh(offer).places_confirmed == 1


def test_no_kept_place_after_its_date(make_offer):
    """Kept places are kept until their date: after it none is left."""
    offer = make_offer(
        "Kamp", capacity=10, reserved_places=3, reserved_price=Decimal("0"), reserved_until=date(2026, 1, 1)
    )
    assert offer.reserved_places_left == 0
    assert _fresh(offer).reserved_places_left == 0


def test_availability_is_unknown_unless_stated(make_offer):
    """An offer nobody said anything about claims no place free; a stated capacity or 'places left' does."""
    offer = make_offer("Niets gezegd")
    assert offer.availability == Availability.UNKNOWN and not offer.place_free
    assert make_offer("Plaats", availability=Availability.AVAILABLE).place_free
    assert make_offer("Capaciteit", capacity=12).place_free
    assert not make_offer("Volzet", availability=Availability.FULLY_BOOKED, capacity=12).place_free


def test_a_later_revision_does_not_bring_back_old_counts(ask, offer, editor_a):
    """Publishing an older revision keeps the places the requests took."""
    place_answer(by=editor_a, referral=ask(offer), confirm=True)
    page = _fresh(offer)
    page.get_latest_revision().publish()
    assert _fresh(offer).places_confirmed == 1


def test_the_referral_form_offers_the_reserved_place_and_the_inbox_answers_it(
    client, mediator_a, editor_a, case_a, offer, login, django_capture_on_commit_callbacks
):
    """The mediator asks from the referral form; the partner confirms in the inbox, which shows the case code only."""
    login(client, mediator_a)
    url = reverse("workspace:referral_create", args=[case_a.pk, offer.pk])
    form = client.get(url, headers=EN).content.decode()
    assert 'name="reserve_place"' in form and "2 places are kept" in form
    data = {"consent": "on", "contact_arrangement": "client_comes", "reserve_place": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    referral = Referral.objects.get()
    assert referral.place_status == PlaceStatus.REQUESTED
    client.logout()
    login(client, editor_a)
    inbox = client.get("/admin/doorverwijzingen/", headers=EN).content.decode()
    assert "KX-4821" in inbox and "Confirm the reserved place for KX-4821" in inbox
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workspace_referral_inbox_place", args=[referral.pk]), {"answer": "confirm"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.place_status == PlaceStatus.CONFIRMED


def test_the_nightly_lapse_waits_for_its_hour(settings):
    """The worker's nightly lapse runs at RESERVED_PLACE_LAPSE_HOUR, after now; the inline backend holds none."""
    settings.RESERVED_PLACE_LAPSE_HOUR = 2
    at = next_lapse_at()
    assert at.hour == 2 and at > timezone.now()
    assert schedule_places_lapse() is False


def test_annual_report_and_figures_count_requests_with_small_counts_suppressed(
    make_offer, ask, editor_a, ocmw_a, client, coordinator, login
):
    """Six asked, five confirmed, one lapsed: network-wide the lapse is 'fewer than 5', the team's own report exact."""
    offer = make_offer("Zwemkamp", capacity=20, reserved_places=6, reserved_price=Decimal("0"))
    requests = [ask(offer) for _ in range(6)]
    for referral in requests[:5]:
        place_answer(by=editor_a, referral=referral, confirm=True)
    places_lapse(timezone.localdate() + timedelta(days=30))
    year = timezone.localdate().year
    network = {figure.key: figure for figure in annual_figures(year)}
    assert network["reserved_places_requested"].value == 6 and not network["reserved_places_requested"].suppressed
    assert network["reserved_places_confirmed"].value == 5
    assert network["reserved_places_lapsed"].suppressed and network["reserved_places_lapsed"].csv_value == "<5"
    assert network["reserved_places_used"].value == 0 and not network["reserved_places_used"].suppressed
    own = {figure.key: figure for figure in annual_figures(year, organisation=ocmw_a, exact=True)}
    assert own["reserved_places_lapsed"].value == 1 and not own["reserved_places_lapsed"].suppressed
    with translation.override("en"):
        rows = {row.label: row.count for row in reserved_places_by_partner().rows}
    partner = offer.organisation.name
    assert rows[f"{partner} · asked"] == 6 and rows[f"{partner} · confirmed"] == 5
    assert rows[f"{partner} · lapsed"] is None
    login(client, coordinator)
    body = client.get(reverse("workspace:figures"), headers=EN).content.decode()
    assert "Reserved places per partner" in body and "KX-4821" not in body


def test_a_stopped_referral_frees_its_requested_place(ask, offer, mediator_a):
    """A referral stopped before the partner answered lets its request lapse: the kept place is free again."""
    referral = ask(offer)
    referral_set_status(by=mediator_a, referral=referral, status=ReferralStatus.STOPPED, stop_reason="practical")
    referral.refresh_from_db()
    assert referral.place_status == PlaceStatus.LAPSED and _fresh(offer).reserved_places_left == 2


def test_the_purge_of_a_case_frees_the_places_its_referrals_held(ask, offer, case_a, editor_a):
    """Retention: a case past its period goes with its reserved places, and the offer's counts follow."""
    from portal.workspace.models import CaseStatus, ClientCase
    from portal.workspace.privacy import purge_expired

    place_answer(by=editor_a, referral=ask(offer), confirm=True)
    assert _fresh(offer).places_confirmed == 1
    long_ago = timezone.now() - timedelta(days=4000)
    ClientCase.objects.filter(pk=case_a.pk).update(status=CaseStatus.CLOSED, closed_at=long_ago)
    purge_expired(now=timezone.now())
    assert not Referral.objects.exists()
    assert _fresh(offer).places_confirmed == 0 and _fresh(offer).reserved_places_left == 2


def test_the_case_export_holds_the_reserved_place(ask, offer, case_a, mediator_a):
    """Subject access: the case export says which reserved place was asked and by when it is answered."""
    from portal.workspace.privacy import case_export

    referral = ask(offer)
    (exported,) = case_export(by=mediator_a, case=case_a)["referrals"]
    assert exported["reserved_place"] == "requested"
    assert exported["reserved_place_answer_by"] == referral.place_answer_by.isoformat()


def test_the_demo_has_offers_with_reserved_places_and_requests_in_every_state(case_a, mediator_a):
    """The demo catalogue keeps places at some regular offers; the demo case asked them in every state."""
    from portal.demo import ensure_offers, ensure_organisations, ensure_site, ensure_users
    from portal.workspace.demo import ensure_demo_reserved_places

    _home, index = ensure_site()
    organisations = ensure_organisations(index)
    ensure_users(organisations)
    ensure_offers(organisations)
    kept = OfferPage.objects.live().filter(reserved_places__gt=0)
    assert kept.count() >= 5 and all(offer.registration == "required" for offer in kept)
    assert OfferPage.objects.filter(availability=Availability.UNKNOWN).exists()
    referrals = ensure_demo_reserved_places(mediator=mediator_a, case=case_a)
    assert sorted(Referral.objects.filter(pk__in=[r.pk for r in referrals]).values_list("place_status", flat=True)) == [
        "confirmed",
        "declined",
        "lapsed",
        "requested",
        "used",
    ]


def test_the_referral_form_and_inbox_speak_dutch(client, mediator_a, editor_a, case_a, offer, ask, login):
    """In Dutch: the form offers a kansenplaats with its price in Belgian style, the inbox says what is asked."""
    login(client, mediator_a)
    form = client.get(
        reverse("workspace:referral_create", args=[case_a.pk, offer.pk]), headers={"accept-language": "nl"}
    )
    body = form.content.decode()
    assert "Vraag de partner een kansenplaats voor deze cliënt" in body and "4,00" in body
    assert '<label for="id_reserve_place"' in body
    ask(offer)
    client.logout()
    login(client, editor_a)
    inbox = client.get("/admin/doorverwijzingen/", headers={"accept-language": "nl"}).content.decode()
    assert "Kansenplaats gevraagd" in inbox and "Bevestigen: de kansenplaats voor KX-4821" in inbox


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"registration": "walk_in", "capacity": 10}, "registration"),
        ({"capacity": 2, "reserved_places": 3, "reserved_price": Decimal("0")}, "reserved_places"),
        ({"reserved_places": 2}, "reserved_price"),
        ({"reserved_places": 2, "reserved_price": Decimal("50")}, "reserved_price"),
        ({"reserved_until": date(2027, 1, 1)}, "reserved_places"),
    ],
)
def test_places_that_do_not_add_up_are_refused_on_their_field(partner_a, values, field):
    """Error case: places for a walk-in, more kept than in all, a kept place without or above its price."""
    from tests.factories.catalogue import offer_values

    offer = OfferPage(**offer_values(**values), organisation=partner_a)
    with pytest.raises(ValidationError) as refused:
        offer.clean()
    assert list(refused.value.message_dict) == [field]
