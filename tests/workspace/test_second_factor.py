"""Whoever opens a page with case data confirms a TOTP code first: the workspace, and the admin's referral inbox."""

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from django.utils.http import urlencode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.workspace.referrals import referral_create

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_without_a_device_the_mediator_sets_one_up_first(client, mediator_a, case_a):
    """A mediator without an app is sent to set one up, confirms its first code and lands on the page asked for."""
    client.force_login(mediator_a)
    target = reverse("workspace:case_detail", args=[case_a.pk])
    response = client.get(target)
    assert response.status_code == 302 and response["Location"].startswith(reverse("workspace:second_factor_setup"))
    setup = client.get(response["Location"])
    assert setup.status_code == 200 and b'class="qr-code"' in setup.content
    device = TOTPDevice.objects.get(user=mediator_a, confirmed=False)
    confirmed = client.post(reverse("workspace:second_factor_setup"), {"token": _code(device), "next": target})
    assert confirmed.status_code == 302 and confirmed["Location"] == target
    assert client.get(target).status_code == 200


def test_a_wrong_code_is_refused_naming_the_field(client, mediator_a, case_a):
    """Error case: a wrong code gets a 400 naming the code field, and the case stays out of reach."""
    TOTPDevice.objects.create(user=mediator_a, name="phone", confirmed=True)
    client.force_login(mediator_a)
    response = client.post(reverse("workspace:second_factor"), {"token": "000000"}, headers={"accept-language": "en"})
    assert response.status_code == 400 and 'href="#id_token"' in response.content.decode()
    assert client.get(reverse("workspace:case_detail", args=[case_a.pk])).status_code == 302


def test_a_confirmed_device_asks_only_for_the_code(client, mediator_a):
    """A mediator with an app types the current code once per session."""
    device = TOTPDevice.objects.create(user=mediator_a, name="phone", confirmed=True)
    client.force_login(mediator_a)
    response = client.get(reverse("workspace:case_list"))
    assert response["Location"].startswith(reverse("workspace:second_factor") + "?")
    assert client.post(reverse("workspace:second_factor"), {"token": _code(device)}).status_code == 302
    assert client.get(reverse("workspace:case_list")).status_code == 200


def test_an_offsite_next_is_ignored(client, mediator_a):
    """Error case: after the code, an outside 'next' address is replaced by the case list."""
    device = TOTPDevice.objects.create(user=mediator_a, name="phone", confirmed=True)
    client.force_login(mediator_a)
    response = client.post(reverse("workspace:second_factor"), {"token": _code(device), "next": "https://evil.test/"})
    assert response["Location"] == reverse("workspace:case_list")


def test_coordinator_figures_need_the_second_factor(client, coordinator):
    """Error case: the figures also ask for the code first."""
    client.force_login(coordinator)
    assert client.get(reverse("workspace:figures")).status_code == 302


INBOX = "/admin/doorverwijzingen/"


@pytest.fixture
def referral(case_a, mediator_a, make_offer):
    """A referral from mediator A's case to an offer of partner A, whose editor is ``editor_a``."""
    offer = make_offer("Om de hoek", km=0.8)
    return referral_create(
        by=mediator_a,
        case=case_a,
        offer=offer,
        consent=True,
        contact_arrangement="client_comes",
        first_visit_wishes="Liefst op woensdag",
    )


def test_a_partner_editor_without_a_device_sets_one_up_before_the_inbox(client, editor_a, referral):
    """A partner editor without an app is sent to the mediators' setup page, QR and key, then back to the inbox."""
    client.force_login(editor_a)
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('workspace:second_factor_setup')}?{urlencode({'next': INBOX})}"
    setup = client.get(response["Location"]).content.decode()
    assert 'class="qr-code"' in setup and 'class="totp-key"' in setup and f'value="{INBOX}"' in setup
    device = TOTPDevice.objects.get(user=editor_a, confirmed=False)
    confirmed = client.post(reverse("workspace:second_factor_setup"), {"token": _code(device), "next": INBOX})
    assert confirmed.status_code == 302 and confirmed["Location"] == INBOX
    inbox = client.get(INBOX)
    assert inbox.status_code == 200 and "KX-4821" in inbox.content.decode()


def test_a_partner_editor_with_a_device_types_its_code_before_the_inbox(client, editor_a, referral):
    """A partner editor with an app types its code once; until then the inbox shows nothing of the case."""
    device = TOTPDevice.objects.create(user=editor_a, name="phone", confirmed=True)
    client.force_login(editor_a)
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('workspace:second_factor')}?{urlencode({'next': INBOX})}"
    assert "KX-4821" not in response.content.decode()
    confirmed = client.post(reverse("workspace:second_factor"), {"token": _code(device), "next": INBOX})
    assert confirmed.status_code == 302 and confirmed["Location"] == INBOX
    inbox = client.get(INBOX).content.decode()
    assert "KX-4821" in inbox and "Liefst op woensdag" in inbox


def test_a_partner_status_change_waits_for_the_code(client, editor_a, referral):
    """Error case: a status sent without a confirmed code changes nothing and leads to the code, then the inbox."""
    TOTPDevice.objects.create(user=editor_a, name="phone", confirmed=True)
    client.force_login(editor_a)
    response = client.post(f"{INBOX}{referral.pk}/status/", {"status": "contacted"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('workspace:second_factor')}?{urlencode({'next': INBOX})}"
    referral.refresh_from_db()
    assert referral.status == "proposed" and referral.changes.count() == 1


def test_admin_pages_without_case_data_ask_no_code(client, editor_a, make_offer):
    """A partner editor without an app edits offers and pages and uploads images as before."""
    offer = make_offer("Om de hoek")
    client.force_login(editor_a)
    pages = ("/admin/", f"/admin/pages/{offer.pk}/edit/", f"/admin/pages/{offer.get_parent().pk}/", "/admin/images/")
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert not TOTPDevice.objects.filter(user=editor_a).exists()


@pytest.mark.parametrize("unsafe", ["https://evil.test/admin/", "//evil.test/", "javascript:alert(1)"])
def test_a_partner_editors_offsite_next_is_refused(client, editor_a, unsafe):
    """Error case: after the code, an outside or scripted 'next' is replaced by the admin's dashboard."""
    device = TOTPDevice.objects.create(user=editor_a, name="phone", confirmed=True)
    client.force_login(editor_a)
    response = client.post(reverse("workspace:second_factor"), {"token": _code(device), "next": unsafe})
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_the_demo_setting_opens_the_inbox_without_a_code(client, editor_a, referral, settings):
    """Case: with WORKSPACE_REQUIRE_SECOND_FACTOR off (a demo, a browser test) the inbox asks for no code."""
    settings.WORKSPACE_REQUIRE_SECOND_FACTOR = False
    client.force_login(editor_a)
    assert client.get(INBOX).status_code == 200


def test_someone_without_a_page_with_case_data_cannot_set_up_a_code(client, referrer):
    """Error case: a referrer, who reaches neither the workspace's case pages nor the admin, gets no setup page."""
    client.force_login(referrer)
    assert client.get(reverse("workspace:second_factor_setup")).status_code == 403
    assert not TOTPDevice.objects.filter(user=referrer).exists()


def test_a_correct_code_right_after_a_wrong_one_is_accepted(client, mediator_a):
    """Regression: django-otp's throttling refused the correct code within a second of a wrong one."""
    device = TOTPDevice.objects.create(user=mediator_a, name="phone", confirmed=True)
    client.force_login(mediator_a)
    assert client.post(reverse("workspace:second_factor"), {"token": "000000"}).status_code == 400
    response = client.post(reverse("workspace:second_factor"), {"token": _code(device)})
    assert response.status_code == 302 and response["Location"] == reverse("workspace:case_list")
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_setup_takes_a_correct_code_after_a_wrong_one_and_spaces_in_it(client, mediator_a):
    """Case: while setting up, a wrong code and then the right one typed as the app shows it ("123 456")."""
    client.force_login(mediator_a)
    client.get(reverse("workspace:second_factor_setup"))
    device = TOTPDevice.objects.get(user=mediator_a, confirmed=False)
    assert client.post(reverse("workspace:second_factor_setup"), {"token": "111111"}).status_code == 400
    code = _code(device)
    response = client.post(reverse("workspace:second_factor_setup"), {"token": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed


def test_too_many_wrong_codes_wait_and_say_until_when(client, mediator_a, settings):
    """Error case: after the limit of wrong codes even the right code waits for the cool-off, and the page says so."""
    device = TOTPDevice.objects.create(user=mediator_a, name="phone", confirmed=True)
    client.force_login(mediator_a)
    for _attempt in range(settings.WORKSPACE_SECOND_FACTOR_FAILURE_LIMIT):
        client.post(reverse("workspace:second_factor"), {"token": "000000"})
    locked = client.post(
        reverse("workspace:second_factor"), {"token": _code(device)}, headers={"accept-language": "en"}
    )
    assert locked.status_code == 400
    assert "Too many wrong codes in a row. Wait until" in locked.content.decode()
    assert client.get(reverse("workspace:case_list")).status_code == 302
    device.refresh_from_db()
    device.throttling_failure_timestamp -= settings.WORKSPACE_SECOND_FACTOR_COOLOFF
    device.save()
    assert client.post(reverse("workspace:second_factor"), {"token": _code(device)}).status_code == 302


def test_setup_page_offers_the_key_to_type_with_the_apps_settings(client, mediator_a):
    """Case: the setup page shows the QR code's secret in groups of four, with issuer, account, digits and period."""
    client.force_login(mediator_a)
    page = client.get(reverse("workspace:second_factor_setup"), headers={"accept-language": "en"})
    device = TOTPDevice.objects.get(user=mediator_a, confirmed=False)
    body = page.content.decode()
    secret = parse_qs(urlsplit(device.config_url).query)["secret"][0]
    groups = [secret[start : start + 4] for start in range(0, len(secret), 4)]
    assert "Can&#x27;t scan? Type this key" in body or "Can't scan? Type this key" in body
    assert " ".join(f"<span>{group}</span>" for group in groups) in body
    assert "<dd>Vrijetijdsnet</dd>" in body and "<dd>mediator-a</dd>" in body
    assert "Time-based: 6 digits, a new code every 30 seconds" in body


def test_workspace_pages_offer_a_sign_out_that_posts(client, mediator_a):
    """Case: the workspace navigation signs out with a POST form (Django 5 refuses a GET logout)."""
    TOTPDevice.objects.create(user=mediator_a, name="phone", confirmed=True)
    client.force_login(mediator_a)
    page = client.get(reverse("workspace:second_factor")).content.decode()
    assert f'<form class="sign-out" method="post" action="{reverse("workspace:sign_out")}">' in page
    assert client.get(reverse("workspace:sign_out")).status_code == 405
    signed_out = client.post(reverse("workspace:sign_out"))
    assert signed_out.status_code == 302 and signed_out["Location"] == reverse("wagtailadmin_login")
    after = client.get(reverse("workspace:case_list"))
    assert after.status_code == 302 and after["Location"].startswith(reverse("wagtailadmin_login"))
