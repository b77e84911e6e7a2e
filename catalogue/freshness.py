"""Freshness of offers: which are stale, an organisation confirming one is still correct, and reminders.

An offer is stale when its organisation has not confirmed it for more than ``OFFER_STALE_AFTER_DAYS``
days. Staleness depends on today's date, so it is computed when asked (here, and by the search at
query time from the indexed ``last_confirmed``), never stored.
"""

import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.log_actions import log
from wagtail.users.models import UserProfile

from organisations.models import Organisation
from organisations.permissions import can_edit_for, organisations_editable_by
from organisations.roles import Role

from .models import OfferPage, OfferReminder
from .signals import offer_confirmed

logger = logging.getLogger(__name__)

CONFIRM_LOG_ACTION = "catalogue.offer_confirmed"


def stale_after_days() -> int:
    return settings.OFFER_STALE_AFTER_DAYS


def stale_cutoff(today: date | None = None) -> date:
    """Offers last confirmed before this day are stale."""
    return (today or timezone.localdate()) - timedelta(days=stale_after_days())


def is_stale(offer: OfferPage, today: date | None = None) -> bool:
    return offer.last_confirmed < stale_cutoff(today)


def stale_offers(*, organisations: QuerySet[Organisation] | None = None, today: date | None = None) -> QuerySet:
    """Published offers not confirmed within the period, the longest-unconfirmed first."""
    offers = OfferPage.objects.live().filter(last_confirmed__lt=stale_cutoff(today))
    if organisations is not None:
        offers = offers.filter(organisation__in=organisations)
    return offers.select_related("organisation").order_by("last_confirmed", "title", "pk")


def stale_offers_for(user: AbstractBaseUser, today: date | None = None) -> QuerySet:
    """The stale offers of the organisations this user may edit (all of them for a coordinator)."""
    return stale_offers(organisations=organisations_editable_by(user), today=today)


def unpriced_offers_for(user: AbstractBaseUser) -> QuerySet:
    """Published offers of this user's organisations whose price nobody has given yet (an import without one)."""
    return (
        OfferPage.objects.live()
        .filter(organisation__in=organisations_editable_by(user), list_price__isnull=True)
        .select_related("organisation")
        .order_by("title", "pk")
    )


@transaction.atomic
def offer_confirm(*, offer: OfferPage, by: AbstractBaseUser, today: date | None = None) -> bool:
    """Record that the organisation checked the offer and it is still correct; returns whether the date moved.

    Confirming is not a content change, so it makes no revision: a new revision built from the live
    page would bury a pending draft, and one built from the draft would publish unreviewed changes.
    Instead the date is set on the page and in the content of its live and latest revisions, so
    publishing the draft later keeps it; the page history records a "confirmed" log entry; and the
    change feed is told through ``offer_confirmed``.
    """
    if not can_edit_for(by, offer.organisation):
        raise PermissionDenied
    today = today or timezone.localdate()
    if offer.last_confirmed >= today:
        return False
    OfferPage.objects.filter(pk=offer.pk).update(last_confirmed=today)
    offer.last_confirmed = today
    for revision in {offer.live_revision, offer.latest_revision} - {None}:
        revision.content["last_confirmed"] = today.isoformat()
        revision.save(update_fields=["content"])
    log(instance=offer, action=CONFIRM_LOG_ACTION, user=by)
    offer_confirmed.send(sender=OfferPage, instance=offer)
    return True


# Reminders


@dataclass
class ReminderReport:
    organisations: int = 0
    messages: int = 0
    offers: int = 0
    without_editors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _due(offers: QuerySet, today: date) -> QuerySet:
    """Stale offers not yet reminded in the current period: at most one reminder per offer per period."""
    return offers.filter(
        Q(reminder__isnull=True) | Q(reminder__reminded_on__lte=today - timedelta(days=stale_after_days()))
    )


def _editors(organisation: Organisation) -> list[AbstractBaseUser]:
    return list(
        get_user_model()
        .objects.filter(memberships__organisation=organisation, memberships__role=Role.PARTNER_EDITOR, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _language(user: AbstractBaseUser) -> str:
    return UserProfile.get_for_user(user).get_preferred_language() or settings.LANGUAGE_CODE


def _message(*, user: AbstractBaseUser, organisation: Organisation, offers: list[OfferPage]) -> EmailMessage:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with translation.override(_language(user)):
        context = {
            "user": user,
            "organisation": organisation,
            "offers": [(offer, base + reverse("wagtailadmin_pages:edit", args=[offer.pk])) for offer in offers],
            "dashboard_url": base + reverse("wagtailadmin_home"),
            "days": stale_after_days(),
        }
        subject = render_to_string("catalogue/freshness_reminder_subject.txt", context).strip()
        body = render_to_string("catalogue/freshness_reminder_email.txt", context)
    return EmailMessage(subject=subject, body=body, to=[user.email])


def reminders_send(*, today: date | None = None) -> ReminderReport:
    """E-mail each organisation's editors the list of its stale offers, when any is due a reminder.

    One message per editor (addresses are not shared between partners' people). An organisation is
    written to only when at least one of its stale offers has not been reminded in the current period;
    the message then lists all its stale offers, and all of them count as reminded today. An
    organisation without editors, or whose mail fails, is not marked, so the next run tries again.
    """
    today = today or timezone.localdate()
    report = ReminderReport()
    due_organisations = set(_due(stale_offers(today=today), today).values_list("organisation_id", flat=True))
    stale_by_organisation: dict[int, list[OfferPage]] = defaultdict(list)
    for offer in stale_offers(today=today).filter(organisation_id__in=due_organisations):
        stale_by_organisation[offer.organisation_id].append(offer)
    connection = get_connection()
    for offers in stale_by_organisation.values():
        organisation = offers[0].organisation
        editors = _editors(organisation)
        if not editors:
            report.without_editors.append(organisation.name)
            continue
        messages = [_message(user=editor, organisation=organisation, offers=offers) for editor in editors]
        try:
            connection.send_messages(messages)
        except (smtplib.SMTPException, OSError):
            logger.exception("Freshness reminder to %s failed; it is tried again on the next run.", organisation)
            report.failed.append(organisation.name)
            continue
        with transaction.atomic():
            for offer in offers:
                OfferReminder.objects.update_or_create(offer=offer, defaults={"reminded_on": today})
        report.organisations += 1
        report.messages += len(messages)
        report.offers += len(offers)
    return report
