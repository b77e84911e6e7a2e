"""Referrals: consent before sending, mail to the contact, status history, the partner inbox and reminders."""

from datetime import date, datetime
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

import pytest

from portal.workspace.matching import match_case
from portal.workspace.models import AuditAction, AuditEntry, Referral, ReferralStatus, ReferralStatusChange
from portal.workspace.referrals import referral_create, referral_rate_welcome, referral_set_status, working_days_between

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


@pytest.fixture
def offer(make_offer):
    return make_offer("Om de hoek", km=0.8, referral_contact_email="onthaal@zwemclub.test")


@pytest.fixture
def referral(case_a, mediator_a, offer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return referral_create(
            by=mediator_a,
            case=case_a,
            offer=offer,
            consent=True,
            contact_arrangement="partner_calls_mediator",
            mediator_phone="03 123 45 67",
        )


def _sent_on(referral, day: date) -> None:
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=10)))
    )


def test_a_referral_needs_the_clients_consent(client, mediator_a, case_a, offer, login):
    """Error case: without the consent box the referral is refused on that field and nothing is written."""
    login(client, mediator_a)
    url = reverse("workspace:referral_create", args=[case_a.pk, offer.pk])
    response = client.post(url, {"contact_arrangement": "client_comes"}, headers=EN)
    assert response.status_code == 400 and 'href="#id_consent"' in response.content.decode()
    assert not Referral.objects.exists() and not mail.outbox


def test_wishes_may_not_carry_contact_details(client, mediator_a, case_a, offer, login):
    """Error case: a phone number in the wishes is refused on the wishes field."""
    login(client, mediator_a)
    url = reverse("workspace:referral_create", args=[case_a.pk, offer.pk])
    data = {"consent": "on", "contact_arrangement": "client_comes", "first_visit_wishes": "bel 0470 12 34 56"}
    response = client.post(url, data, headers=EN)
    assert response.status_code == 400 and "Leave out e-mail addresses" in response.content.decode()
    assert not Referral.objects.exists()


def test_referral_is_sent_with_consent_recorded(
    client, mediator_a, case_a, offer, django_capture_on_commit_callbacks, login
):
    """A referral records who consented when, starts as proposed, and mails only the code and wishes to the contact."""
    login(client, mediator_a)
    url = reverse("workspace:referral_create", args=[case_a.pk, offer.pk])
    data = {"consent": "on", "contact_arrangement": "mediator_comes_along", "first_visit_wishes": "Liefst 's ochtends"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert referral.consent_by == mediator_a and referral.consent_at and referral.status == ReferralStatus.PROPOSED
    assert referral.partner == offer.organisation
    assert [message.to for message in mail.outbox] == [["onthaal@zwemclub.test"]]
    assert "KX-4821" in mail.outbox[0].body and "Liefst 's ochtends" in mail.outbox[0].body
    assert list(referral.changes.values_list("status", "by_username")) == [("proposed", "mediator-a")]


def test_when_the_partner_calls_the_mediator_the_mail_and_inbox_give_the_mediators_name_and_work_phone(
    client, editor_a, mediator_a, case_a, offer, django_capture_on_commit_callbacks, login
):
    """The partner learns whom to call, at the mediator's work phone typed on the form; nothing about the client."""
    mediator_a.first_name, mediator_a.last_name = "Sara", "Peeters"
    mediator_a.save()
    login(client, mediator_a)
    url = reverse("workspace:referral_create", args=[case_a.pk, offer.pk])
    data = {"consent": "on", "contact_arrangement": "partner_calls_mediator", "mediator_phone": "+32 3 123 45 67"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert Referral.objects.get().mediator_phone == "03 123 45 67"
    assert "Sara Peeters" in mail.outbox[0].body and "03 123 45 67" in mail.outbox[0].body
    login(client, editor_a)
    inbox = client.get("/admin/doorverwijzingen/").content.decode()
    assert "Sara Peeters" in inbox and 'href="tel:031234567"' in inbox
    referral = Referral.objects.get()
    (read,) = AuditEntry.objects.filter(action=AuditAction.READ, username=editor_a.username)
    assert (read.case_code, read.detail) == (case_a.code, f"inbox:{referral.pk}")


def test_the_mediators_phone_is_required_and_belgian_when_the_partner_calls(client, mediator_a, case_a, offer, login):
    """Error case: no phone, or a number that is not Belgian, is refused on the phone field and nothing is sent."""
    login(client, mediator_a)
    url = reverse("workspace:referral_create", args=[case_a.pk, offer.pk])
    for phone, message in (("", "Give your work phone"), ("+31 6 12345678", "Give a Belgian phone number")):
        data = {"consent": "on", "contact_arrangement": "partner_calls_mediator", "mediator_phone": phone}
        response = client.post(url, data, headers=EN)
        assert response.status_code == 400 and 'href="#id_mediator_phone"' in response.content.decode()
        assert message in response.content.decode()
    assert not Referral.objects.exists() and not mail.outbox


def test_the_phone_is_prefilled_from_the_mediators_previous_referral_and_kept_only_when_needed(
    client, mediator_a, case_a, make_offer, referral, login
):
    """The next referral form offers the phone given last time; others keep none."""
    login(client, mediator_a)
    other = make_offer("Verderop", km=1.2)
    form = client.get(reverse("workspace:referral_create", args=[case_a.pk, other.pk])).content.decode()
    assert 'value="03 123 45 67"' in form
    later = referral_create(
        by=mediator_a, case=case_a, offer=other, consent=True, contact_arrangement="client_comes", mediator_phone="x"
    )
    assert later.mediator_phone == ""


def test_every_status_change_is_kept(mediator_a, referral):
    """Each change is kept with who made it; a stop needs a threshold group."""
    referral_set_status(by=mediator_a, referral=referral, status="contacted")
    referral_set_status(by=mediator_a, referral=referral, status="first_visit", first_visit_on=date(2026, 3, 2))
    referral_set_status(by=mediator_a, referral=referral, status="stopped", stop_reason="financial")
    history = list(referral.changes.values_list("status", "stop_reason", "by_username"))
    assert history == [
        ("proposed", "", "mediator-a"),
        ("contacted", "", "mediator-a"),
        ("first_visit", "", "mediator-a"),
        ("stopped", "financial", "mediator-a"),
    ]
    assert referral.first_visit_on == date(2026, 3, 2)


def test_partner_inbox_shows_only_its_referrals_and_lets_it_answer(client, editor_a, editor_b, referral, login):
    """Partner A sees the case code, wishes and arrangement and marks it contacted; partner B sees nothing."""
    login(client, editor_b)
    assert "KX-4821" not in client.get("/admin/doorverwijzingen/").content.decode()
    before = list(ReferralStatusChange.objects.values())
    assert client.post(f"/admin/doorverwijzingen/{referral.pk}/status/", {"status": "contacted"}).status_code == 404
    assert list(ReferralStatusChange.objects.values()) == before
    login(client, editor_a)
    inbox = client.get("/admin/doorverwijzingen/")
    assert inbox.status_code == 200 and "KX-4821" in inbox.content.decode()
    assert "no-store" in inbox["Cache-Control"]
    client.post(f"/admin/doorverwijzingen/{referral.pk}/status/", {"status": "contacted"})
    referral.refresh_from_db()
    assert referral.status == "contacted" and referral.changes.last().by_username == "editor-a"


def test_a_partner_finds_the_referral_inbox_in_the_menu_before_the_first_referral(client, editor_a, login):
    """The menu item does not wait for a first referral."""
    login(client, editor_a)
    dashboard = client.get("/admin/").content.decode()
    assert "/admin/doorverwijzingen/" in dashboard
    assert "No referrals" in client.get("/admin/doorverwijzingen/", headers={"accept-language": "en"}).content.decode()


def test_partner_cannot_set_a_mediators_status(client, editor_a, referral, login):
    """Error case: a partner cannot mark a referral stopped; nothing changes."""
    login(client, editor_a)
    response = client.post(f"/admin/doorverwijzingen/{referral.pk}/status/", {"status": "stopped"})
    assert response.status_code in (302, 403)  # the Wagtail admin turns a refusal into a redirect with a message
    referral.refresh_from_db()
    assert referral.status == "proposed" and referral.changes.count() == 1


def test_other_organisations_mediator_cannot_touch_the_referral(client, mediator_b, referral, login):
    """Error case: B's mediator cannot change A's referral status or welcome, and the database is unchanged."""
    login(client, mediator_b)
    before = (list(Referral.objects.values()), list(ReferralStatusChange.objects.values()), AuditEntry.objects.count())
    assert (
        client.post(reverse("workspace:referral_status", args=[referral.pk]), {"status": "stopped"}).status_code == 404
    )
    assert (
        client.post(reverse("workspace:referral_welcome", args=[referral.pk]), {"welcome_rating": 3}).status_code == 404
    )
    after = (list(Referral.objects.values()), list(ReferralStatusChange.objects.values()), AuditEntry.objects.count())
    assert after == before


def test_working_days_skip_weekends():
    """From Friday to the next Monday is one working day; Monday to the Monday after is five."""
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 9)) == 5


def test_reminders_on_fixed_dates_and_idempotent(referral, coordinator):
    """Sent Monday 2 March: partner reminded 10 March (6 working days), coordinator 13 March (9), silence 16 March."""
    _sent_on(referral, date(2026, 3, 2))
    mail.outbox.clear()

    def run(day: str) -> str:
        out = StringIO()
        call_command("referral_reminders", "--date", day, stdout=out)
        return out.getvalue()

    assert "partner_reminders: 0" in run("2026-03-09")
    assert "partner_reminders: 1" in run("2026-03-10")
    assert "partner_reminders: 0" in run("2026-03-10")
    assert [message.to for message in mail.outbox] == [["onthaal@zwemclub.test"]]
    assert "coordinator_notices: 1" in run("2026-03-13")
    assert mail.outbox[-1].to == [coordinator.email]
    assert "coordinator_notices: 0" in run("2026-03-13")
    assert "no_response: 0" in run("2026-03-15")
    assert "no_response: 1" in run("2026-03-16")
    assert "no_response: 0" in run("2026-03-16")
    referral.refresh_from_db()
    assert referral.status == "no_response" and referral.changes.last().by_username == "system"
    assert len(mail.outbox) == 2


def test_aftercare_prompts_at_one_three_and_six_months(mediator_a, referral):
    """After a first visit on 2 March, the mediator is prompted on 2 April, 2 June and 2 September, once each."""
    referral_set_status(by=mediator_a, referral=referral, status="first_visit", first_visit_on=date(2026, 3, 2))
    mail.outbox.clear()
    out = StringIO()
    for day in ("2026-04-01", "2026-04-02", "2026-04-03", "2026-06-02", "2026-06-02", "2026-09-02", "2026-12-01"):
        call_command("referral_reminders", "--date", day, stdout=out)
    assert len(mail.outbox) == 3 and all(message.to == [mediator_a.email] for message in mail.outbox)
    referral.refresh_from_db()
    assert referral.aftercare_done == [1, 3, 6]


def test_welcome_rating_nudges_the_ranking(case_a, mediator_a, make_offer, referral, offer):
    """Error case first: no rating before a first visit; after it, a warm welcome lifts an offer above an equal one."""
    twin = make_offer("Even ver", km=0.8)
    with translation.override("en"), pytest.raises(Exception, match="after the first visit"):
        referral_rate_welcome(by=mediator_a, referral=referral, rating=3)
    referral_set_status(by=mediator_a, referral=referral, status="first_visit")
    referral_rate_welcome(by=mediator_a, referral=referral, rating=3)
    ranked = [match.offer.pk for match in match_case(case_a)]
    assert ranked.index(offer.pk) < ranked.index(twin.pk)


def test_a_coordinator_s_admin_inbox_holds_no_other_organisation_s_referrals(client, coordinator, referral, login):
    """Attack: the coordinator's admin inbox lists no wishes of other organisations' referrals, nor changes them."""
    login(client, coordinator)
    inbox = client.get("/admin/doorverwijzingen/")
    assert "KX-4821" not in inbox.content.decode()
    response = client.post(f"/admin/doorverwijzingen/{referral.pk}/status/", {"status": "contacted"})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PROPOSED
