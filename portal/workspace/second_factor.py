"""The second factor for people who see case data: a TOTP app, set up once, confirmed once per session.

Only the workspace asks for it, so the admin login of partners is unchanged. The check reads the
device that ``django_otp.login`` stored in the session, the same way django-otp's middleware does.
"""

from django.conf import settings
from django.http import HttpRequest

from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "workspace"


def second_factor_required() -> bool:
    return getattr(settings, "WORKSPACE_REQUIRE_SECOND_FACTOR", True)


def is_verified(request: HttpRequest) -> bool:
    """Whether this session confirmed a code from one of the signed-in user's own confirmed devices."""
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    return device is not None and device.user_id == request.user.pk and device.confirmed


def has_device(user) -> bool:
    return any(True for _device in devices_for_user(user))


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being set up, made once so the QR code stays the same on reload."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=DEVICE_NAME).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def verify(request: HttpRequest, token: str) -> bool:
    """Check a code against the user's confirmed devices and remember the device in the session."""
    for device in devices_for_user(request.user):
        if device.verify_token(token):
            otp_login(request, device)
            return True
    return False


def confirm_setup(request: HttpRequest, token: str) -> bool:
    """Confirm the pending device with its first code; from then on it is the user's second factor."""
    device = pending_device(request.user)
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True
