"""Retention and access: purging what is past its period, and exporting all that is held about one case code."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from organisations.models import Network
from organisations.permissions import can_see_case

from .groups import group_places_recount, waiting_list_move_up
from .models import (
    PLACE_HOLDING,
    AuditAction,
    AuditEntry,
    CaseStatus,
    ClientCase,
    Enrolment,
    Evaluation,
    FundIntervention,
    Intake,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    ShortlistItem,
    Trajectory,
    TrajectoryStep,
    UnmetNeed,
)
from .places import offer_places_recount
from .services import audit_record

PURGE_USERNAME = "purge_expired"


def _before(kind: str, now: datetime) -> datetime:
    return now - timedelta(days=settings.WORKSPACE_RETENTION_DAYS[kind])


def _shorter_periods(kind: str) -> dict[int, list[int]]:
    """{days: organisation ids} of the mediation teams whose network keeps this kind of data shorter than the
    installation; a team in several networks keeps it as briefly as the strictest of them."""
    default = settings.WORKSPACE_RETENTION_DAYS[kind]
    shortest: dict[int, int] = {}
    for network in Network.objects.prefetch_related("mediation_teams"):
        days = network.retention(kind)
        if days < default:
            for team in network.mediation_teams.all():
                shortest[team.pk] = min(shortest.get(team.pk, days), days)
    periods: dict[int, list[int]] = {}
    for team, days in shortest.items():
        periods.setdefault(days, []).append(team)
    return periods


def _expired(kind: str, now: datetime, field: str, organisation: str, *, dates: bool = False) -> Q:
    """Rows whose ``field`` lies before this kind's period, the installation's or their team's network's."""

    def cutoff(days: int):
        moment = now - timedelta(days=days)
        return timezone.localdate(moment) if dates else moment

    expired = Q(**{f"{field}__lt": cutoff(settings.WORKSPACE_RETENTION_DAYS[kind])})
    for days, teams in _shorter_periods(kind).items():
        expired |= Q(**{f"{organisation}__in": teams, f"{field}__lt": cutoff(days)})
    return expired


def _inactive(now: datetime) -> Q:
    """Cases quiet for longer than the installation's inactive period, or their team's network's."""
    inactive = ~_active_since(_before("inactive_case", now))
    for days, teams in _shorter_periods("inactive_case").items():
        inactive |= Q(organisation__in=teams) & ~_active_since(now - timedelta(days=days))
    return inactive


# Changes that leave no dated row of their own (a removed shortlist item, a welcome rating): their audit entry
# is their date. Reading a case (page, sheet, export) is no activity on it.
ACTIVITY_ONLY_AUDITED = (AuditAction.SHORTLIST_REMOVE, AuditAction.REFERRAL_STATUS)


def _active_since(moment: datetime) -> Q:
    """Cases with any activity at or after the moment: their own edit, a referral or a change of its status
    (by the mediator, the partner or a reminder), the shortlist, a trajectory step, evaluation or fund
    intervention, or a change that only the audit log dates (a shortlist removal, a rating)."""
    day = timezone.localdate(moment)
    case = OuterRef("pk")
    return (
        Q(updated_at__gte=moment)
        | Exists(Referral.objects.filter(case=case, sent_at__gte=moment))
        | Exists(ReferralStatusChange.objects.filter(referral__case=case, at__gte=moment))
        | Exists(ShortlistItem.objects.filter(case=case, added_at__gte=moment))
        | Exists(TrajectoryStep.objects.filter(trajectory__case=case, created_at__gte=moment))
        | Exists(Evaluation.objects.filter(trajectory__case=case, on__gte=day))
        | Exists(FundIntervention.objects.filter(case=case, created_at__gte=moment))
        | Exists(
            AuditEntry.objects.filter(
                organisation_id=OuterRef("organisation_id"),
                case_code=OuterRef("code"),
                action__in=ACTIVITY_ONLY_AUDITED,
                at__gte=moment,
            )
        )
    )


@transaction.atomic
def purge_expired(now: datetime | None = None) -> dict[str, int]:
    """Delete every record past its retention period and say how many of each; a second run deletes nothing."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    # An open trajectory is never purged, however long it has been quiet: someone is still guiding the client.
    # A closed case counts from its closing; any other case from its latest activity, whatever record holds it.
    expired_cases = (
        ClientCase.objects.filter(
            (Q(status=CaseStatus.CLOSED) & _expired("closed_case", now, "closed_at", "organisation")) | _inactive(now)
        )
        .exclude(trajectory__isnull=False, trajectory__closed_on__isnull=True)
        .select_related("organisation")
    )
    # Fixed before the purge writes its own audit entries, which would otherwise count as activity.
    expired_cases = ClientCase.objects.filter(pk__in=[case.pk for case in expired_cases]).select_related("organisation")
    for case in expired_cases:
        AuditEntry.objects.create(
            username=PURGE_USERNAME,
            organisation_id=case.organisation_id,
            organisation_name=case.organisation.name,
            case_code=case.code,
            action=AuditAction.DELETE,
        )
    # The offers whose kept places the deleted referrals held, recounted once they are gone.
    holding = set(
        Referral.objects.filter(place_status__in=PLACE_HOLDING, offer__isnull=False).values_list("offer_id", "pk")
    )
    counts["referrals_of_deleted_cases"] = Referral.objects.filter(case__in=expired_cases).count()
    counts["trajectories_of_deleted_cases"] = Trajectory.objects.filter(case__in=expired_cases).count()
    enrolments = Enrolment.objects.filter(case__in=expired_cases)
    counts["enrolments_of_deleted_cases"] = enrolments.count()
    programmes = set(enrolments.values_list("offer_id", flat=True))
    counts["cases"] = expired_cases.count()
    expired_cases.delete()
    for offer_id in programmes:
        group_places_recount(offer_id)
        waiting_list_move_up(offer_id)  # a deleted case's place goes to the next case waiting
    ended = (
        Referral.objects.filter(status__in=[ReferralStatus.STOPPED, ReferralStatus.NO_RESPONSE])
        .annotate(last_change=Max("changes__at"))
        .filter(_expired("ended_referral", now, "last_change", "case__organisation"))
    )
    counts["ended_referrals"] = (
        Referral.objects.filter(pk__in=list(ended.values_list("pk", flat=True)))
        .delete()[1]
        .get("workspace.Referral", 0)
    )
    remaining = set(Referral.objects.filter(pk__in=[pk for _offer, pk in holding]).values_list("pk", flat=True))
    for offer_id in {offer_id for offer_id, pk in holding if pk not in remaining}:
        offer_places_recount(offer_id)
    counts.update(_purge_intakes(now))
    counts["fund_interventions"] = FundIntervention.objects.filter(
        _expired("fund_intervention", now, "on", "organisation", dates=True)
    ).delete()[0]
    counts["unmet_needs"] = UnmetNeed.objects.filter(
        _expired("unmet_need", now, "recorded_at", "organisation")
    ).delete()[0]
    # The audit log is append-only for people and for the database; only its own retention removes entries,
    # counted from the database's clock (a purge cannot be told it is later than it is).
    counts["audit_entries"] = AuditEntry.objects.purge_expired(
        retention_days=settings.WORKSPACE_RETENTION_DAYS["audit_entry"]
    )
    return counts


def _purge_intakes(now: datetime) -> dict[str, int]:
    """Resident contacts past their short period are erased; intakes that never became a case go after theirs.

    An accepted intake lives as long as its case (deleting the case deletes it); the others
    (redirected, declined, or never answered) are deleted counted from their last change.
    """
    erased = (
        Intake.objects.exclude(resident_contact="")
        .filter(_expired("resident_contact", now, "received_at", "team"))
        .update(resident_contact="", resident_contact_erased_at=now)
    )
    ended = Intake.objects.filter(_expired("ended_intake", now, "changed_at", "team"), case__isnull=True)
    for intake in ended.select_related("team"):
        AuditEntry.objects.create(
            username=PURGE_USERNAME,
            organisation_id=intake.team_id,
            organisation_name=intake.team.name,
            case_code=intake.reference,
            action=AuditAction.DELETE,
        )
    return {"resident_contacts": erased, "ended_intakes": ended.delete()[1].get("workspace.Intake", 0)}


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
            "budget_per": case.budget_per,
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
                "reserved_place": referral.place_status,
                "reserved_place_answer_by": referral.place_answer_by.isoformat() if referral.place_answer_by else None,
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
        "group_programmes": [
            {
                "offer": enrolment.offer.title,
                "status": enrolment.status,
                "waiting_position": enrolment.position,
                "afterwards": enrolment.outcome,
                "created_at": enrolment.created_at.isoformat(),
                "attendance": [
                    {"session": attendance.session.start.isoformat(), "attendance": attendance.presence}
                    for attendance in enrolment.attendances.select_related("session").order_by("session__start")
                ],
            }
            for enrolment in case.enrolments.select_related("offer")
        ],
        "intake": _intake_export(getattr(case, "intake", None)),
        "trajectory": _trajectory_export(getattr(case, "trajectory", None)),
        "fund_interventions": [
            {
                "on": item.on.isoformat(),
                "fund": item.fund,
                "category": item.category,
                "total_cost": str(item.total_cost),
                "group_target": item.group_target,
                "group_total": item.group_total,
                "amount": str(item.amount),
                "note": item.note,
            }
            for item in case.interventions.all()
        ],
        "audit": [
            {"at": entry.at.isoformat(), "user": entry.username, "action": entry.action, "detail": entry.detail}
            for entry in AuditEntry.objects.filter(case_code=case.code, organisation_id=case.organisation_id).order_by(
                "at", "pk"
            )
        ],
    }


def _intake_export(intake: Intake | None) -> dict | None:
    """The intake behind a case; a resident's contact is only said to be held, never written out."""
    if intake is None:
        return None
    return {
        "reference": intake.reference,
        "received_at": intake.received_at.isoformat(),
        "source": intake.source,
        "referrer_organisation": intake.referrer_organisation_name,
        "referrer_name": intake.referrer_name,
        "question": intake.question,
        "motivation": intake.motivation,
        "extra_information": intake.extra_information,
        "thresholds": intake.thresholds,
        "household_ages": intake.household_ages,
        "neighbourhood": intake.neighbourhood.code if intake.neighbourhood else None,
        "first_contact_way": intake.first_contact_way,
        "resident_contact_held": intake.has_resident_contact,
        "history": [
            {"event": change.event, "message": change.message, "at": change.at.isoformat()}
            for change in intake.changes.all()
        ],
    }


def _trajectory_export(trajectory: Trajectory | None) -> dict | None:
    if trajectory is None:
        return None
    return {
        "kind": trajectory.kind,
        "goals": trajectory.goals,
        "main_threshold": trajectory.main_threshold,
        "started_on": trajectory.started_on.isoformat(),
        "closed_on": trajectory.closed_on.isoformat() if trajectory.closed_on else None,
        "destination": trajectory.destination,
        "closure_reason": trajectory.closure_reason,
        "steps": [
            {
                "on": step.on.isoformat(),
                "kind": step.kind,
                "done": step.done,
                "how": step.contact_way,
                "note": step.note,
            }
            for step in trajectory.steps.all()
        ],
        "evaluations": [
            {
                "on": evaluation.on.isoformat(),
                "intrapersonal": evaluation.intrapersonal,
                "interpersonal": evaluation.interpersonal,
                "other_domains": evaluation.other_domains,
                "independence": evaluation.independence,
                "ladder_rung": evaluation.ladder_rung,
                "note": evaluation.note,
            }
            for evaluation in trajectory.evaluations.all()
        ],
    }
