"""Mail goes through the task worker: sending only queues, the worker delivers and retries when the server is down."""

from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from portal.mail import deliver_mail

pytestmark = pytest.mark.django_db
QUEUED = "portal.mail.QueuedEmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


REFUSING = f"{__name__}.RefusingBackend"


@pytest.fixture
def queued_mail(settings):
    settings.EMAIL_BACKEND = QUEUED
    settings.MAIL_DELIVERY_BACKEND = LOCMEM
    return settings


def test_a_queued_message_arrives_whole(queued_mail):
    """A message with an HTML part, copies and a reply address arrives as it was sent, through the task."""
    message = EmailMultiAlternatives(
        "Nieuwe verwijzing", "Tekst", "portaal@stad.test", ["onthaal@club.test"], cc=["team@club.test"]
    )
    message.reply_to = ["bemiddeling@stad.test"]
    message.attach_alternative("<p>Tekst</p>", "text/html")
    message.attach("lijst.csv", "a;b\n", "text/csv")
    assert message.send() == 1
    [delivered] = mail.outbox
    assert (delivered.subject, delivered.body, delivered.to, delivered.cc, delivered.reply_to) == (
        "Nieuwe verwijzing",
        "Tekst",
        ["onthaal@club.test"],
        ["team@club.test"],
        ["bemiddeling@stad.test"],
    )
    assert delivered.alternatives[0][:2] == ("<p>Tekst</p>", "text/html")
    assert delivered.attachments[0][:2] == ("lijst.csv", "a;b\n")


def test_sending_with_the_worker_queue_touches_no_mail_server(queued_mail):
    """With the database queue, send_mail writes a task and returns; the mail server is not asked."""
    queued_mail.TASKS = DATABASE_QUEUE
    queued_mail.MAIL_DELIVERY_BACKEND = REFUSING
    assert send_mail("Herinnering", "Tekst", None, ["editor@club.test"]) == 1
    task = DBTaskResult.objects.get()
    assert task.task_path == "portal.mail.deliver_mail" and task.args_kwargs["args"][0]["to"] == ["editor@club.test"]


def test_a_refused_delivery_is_tried_again_later(queued_mail):
    """Error case: the mail server refuses; the worker queues the message again for later, and says so in the log."""
    queued_mail.TASKS = DATABASE_QUEUE
    queued_mail.MAIL_DELIVERY_BACKEND = REFUSING
    queued_mail.MAIL_RETRY_DELAYS = [60, 600]
    send_mail("Herinnering", "Tekst", None, ["editor@club.test"])
    message = DBTaskResult.objects.get().args_kwargs["args"][0]
    assert deliver_mail.call(message) is False
    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after > timezone.now() + timezone.timedelta(seconds=50)


def test_the_last_refused_attempt_fails_the_task(queued_mail):
    """Error case: when the retries are used up the delivery fails (the worker records and logs it)."""
    queued_mail.TASKS = DATABASE_QUEUE
    queued_mail.MAIL_DELIVERY_BACKEND = REFUSING
    queued_mail.MAIL_RETRY_DELAYS = [60]
    send_mail("Herinnering", "Tekst", None, ["editor@club.test"])
    message = DBTaskResult.objects.get().args_kwargs["args"][0]
    with pytest.raises(ConnectionRefusedError):
        deliver_mail.call(message, attempt=2)
