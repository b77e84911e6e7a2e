"""Mediators and coordinators confirm a TOTP code before any page with case data; partners' admin is unchanged."""

from django.urls import reverse

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

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
    assert setup.status_code == 200 and b'class="segno"' in setup.content
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


def test_partner_admin_needs_no_second_factor(client, editor_a):
    """A partner editor's admin and referral inbox open without a second factor."""
    client.force_login(editor_a)
    assert client.get("/admin/doorverwijzingen/").status_code == 200
