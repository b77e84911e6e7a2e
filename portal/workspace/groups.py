"""Group programmes (OpStap, 'Perfect is saai'): enrolment, the waiting list and attendance.

A mediator enrols a case they may see (``can_see_case``); a place is taken while the programme's capacity
allows, else the case waits in order and moves up when a place frees. The guide (a partner editor of the
programme's organisation, or the mediation team running it) records attendance per session and sees
the enrolled cases' codes only. The offer's ``group_enrolled`` is recounted after every change, so search
and the OpenActive feed read the places left without a join.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import OfferPage, OfferSession, SessionStatus
from organisations.permissions import can_see_case, organisations_with_cases_for
from search.indexer import index_after_commit

from .models import Attendance, AuditAction, ClientCase, Enrolment, EnrolmentStatus, Presence
from .services import audit_record

ABSENCES_IN_A_ROW = 2


def programmes_guided_by(user: AbstractBaseUser) -> QuerySet[OfferPage]:
    """The group programmes whose attendance this person records: their partner organisation's, or their team's."""
    from .referrals import inbox_organisations

    return OfferPage.objects.filter(is_group_programme=True).filter(
        Q(organisation__in=inbox_organisations(user)) | Q(organisation__in=organisations_with_cases_for(user))
    )


def group_places_recount(offer_id: int) -> None:
    enrolled = Enrolment.objects.filter(offer_id=offer_id, status=EnrolmentStatus.ENROLLED).count()
    OfferPage.objects.filter(pk=offer_id).update(group_enrolled=enrolled)
    index_after_commit([offer_id])


def _has_place(offer: OfferPage) -> bool:
    return offer.group_places_left is None or offer.group_places_left > 0


@transaction.atomic
def enrol(*, by: AbstractBaseUser, case: ClientCase, offer: OfferPage) -> Enrolment:
    """Enrol the case: a place when one is left, else the next place on the waiting list."""
    if not can_see_case(by, case):
        raise PermissionDenied
    offer = OfferPage.objects.select_for_update().get(pk=offer.pk)
    if not offer.is_group_programme:
        raise ValidationError(_("This offer is not a group programme."))
    enrolment = Enrolment.objects.filter(case=case, offer=offer).first()
    if enrolment is not None and enrolment.status != EnrolmentStatus.LEFT:
        raise ValidationError(_("This case is already enrolled or waiting."))
    enrolment = enrolment or Enrolment(case=case, offer=offer)
    enrolment.created_by, enrolment.outcome = by, ""
    if _has_place(offer):
        enrolment.status, enrolment.position = EnrolmentStatus.ENROLLED, None
    else:
        last = Enrolment.objects.filter(offer=offer, status=EnrolmentStatus.WAITING).aggregate(last=Max("position"))
        enrolment.status, enrolment.position = EnrolmentStatus.WAITING, (last["last"] or 0) + 1
    enrolment.save()
    group_places_recount(offer.pk)
    audit_record(user=by, case=case, action=AuditAction.ENROL, detail=f"{offer.pk}:{enrolment.status}")
    _trajectory_step(by, case, f"{offer.title}: {enrolment.get_status_display()}")
    return enrolment


def _trajectory_step(by: AbstractBaseUser, case: ClientCase, note: str) -> None:
    """An open trajectory's timeline shows the enrolment as a group programme step, its note naming the programme."""
    from .models import StepKind, Trajectory
    from .trajectories import step_add

    trajectory = Trajectory.objects.filter(case=case, closed_on__isnull=True).first()
    if trajectory is not None:
        today = timezone.localdate()
        step_add(by=by, trajectory=trajectory, kind=StepKind.GROUP_PROGRAMME, on=today, done=True, note=note[:300])


@transaction.atomic
def leave(*, by: AbstractBaseUser, enrolment: Enrolment, outcome: str = "") -> Enrolment | None:
    """The case leaves the programme (or the waiting list); a freed place goes to the first case waiting.

    Returns the enrolment that moved up, if any; its mediator is told by e-mail after the commit.
    """
    if not can_see_case(by, enrolment.case):
        raise PermissionDenied
    offer = OfferPage.objects.select_for_update().get(pk=enrolment.offer_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.LEFT:
        raise ValidationError(_("This case already left the programme."))
    enrolment.status, enrolment.position, enrolment.outcome = EnrolmentStatus.LEFT, None, outcome
    enrolment.save()
    group_places_recount(offer.pk)
    audit_record(user=by, case=enrolment.case, action=AuditAction.ENROL, detail=f"{offer.pk}:left")
    moved = waiting_list_move_up(offer.pk)
    return moved[0] if moved else None


@transaction.atomic
def waiting_list_move_up(offer_id: int) -> list[Enrolment]:
    """Give each free place to the next case waiting, in order; their mediators are told after the commit."""
    offer = OfferPage.objects.select_for_update().get(pk=offer_id)
    waiting = (
        Enrolment.objects.select_for_update()
        .filter(offer=offer, status=EnrolmentStatus.WAITING)
        .order_by("position", "created_at")
    )
    moved = []
    for enrolment in waiting:
        if not _has_place(offer):
            break
        enrolment.status, enrolment.position = EnrolmentStatus.ENROLLED, None
        enrolment.save()
        group_places_recount(offer.pk)
        offer.refresh_from_db()
        moved.append(enrolment)
        transaction.on_commit(lambda enrolment=enrolment: _tell_moved_up(enrolment, offer))
    return moved


def _tell_moved_up(enrolment: Enrolment, offer: OfferPage) -> None:
    from .referrals import _mail

    _mail(
        _("A place in %(offer)s for case %(code)s") % {"offer": offer.title, "code": enrolment.case.code},
        "workspace/email/group_moved_up.txt",
        {"enrolment": enrolment, "offer": offer},
        [enrolment.created_by.email if enrolment.created_by else ""],
    )


def waiting_position(enrolment: Enrolment) -> int | None:
    """Where the case stands on the waiting list: 1 is next."""
    if enrolment.status != EnrolmentStatus.WAITING:
        return None
    ahead = Enrolment.objects.filter(offer_id=enrolment.offer_id, status=EnrolmentStatus.WAITING)
    return ahead.filter(position__lt=enrolment.position).count() + 1


def programme_enrolments(*, by: AbstractBaseUser, offer: OfferPage) -> dict[str, list[Enrolment]]:
    """For the guide: who holds a place and who waits, in order, by case code only."""
    if not programmes_guided_by(by).filter(pk=offer.pk).exists():
        raise PermissionDenied
    enrolments = (
        Enrolment.objects.filter(offer=offer, status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING])
        .select_related("case")
        .only("pk", "status", "position", "case__code", "case__organisation_id", "offer_id")
    )
    return {
        "enrolled": sorted((e for e in enrolments if e.status == EnrolmentStatus.ENROLLED), key=lambda e: e.case.code),
        "waiting": sorted((e for e in enrolments if e.status == EnrolmentStatus.WAITING), key=lambda e: e.position),
    }


def session_roll(*, by: AbstractBaseUser, session: OfferSession) -> list[tuple[Enrolment, str]]:
    """The session's participants for the guide: enrolments (the case code only) with their recorded attendance."""
    if not programmes_guided_by(by).filter(pk=session.offer_id).exists():
        raise PermissionDenied
    enrolments = (
        Enrolment.objects.filter(offer_id=session.offer_id)
        .filter(Q(status=EnrolmentStatus.ENROLLED) | Q(attendances__session=session))
        .distinct()
        .select_related("case")
        .only("pk", "status", "case__code", "case__organisation_id", "offer_id")
        .order_by("case__code")
    )
    recorded = dict(
        Attendance.objects.filter(session=session).values_list("enrolment_id", "presence"),
    )
    return [(enrolment, recorded.get(enrolment.pk, "")) for enrolment in enrolments]


@transaction.atomic
def record_attendance(*, by: AbstractBaseUser, session: OfferSession, presences: dict[int, str]) -> int:
    """Record present, excused or absent for the session's enrolled cases; returns how many were recorded."""
    roll = {enrolment.pk: enrolment for enrolment, _was in session_roll(by=by, session=session)}
    recorded = 0
    for enrolment_id, presence in presences.items():
        if presence not in Presence.values:
            raise ValidationError(_("Choose present, excused or absent."))
        enrolment = roll.get(enrolment_id)
        if enrolment is None:
            raise PermissionDenied
        Attendance.objects.update_or_create(enrolment=enrolment, session=session, defaults={"presence": presence})
        audit_record(user=by, case=enrolment.case, action=AuditAction.ATTENDANCE, detail=f"{session.pk}:{presence}")
        recorded += 1
    return recorded


def attendance_of(enrolment: Enrolment) -> list[tuple[OfferSession, str]]:
    """Every session of the programme with the case's attendance ('' not recorded), in date order."""
    recorded = dict(enrolment.attendances.values_list("session_id", "presence"))
    sessions = OfferSession.objects.filter(offer_id=enrolment.offer_id).order_by("start")
    return [(session, recorded.get(session.pk, "")) for session in sessions]


def absent_in_a_row(enrolment: Enrolment) -> bool:
    """The case's latest recorded sessions were missed without notice, ``ABSENCES_IN_A_ROW`` times running."""
    latest = list(
        enrolment.attendances.exclude(session__status=SessionStatus.CANCELLED)
        .order_by("-session__start")
        .values_list("presence", flat=True)[:ABSENCES_IN_A_ROW]
    )
    return len(latest) == ABSENCES_IN_A_ROW and all(presence == Presence.ABSENT for presence in latest)


def case_programmes(case: ClientCase) -> dict:
    """For the case's page: its programmes with place, waiting position, attendance and absence prompts."""
    rows = []
    for enrolment in case.enrolments.select_related("offer").order_by("-created_at"):
        rows.append(
            {
                "enrolment": enrolment,
                "position": waiting_position(enrolment),
                "attendance": attendance_of(enrolment),
                "absent_in_a_row": enrolment.status == EnrolmentStatus.ENROLLED and absent_in_a_row(enrolment),
            }
        )
    return {"programmes": rows, "absence_prompts": [row for row in rows if row["absent_in_a_row"]]}


def absence_prompts_for(user: AbstractBaseUser) -> list[Enrolment]:
    """The enrolments of this mediator's cases that missed two sessions in a row without notice."""
    from organisations.permissions import cases_visible_to

    enrolments = Enrolment.objects.filter(
        case__in=cases_visible_to(user), status=EnrolmentStatus.ENROLLED, attendances__presence=Presence.ABSENT
    ).distinct()
    return [enrolment for enrolment in enrolments.select_related("case", "offer") if absent_in_a_row(enrolment)]
