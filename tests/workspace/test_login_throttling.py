"""Login throttling: five wrong passwords make that username wait at that address, then it may try again."""

from datetime import timedelta

from django.utils import timezone

import pytest
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"


def _try(client, password: str):
    return client.post(LOGIN, {"username": "mediator-a", "password": password})


def test_five_wrong_passwords_cool_off_then_the_right_one_works(client, mediator_a):
    """Error case: after five failures even the right password waits; once the cool-off has passed it works."""
    for _attempt in range(5):
        assert _try(client, "wrong").status_code in (200, 429)
    locked = _try(client, "secret-pass-123")
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _try(client, "secret-pass-123").status_code == 302
    assert client.session["_auth_user_id"] == str(mediator_a.pk)


def test_a_right_password_before_the_limit_resets_the_count(client, mediator_a):
    """Four failures and then a success leave no lockout behind."""
    for _attempt in range(4):
        _try(client, "wrong")
    assert _try(client, "secret-pass-123").status_code == 302
    assert not AccessAttempt.objects.exists()
