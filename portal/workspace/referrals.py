"""Referrals ("toeleiding") and their follow-up ("nazorg"): consent first, every status change kept, reminders.

The mediator's side is decided by ``can_see_case``, the partner's by ``can_edit_for`` on the
referral's partner organisation: both rules live in ``organisations.permissions``.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Avg, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalogue.models import OfferPage
from organisations.models import Membership, Organisation
from organisations.permissions import can_see_case, organisations_editable_by
from organisations.roles import Role

from .models import (
    AuditAction,
    ClientCase,
    ContactArrangement,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
)
from .phones import normalise_belgian_phone
from .places import place_release, place_request, place_used
from .services import audit_record
from .validators import validate_no_contact_details

MAIL_LANGUAGE = "nl-be"
PARTNER_REMINDER_WORKING_DAYS = 6
COORDINATOR_WORKING_DAYS = 9
NO_RESPONSE_DAYS = 14
AFTERCARE_MONTHS = (1, 3, 6)
# What a partner may report; the mediator may set any status.
PARTNER_STATUSES = {ReferralStatus.CONTACTED, ReferralStatus.FIRST_VISIT, ReferralStatus.PARTICIPATING}


def working_days_between(start: date, end: date) -> int:
    """Monday-to-Friday days after ``start`` up to and including ``end``."""
    days, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days += 1
    return days


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def _record_change(referral: Referral, *, by: AbstractBaseUser | None) -> None:
    ReferralStatusChange.objects.create(
        referral=referral,
        status=referral.status,
        stop_reason=referral.stop_reason,
        by_username=by.get_username() if by is not None else "system",
    )


def _mail(subject: str, template: str, context: dict, recipients: list[str]) -> None:
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    with translation.override(MAIL_LANGUAGE):
        body = render_to_string(template, context)
        send_mail(str(subject), body, settings.DEFAULT_FROM_EMAIL, recipients)


def _inbox_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/doorverwijzingen/"


@transaction.atomic
def referral_create(
    *,
    by: AbstractBaseUser,
    case: ClientCase,
    offer: OfferPage,
    consent: bool,
    contact_arrangement: str,
    first_visit_wishes: str = "",
    mediator_phone: str = "",
    reserve_place: bool = False,
) -> Referral:
    """Refer the client to an offer; refused until the client's consent to share is recorded.

    When the partner is to call the mediator, the mediator's Belgian work phone is required and
    kept on the referral; for any other arrangement no phone is kept.
    """
    if not can_see_case(by, case):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not consent:
        errors["consent"] = [_("Record that the client agrees before you refer.")]
    if contact_arrangement not in ContactArrangement.values:
        errors["contact_arrangement"] = [_("Choose how the first contact will go.")]
    phone = ""
    if contact_arrangement == ContactArrangement.PARTNER_CALLS_MEDIATOR:
        if not mediator_phone.strip():
            errors["mediator_phone"] = [_("Give your work phone, so the partner can call you.")]
        else:
            try:
                phone = normalise_belgian_phone(mediator_phone)
            except ValidationError as error:
                errors["mediator_phone"] = error.messages
    try:
        validate_no_contact_details(first_visit_wishes)
    except ValidationError as error:
        errors["first_visit_wishes"] = error.messages
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    referral = Referral.objects.create(
        case=case,
        offer=offer,
        offer_title=offer.title,
        partner=offer.organisation,
        domain=offer.domain,
        district=_offer_district(offer),
        consent_by=by,
        consent_at=now,
        first_visit_wishes=first_visit_wishes.strip(),
        contact_arrangement=contact_arrangement,
        mediator_phone=phone,
        created_by=by,
        sent_at=now,
    )
    _record_change(referral, by=by)
    if reserve_place:
        place_request(referral=referral, offer=offer)
    audit_record(user=by, case=case, action=AuditAction.REFER, detail=str(offer.pk))
    transaction.on_commit(
        lambda: _mail(
            _("New referral for %(offer)s") % {"offer": offer.title},
            "workspace/email/referral_new.txt",
            {"referral": referral, "inbox_url": _inbox_url()},
            [offer.referral_contact_email],
        )
    )
    return referral


def last_mediator_phone(user: AbstractBaseUser) -> str:
    """The work phone this mediator gave on their latest referral, to prefill the next one."""
    latest = Referral.objects.filter(created_by=user).exclude(mediator_phone="").order_by("-sent_at").first()
    return latest.mediator_phone if latest else ""


def referrals_for_partner(user: AbstractBaseUser) -> QuerySet[Referral]:
    """The referrals a partner's people see in their inbox: only for organisations they are partner editors of.

    A network coordinator edits every organisation's offers, but needs counts of referrals (the figures), not
    other organisations' wishes: the inbox is for the partner who receives the client (docs/privacy.md).
    """
    return Referral.objects.filter(partner__in=inbox_organisations(user)).select_related("case", "created_by")


def inbox_organisations(user: AbstractBaseUser) -> QuerySet[Organisation]:
    """The organisations whose referrals this person answers: those they are a partner editor of."""
    return organisations_editable_by(user).filter(memberships__user=user, memberships__role=Role.PARTNER_EDITOR)


@transaction.atomic
def referral_set_status(
    *, by: AbstractBaseUser, referral: Referral, status: str, stop_reason: str = "", first_visit_on: date | None = None
) -> Referral:
    """Move a referral to a new status; the mediator may set any, the partner only that contact and visits happened."""
    is_mediator = can_see_case(by, referral.case)
    is_partner = referrals_for_partner(by).filter(pk=referral.pk).exists()
    if not is_mediator and not (is_partner and status in PARTNER_STATUSES):
        raise PermissionDenied
    if status not in ReferralStatus.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    if status == ReferralStatus.STOPPED and not stop_reason:
        raise ValidationError({"stop_reason": [_("Say which threshold made the client stop.")]})
    referral.status = status
    referral.stop_reason = stop_reason if status == ReferralStatus.STOPPED else ""
    if status == ReferralStatus.FIRST_VISIT and referral.first_visit_on is None:
        referral.first_visit_on = first_visit_on or timezone.localdate()
    referral.save()
    if status in (ReferralStatus.FIRST_VISIT, ReferralStatus.PARTICIPATING):
        place_used(referral)
    elif status == ReferralStatus.STOPPED:
        place_release(referral)
    _record_change(referral, by=by)
    audit_record(user=by, case=referral.case, action=AuditAction.REFERRAL_STATUS, detail=f"{referral.pk}:{status}")
    return referral


@transaction.atomic
def referral_rate_welcome(*, by: AbstractBaseUser, referral: Referral, rating: int) -> Referral:
    """After a first visit the mediator notes how welcoming the offer was; it nudges the ranking."""
    if not can_see_case(by, referral.case):
        raise PermissionDenied
    if referral.first_visit_on is None:
        raise ValidationError({"welcome_rating": [_("Note the welcome after the first visit.")]})
    referral.welcome_rating = rating
    referral.save(update_fields=["welcome_rating"])
    audit_record(user=by, case=referral.case, action=AuditAction.REFERRAL_STATUS, detail=f"{referral.pk}:welcome")
    return referral


def welcome_scores(offer_ids) -> dict[int, float]:
    """The mean welcome rating (1 to 3) per offer, from every organisation's referrals: counts only, no cases."""
    rows = (
        Referral.objects.filter(offer_id__in=list(offer_ids), welcome_rating__isnull=False)
        .values("offer_id")
        .annotate(mean=Avg("welcome_rating"))
    )
    return {row["offer_id"]: float(row["mean"]) for row in rows}


def _coordinator_addresses() -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(role=Role.COORDINATOR)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def send_reminders(today: date) -> dict[str, int]:
    """Remind partners, tell coordinators, mark no response and prompt aftercare; each happens once.

    Safe to run any number of times a day: each step sets its marker in the same transaction as
    its mail is queued.
    """
    counts = {"partner_reminders": 0, "coordinator_notices": 0, "no_response": 0, "aftercare_prompts": 0}
    waiting = Referral.objects.filter(status=ReferralStatus.PROPOSED).select_related("case", "offer", "partner")
    for referral in waiting:
        sent = timezone.localdate(referral.sent_at)
        worked = working_days_between(sent, today)
        with transaction.atomic():
            if (today - sent).days >= NO_RESPONSE_DAYS:
                referral.status = ReferralStatus.NO_RESPONSE
                referral.save(update_fields=["status"])
                _record_change(referral, by=None)
                counts["no_response"] += 1
                continue
            if worked >= COORDINATOR_WORKING_DAYS and referral.coordinator_told_at is None:
                referral.coordinator_told_at = _at(today)
                referral.save(update_fields=["coordinator_told_at"])
                _mail(
                    _("A referral has had no answer for %(days)s working days") % {"days": COORDINATOR_WORKING_DAYS},
                    "workspace/email/referral_coordinator.txt",
                    {"referral": referral},
                    _coordinator_addresses(),
                )
                counts["coordinator_notices"] += 1
            if worked >= PARTNER_REMINDER_WORKING_DAYS and referral.partner_reminded_at is None:
                referral.partner_reminded_at = _at(today)
                referral.save(update_fields=["partner_reminded_at"])
                _mail(
                    _("Reminder: a referral for %(offer)s waits for your answer") % {"offer": referral.offer_title},
                    "workspace/email/referral_reminder.txt",
                    {"referral": referral, "inbox_url": _inbox_url()},
                    [referral.offer.referral_contact_email if referral.offer else ""],
                )
                counts["partner_reminders"] += 1
    visited = (
        Referral.objects.filter(first_visit_on__isnull=False)
        .exclude(status__in=[ReferralStatus.STOPPED])
        .select_related("case", "created_by")
    )
    for referral in visited:
        due = [
            months
            for months in AFTERCARE_MONTHS
            if months not in referral.aftercare_done and add_months(referral.first_visit_on, months) <= today
        ]
        if not due:
            continue
        with transaction.atomic():
            referral.aftercare_done = sorted({*referral.aftercare_done, *due})
            referral.save(update_fields=["aftercare_done"])
            _mail(
                _("Aftercare: how is case %(code)s doing?") % {"code": referral.case.code},
                "workspace/email/referral_aftercare.txt",
                {"referral": referral, "months": max(due)},
                [referral.created_by.email if referral.created_by else ""],
            )
            counts["aftercare_prompts"] += 1
    return counts


def _offer_district(offer: OfferPage) -> str:
    """Where the offer lies, as the referral keeps it: Antwerp's district, else its municipality."""
    if offer.neighbourhood is not None:
        return offer.neighbourhood.district.name
    return offer.municipality.name if offer.municipality is not None else ""
