"""The second factor for people who see case data: a TOTP app, set up once, confirmed once per session.

Every page with case data asks for it: the workspace's pages and, in the Wagtail admin, the partner's
referral inbox and its status changes. Admin pages without case data (offers, pages, images) do not,
so signing in to the admin is unchanged. The check reads the device that ``django_otp.login`` stored
in the session, the same way django-otp's middleware does.

Wrong codes are limited per device: after ``WORKSPACE_SECOND_FACTOR_FAILURE_LIMIT`` wrong codes in a
row, codes are refused for ``WORKSPACE_SECOND_FACTOR_COOLOFF`` and the person is told until when.
django-otp's own throttling (``OTP_TOTP_THROTTLE_FACTOR``) is switched off in the settings: it refuses
every code, the correct one too, for 1, 2, 4, 8 … seconds after each wrong one, without saying so,
so a person who retypes the code quickly was told a correct code was wrong.
"""

from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisations.permissions import can_use_mediator_tools

DEVICE_NAME = "workspace"
# How the key is shown for typing: groups of four, as authenticator apps show and accept it.
KEY_GROUP = 4


@dataclass(frozen=True)
class CodeCheck:
    """The answer to one typed code: accepted, or refused (and until when no code is taken)."""

    accepted: bool
    locked_until: datetime | None = None


@dataclass(frozen=True)
class SetupKey:
    """What a person types into an authenticator app that cannot scan the QR code."""

    key: str
    issuer: str
    account: str
    digits: int
    period: int

    @property
    def key_groups(self) -> list[str]:
        return [self.key[start : start + KEY_GROUP] for start in range(0, len(self.key), KEY_GROUP)]


def second_factor_required() -> bool:
    return getattr(settings, "WORKSPACE_REQUIRE_SECOND_FACTOR", True)


def is_verified(request: HttpRequest) -> bool:
    """Whether this session confirmed a code from one of the signed-in user's own confirmed devices."""
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    return device is not None and device.user_id == request.user.pk and device.confirmed


def has_device(user) -> bool:
    return any(True for _device in devices_for_user(user))


def may_use_second_factor(user) -> bool:
    """Who may set up and confirm a code: everyone who can open a page with case data.

    Mediators and coordinators for the workspace; anyone with admin access (partner editors) for the
    referral inbox in the admin.
    """
    return can_use_mediator_tools(user) or user.has_perm("wagtailadmin.access_admin")


def redirect_unless_verified(request: HttpRequest, next_url: str) -> HttpResponse | None:
    """Where to send a person who has not confirmed a code in this session, or None when they have.

    Without a device they set one up, with one they type its code; both pages then return to
    ``next_url``. ``WORKSPACE_REQUIRE_SECOND_FACTOR`` off (a demo, a browser test) lets everyone through.
    """
    if not second_factor_required() or is_verified(request):
        return None
    name = "workspace:second_factor" if has_device(request.user) else "workspace:second_factor_setup"
    return redirect(f"{reverse(name)}?{urlencode({'next': next_url})}")


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being set up, made once so the QR code stays the same on reload."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=DEVICE_NAME).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def setup_key(device: TOTPDevice) -> SetupKey:
    """The device's secret and settings as the otpauth:// address in its QR code carries them."""
    return SetupKey(
        key=b32encode(device.bin_key).decode("ascii").rstrip("="),
        issuer=settings.OTP_TOTP_ISSUER,
        account=device.user.get_username(),
        digits=device.digits,
        period=device.step,
    )


def locked_until(device: TOTPDevice) -> datetime | None:
    """Until when the device takes no code after too many wrong ones in a row, or None."""
    if device.throttling_failure_count < settings.WORKSPACE_SECOND_FACTOR_FAILURE_LIMIT:
        return None
    until = device.throttling_failure_timestamp + settings.WORKSPACE_SECOND_FACTOR_COOLOFF
    return until if until > timezone.now() else None


def _check(device: TOTPDevice, token: str) -> CodeCheck:
    until = locked_until(device)
    if until is not None:
        return CodeCheck(accepted=False, locked_until=until)
    if device.verify_token(token):
        return CodeCheck(accepted=True)
    return CodeCheck(accepted=False, locked_until=locked_until(device))


def normalise_token(token: str) -> str:
    """The code as typed, without the spaces apps show in it ("123 456")."""
    return "".join(token.split())


def verify(request: HttpRequest, token: str) -> CodeCheck:
    """Check a code against the user's confirmed devices and remember the device in the session."""
    refused = CodeCheck(accepted=False)
    for device in devices_for_user(request.user):
        check = _check(device, normalise_token(token))
        if check.accepted:
            otp_login(request, device)
            return check
        refused = check if check.locked_until else refused
    return refused


def confirm_setup(request: HttpRequest, token: str) -> CodeCheck:
    """Confirm the pending device with its first code; from then on it is the user's second factor."""
    device = pending_device(request.user)
    check = _check(device, normalise_token(token))
    if check.accepted:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
    return check
