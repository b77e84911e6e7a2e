"""Background work for the workspace: the message a referrer gets at each change of their intake, and the nightly
lapse of reserved-place requests nobody answered."""

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from django_tasks import task

from catalogue.background import next_local_hour, schedule_once

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


@task()
def lapse_reserved_places_nightly() -> int:
    """Let unanswered reserved-place requests lapse, then queue the next night's run."""
    try:
        from .places import places_lapse

        return places_lapse(timezone.localdate())
    finally:
        schedule_places_lapse()


def next_lapse_at(now: datetime | None = None) -> datetime:
    """The next RESERVED_PLACE_LAPSE_HOUR o'clock, local time, after ``now``."""
    return next_local_hour(settings.RESERVED_PLACE_LAPSE_HOUR, now)


def schedule_places_lapse() -> bool:
    """Queue the nightly lapse for the next lapse hour, unless one is waiting.

    With tasks run inline (development, tests) this does nothing: ``manage.py lapse_reserved_places`` runs it.
    """
    return schedule_once(lapse_reserved_places_nightly, run_after=next_lapse_at())
