"""A mail outage never fails a mediator's referral: the partner's message waits in the worker's queue."""

import pytest
from django_tasks_db.models import DBTaskResult

from portal.workspace.referrals import referral_create
from tests.portal.test_mail import DATABASE_QUEUE, REFUSING

pytestmark = pytest.mark.django_db


def test_a_referral_is_made_while_the_mail_server_is_down(
    settings, make_offer, case_a, mediator_a, django_capture_on_commit_callbacks
):
    """A mediator's referral succeeds when the mail server refuses: the partner's message waits in the queue."""
    settings.EMAIL_BACKEND = "portal.mail.QueuedEmailBackend"
    settings.TASKS = DATABASE_QUEUE
    settings.MAIL_DELIVERY_BACKEND = REFUSING
    offer = make_offer("Om de hoek", km=0.8, referral_contact_email="onthaal@zwemclub.test")
    with django_capture_on_commit_callbacks(execute=True):
        referral = referral_create(
            by=mediator_a,
            case=case_a,
            offer=offer,
            consent=True,
            contact_arrangement="partner_calls_mediator",
            mediator_phone="03 123 45 67",
        )
    assert referral.pk
    [queued] = DBTaskResult.objects.filter(task_path="portal.mail.deliver_mail")
    assert queued.args_kwargs["args"][0]["to"] == ["onthaal@zwemclub.test"]
