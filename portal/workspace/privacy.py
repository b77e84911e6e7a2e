"""Retention and access: purging what is past its period, and exporting all that is held about one case code."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from organisations.permissions import can_see_case

from .models import AuditAction, AuditEntry, CaseStatus, ClientCase, Referral, ReferralStatus, UnmetNeed
from .services import audit_record

PURGE_USERNAME = "purge_expired"


def _before(kind: str, now: datetime) -> datetime:
    return now - timedelta(days=settings.WORKSPACE_RETENTION_DAYS[kind])


@transaction.atomic
def purge_expired(now: datetime | None = None) -> dict[str, int]:
    """Delete every record past its retention period and say how many of each; a second run deletes nothing."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    expired_cases = ClientCase.objects.filter(
        Q(status=CaseStatus.CLOSED, closed_at__lt=_before("closed_case", now))
        | Q(updated_at__lt=_before("inactive_case", now))
    ).select_related("organisation")
    for case in expired_cases:
        AuditEntry.objects.create(
            username=PURGE_USERNAME,
            organisation_id=case.organisation_id,
            organisation_name=case.organisation.name,
            case_code=case.code,
            action=AuditAction.DELETE,
        )
    counts["referrals_of_deleted_cases"] = Referral.objects.filter(case__in=expired_cases).count()
    counts["cases"] = expired_cases.count()
    expired_cases.delete()
    ended = (
        Referral.objects.filter(status__in=[ReferralStatus.STOPPED, ReferralStatus.NO_RESPONSE])
        .annotate(last_change=Max("changes__at"))
        .filter(last_change__lt=_before("ended_referral", now))
    )
    counts["ended_referrals"] = (
        Referral.objects.filter(pk__in=list(ended.values_list("pk", flat=True)))
        .delete()[1]
        .get("workspace.Referral", 0)
    )
    counts["unmet_needs"] = UnmetNeed.objects.filter(recorded_at__lt=_before("unmet_need", now)).delete()[0]
    # The audit log is append-only for people; only its own retention removes entries, in bulk.
    counts["audit_entries"] = AuditEntry.objects.expire_before(_before("audit_entry", now))
    return counts


def case_export(*, by: AbstractBaseUser, case: ClientCase) -> dict:
    """Everything held about one case code in its organisation: the case, shortlist, referrals, history, audit."""
    if not can_see_case(by, case):
        raise PermissionDenied
    audit_record(user=by, case=case, action=AuditAction.EXPORT)
    referrals = case.referrals.prefetch_related("changes")
    return {
        "case": {
            "code": case.code,
            "organisation": case.organisation.name,
            "status": case.status,
            "created_at": case.created_at.isoformat(),
            "updated_at": case.updated_at.isoformat(),
            "closed_at": case.closed_at.isoformat() if case.closed_at else None,
            "ages": case.ages,
            "budget": str(case.budget) if case.budget is not None else None,
            "has_uitpas": case.has_uitpas,
            "social_tariff": case.social_tariff,
            "home_neighbourhood": case.home_neighbourhood.code if case.home_neighbourhood else None,
            "travel_km": case.travel_km,
            "accessibility": case.accessibility,
            "dutch_level": case.dutch_level,
            "languages": sorted(case.languages.values_list("code", flat=True)),
            "domains": case.domains,
            "themes": sorted(case.themes.values_list("slug", flat=True)),
            "weekdays": case.weekdays,
            "parts_of_day": case.parts_of_day,
            "needs_childcare": case.needs_childcare,
            "needs_contact_person": case.needs_contact_person,
            "wants_companion": case.wants_companion,
            "no_experience": case.no_experience,
            "wants_free_trial": case.wants_free_trial,
        },
        "shortlist": [
            {"offer_id": item.offer_id, "offer": item.offer.title, "added_at": item.added_at.isoformat()}
            for item in case.shortlist.select_related("offer")
        ],
        "referrals": [
            {
                "offer": referral.offer_title,
                "partner": referral.partner.name if referral.partner else None,
                "consent_by": referral.consent_by.get_username() if referral.consent_by else None,
                "consent_at": referral.consent_at.isoformat(),
                "first_visit_wishes": referral.first_visit_wishes,
                "contact_arrangement": referral.contact_arrangement,
                "status": referral.status,
                "stop_reason": referral.stop_reason,
                "first_visit_on": referral.first_visit_on.isoformat() if referral.first_visit_on else None,
                "welcome_rating": referral.welcome_rating,
                "history": [
                    {
                        "status": change.status,
                        "stop_reason": change.stop_reason,
                        "by": change.by_username,
                        "at": change.at.isoformat(),
                    }
                    for change in referral.changes.all()
                ],
            }
            for referral in referrals
        ],
        "audit": [
            {"at": entry.at.isoformat(), "user": entry.username, "action": entry.action, "detail": entry.detail}
            for entry in AuditEntry.objects.filter(case_code=case.code, organisation_id=case.organisation_id).order_by(
                "at", "pk"
            )
        ],
    }
