"""Background work for the workspace: the message a referrer gets at each change of their intake."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from django_tasks import task

from .models import IntakeChange

MAIL_LANGUAGE = "nl-be"


def status_url(token: str) -> str:
    """The referrer's own status page for one intake, as an absolute address for a message."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("intake:status", args=[token])


@task()
def send_intake_message(change_id: int) -> bool:
    """Tell the referrer what changed (status only, never the case); sent once, returns whether it was sent.

    A resident who asked for help themselves left no e-mail: they follow the status page instead.
    """
    change = IntakeChange.objects.select_related("intake__referred_by").filter(pk=change_id).first()
    if change is None or change.notified_at is not None:
        return False
    intake = change.intake
    recipient = intake.referrer_email or (intake.referred_by.email if intake.referred_by else "")
    if not recipient:
        return False
    with translation.override(MAIL_LANGUAGE):
        subject = _("Your referral %(reference)s: %(event)s") % {
            "reference": intake.reference,
            "event": change.get_event_display(),
        }
        body = render_to_string(
            "workspace/email/intake_change.txt",
            {"intake": intake, "change": change, "status_url": status_url(intake.status_token)},
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
    IntakeChange.objects.filter(pk=change.pk).update(notified_at=timezone.now())
    return True
