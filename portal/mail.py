"""Mail leaves through the task worker: a request only queues its messages, the worker delivers them.

``EMAIL_BACKEND`` is ``QueuedEmailBackend`` in every environment, so every ``send_mail`` (referrals,
reminders, freshness, intake messages, Wagtail's own notifications and password resets) is written
to the task queue in the caller's transaction and returns at once. The worker hands each message to
``MAIL_DELIVERY_BACKEND`` (SMTP in production) and, when the mail server does not answer, tries
again later (``MAIL_RETRY_DELAYS``), so a mail outage delays mail and never fails or slows a request.
"""

import base64
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from django_tasks import task

from catalogue.background import retry_later

logger = logging.getLogger(__name__)


def message_to_json(message: EmailMessage) -> dict:
    """Everything needed to build the message again in the worker, as JSON."""
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        data = content.encode() if isinstance(content, str) else content
        attachments.append([filename, base64.b64encode(data).decode(), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "attachments": attachments,
        "content_subtype": message.content_subtype,
    }


def message_from_json(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[tuple(alternative) for alternative in data["alternatives"]],
    )
    message.content_subtype = data["content_subtype"]
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


class QueuedEmailBackend(BaseEmailBackend):
    """Queues one delivery task per message; sending never touches the mail server."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            deliver_mail.enqueue(message_to_json(message))
        return len(email_messages)


@task()
def deliver_mail(message: dict, attempt: int = 1) -> bool:
    """Hand one queued message to the real mail backend; returns whether it was delivered now."""
    connection = get_connection(settings.MAIL_DELIVERY_BACKEND)
    try:
        connection.send_messages([message_from_json(message)])
    except (smtplib.SMTPException, OSError) as error:
        if retry_later(deliver_mail, message, attempt=attempt, delays=settings.MAIL_RETRY_DELAYS):
            logger.warning(
                "Mail %r to %s not delivered (attempt %s: %s); tried again later.",
                message["subject"],
                ", ".join(message["to"]),
                attempt,
                error,
            )
            return False
        raise
    return True
