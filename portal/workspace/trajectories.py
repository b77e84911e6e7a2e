"""The trajectory of a case: its kind and goals, the steps on its timeline, evaluations, closure, and the agenda.

Every write asks ``can_see_case`` on the trajectory's case (the one permission rule), is written
to the audit log, and counts as activity on the case for its retention (``services.case_touch``).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.permissions import can_see_case, cases_visible_to

from .models import (
    EFFECT_DIMENSIONS,
    THRESHOLD_GROUPS,
    AuditAction,
    CaseStatus,
    ClientCase,
    ContactWay,
    Destination,
    EffectScore,
    Evaluation,
    Independence,
    IntakeEvent,
    LadderRung,
    Referral,
    StepKind,
    ThresholdGroup,
    Trajectory,
    TrajectoryKind,
    TrajectoryStep,
)
from .referrals import add_months
from .services import audit_record, case_touch, check_free_text

# After the client goes to the regular offer, the first aftercare check comes this many months later.
AFTERCARE_AFTER_MONTHS = 1


def evaluation_months() -> int:
    return settings.WORKSPACE_EVALUATION_MONTHS


def _allowed(by: AbstractBaseUser, case: ClientCase) -> None:
    if not can_see_case(by, case):
        raise PermissionDenied


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _check_mediator(errors: dict[str, list[str]], case: ClientCase, person: AbstractBaseUser | None) -> None:
    if person is not None and not can_see_case(person, case):
        errors["mediator"] = [_("Choose a mediator of the organisation that holds the case.")]


@transaction.atomic
def trajectory_start(
    *,
    by: AbstractBaseUser,
    case: ClientCase,
    kind: str,
    goals: str = "",
    main_threshold: str = "",
    mediator: AbstractBaseUser | None = None,
    started_on: date | None = None,
) -> Trajectory:
    """Start the case's trajectory; the first evaluation is due at once."""
    _allowed(by, case)
    errors: dict[str, list[str]] = {}
    if Trajectory.objects.filter(case=case).exists():
        errors["kind"] = [_("This case already has a trajectory.")]
    if kind not in TrajectoryKind.values:
        errors["kind"] = [_("Choose a short or a long trajectory.")]
    if main_threshold and main_threshold not in dict(THRESHOLD_GROUPS):
        errors["main_threshold"] = [_("Choose the main threshold from the list.")]
    check_free_text(errors, "goals", goals)
    _check_mediator(errors, case, mediator)
    _raise(errors)
    trajectory = Trajectory.objects.create(
        case=case,
        kind=kind,
        goals=goals.strip(),
        main_threshold=main_threshold,
        mediator=mediator or by,
        started_on=started_on or timezone.localdate(),
    )
    audit_record(user=by, case=case, action=AuditAction.TRAJECTORY, detail="start")
    case_touch(case)
    return trajectory


@transaction.atomic
def trajectory_update(
    *,
    by: AbstractBaseUser,
    trajectory: Trajectory,
    kind: str,
    goals: str,
    main_threshold: str,
    mediator: AbstractBaseUser | None,
) -> Trajectory:
    _allowed(by, trajectory.case)
    errors: dict[str, list[str]] = {}
    if kind not in TrajectoryKind.values:
        errors["kind"] = [_("Choose a short or a long trajectory.")]
    if main_threshold and main_threshold not in dict(THRESHOLD_GROUPS):
        errors["main_threshold"] = [_("Choose the main threshold from the list.")]
    check_free_text(errors, "goals", goals)
    _check_mediator(errors, trajectory.case, mediator)
    _raise(errors)
    trajectory.kind, trajectory.goals, trajectory.main_threshold = kind, goals.strip(), main_threshold
    trajectory.mediator = mediator
    trajectory.save()
    audit_record(user=by, case=trajectory.case, action=AuditAction.TRAJECTORY, detail="update")
    case_touch(trajectory.case)
    return trajectory


def _open(trajectory: Trajectory) -> None:
    if not trajectory.is_open:
        raise ValidationError(_("This trajectory is closed."))


def _after_first_contact(*, by: AbstractBaseUser, trajectory: Trajectory) -> None:
    """The resident's contact is erased and the referrer hears that the first contact happened."""
    from .intakes import erase_resident_contact, intake_record_progress

    intake = getattr(trajectory.case, "intake", None)
    if intake is None:
        return
    erase_resident_contact(intake)
    intake_record_progress(intake=intake, event=IntakeEvent.FIRST_CONTACT, by=by)


def _plan_aftercare(*, by: AbstractBaseUser, trajectory: Trajectory, after: date) -> None:
    planned = trajectory.steps.filter(kind=StepKind.AFTERCARE, done=False, on__gte=after).exists()
    if not planned:
        TrajectoryStep.objects.create(
            trajectory=trajectory,
            kind=StepKind.AFTERCARE,
            on=add_months(after, AFTERCARE_AFTER_MONTHS),
            by=trajectory.mediator or by,
        )


def _step_effects(*, by: AbstractBaseUser, step: TrajectoryStep) -> None:
    if not step.done:
        return
    if step.kind == StepKind.FIRST_CONTACT:
        _after_first_contact(by=by, trajectory=step.trajectory)
    if step.kind == StepKind.REGULAR_OFFER:
        _plan_aftercare(by=by, trajectory=step.trajectory, after=step.on)


@transaction.atomic
def step_add(
    *,
    by: AbstractBaseUser,
    trajectory: Trajectory,
    kind: str,
    on: date,
    done: bool,
    contact_way: str = "",
    note: str = "",
    who: AbstractBaseUser | None = None,
    referral: Referral | None = None,
    today: date | None = None,
) -> TrajectoryStep:
    """Plan or record a step; a done first contact erases the resident's contact and tells the referrer."""
    case = trajectory.case
    _allowed(by, case)
    _open(trajectory)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if kind not in StepKind.values:
        errors["kind"] = [_("Choose a kind of step.")]
    if done and on > today:
        errors["on"] = [_("A step that is done cannot lie in the future.")]
    if kind == StepKind.FIRST_CONTACT and contact_way not in ContactWay.values:
        errors["contact_way"] = [_("Say how the first contact happens.")]
    if contact_way and contact_way not in ContactWay.values:
        errors["contact_way"] = [_("Choose how from the list.")]
    if referral is not None and referral.case_id != case.pk:
        errors["referral"] = [_("Choose a referral of this case.")]
    if who is not None and not can_see_case(who, case):
        errors["who"] = [_("Choose a mediator of the organisation that holds the case.")]
    check_free_text(errors, "note", note)
    _raise(errors)
    step = TrajectoryStep.objects.create(
        trajectory=trajectory,
        kind=kind,
        on=on,
        done=done,
        contact_way=contact_way if kind == StepKind.FIRST_CONTACT or contact_way else "",
        note=note.strip(),
        by=who or by,
        referral=referral,
    )
    _step_effects(by=by, step=step)
    audit_record(
        user=by, case=case, action=AuditAction.STEP, detail=f"{step.pk}:{kind}:{'done' if done else 'planned'}"
    )
    case_touch(case)
    return step


@transaction.atomic
def step_mark_done(
    *,
    by: AbstractBaseUser,
    step: TrajectoryStep,
    on: date | None = None,
    note: str = "",
    next_on: date | None = None,
) -> TrajectoryStep:
    """A planned step happened (on its date, or the date given); an aftercare check may plan the next one."""
    case = step.trajectory.case
    _allowed(by, case)
    _open(step.trajectory)
    errors: dict[str, list[str]] = {}
    on = on or min(step.on, timezone.localdate())
    if on > timezone.localdate():
        errors["on"] = [_("A step that is done cannot lie in the future.")]
    if next_on is not None and step.kind != StepKind.AFTERCARE:
        errors["next_on"] = [_("Only an aftercare check plans a next check.")]
    elif next_on is not None and next_on <= on:
        errors["next_on"] = [_("The next aftercare check comes after this one.")]
    check_free_text(errors, "note", note)
    _raise(errors)
    step.done, step.on = True, on
    if note.strip():
        step.note = note.strip()
    step.save(update_fields=["done", "on", "note"])
    if next_on is not None:
        TrajectoryStep.objects.create(
            trajectory=step.trajectory, kind=StepKind.AFTERCARE, on=next_on, by=step.by, referral=step.referral
        )
    _step_effects(by=by, step=step)
    audit_record(user=by, case=case, action=AuditAction.STEP, detail=f"{step.pk}:{step.kind}:done")
    case_touch(case)
    return step


@transaction.atomic
def evaluation_record(
    *,
    by: AbstractBaseUser,
    trajectory: Trajectory,
    on: date,
    intrapersonal: int,
    interpersonal: int,
    other_domains: int,
    independence: int,
    ladder_rung: int | None = None,
    note: str = "",
) -> Evaluation:
    """The two-minute evaluation; the next one falls due ``WORKSPACE_EVALUATION_MONTHS`` later."""
    case = trajectory.case
    _allowed(by, case)
    _open(trajectory)
    errors: dict[str, list[str]] = {}
    scores = {"intrapersonal": intrapersonal, "interpersonal": interpersonal, "other_domains": other_domains}
    for name, value in scores.items():
        if value not in EffectScore.values:
            errors[name] = [_("Choose one of the four answers.")]
    if independence not in Independence.values:
        errors["independence"] = [_("Choose how independently the client takes part.")]
    if ladder_rung is not None and ladder_rung not in LadderRung.values:
        errors["ladder_rung"] = [_("Choose a rung of the ladder, or leave it empty.")]
    if on > timezone.localdate():
        errors["on"] = [_("An evaluation cannot lie in the future.")]
    if on < trajectory.started_on:
        errors["on"] = [_("An evaluation cannot come before the trajectory started.")]
    check_free_text(errors, "note", note)
    _raise(errors)
    evaluation = Evaluation.objects.create(
        trajectory=trajectory,
        on=on,
        ladder_rung=ladder_rung,
        note=note.strip(),
        by=by,
        independence=independence,
        **scores,
    )
    audit_record(user=by, case=case, action=AuditAction.EVALUATION, detail=str(evaluation.pk))
    case_touch(case)
    return evaluation


@transaction.atomic
def trajectory_close(
    *, by: AbstractBaseUser, trajectory: Trajectory, destination: str, reason: str, on: date | None = None
) -> Trajectory:
    """Close the trajectory with where the client went and why; the case closes with it and its retention starts."""
    from .intakes import intake_record_progress

    case = trajectory.case
    _allowed(by, case)
    _open(trajectory)
    on = on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if destination not in Destination.values:
        errors["destination"] = [_("Say where the client went.")]
    if reason not in ThresholdGroup.values:
        errors["reason"] = [_("Say why, with a threshold group.")]
    if on > timezone.localdate() or on < trajectory.started_on:
        errors["on"] = [_("The closing date lies between the start and today.")]
    _raise(errors)
    trajectory.closed_on, trajectory.destination, trajectory.closure_reason = on, destination, reason
    trajectory.save(update_fields=["closed_on", "destination", "closure_reason"])
    trajectory.steps.filter(done=False).delete()
    ClientCase.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_at=timezone.now())
    audit_record(user=by, case=case, action=AuditAction.TRAJECTORY, detail=f"close:{destination}")
    intake = getattr(case, "intake", None)
    if intake is not None:
        intake_record_progress(
            intake=intake,
            event=IntakeEvent.CLOSED,
            by=by,
            message=str(Destination(destination).label),
        )
    return trajectory


def next_evaluation_due(trajectory: Trajectory) -> date | None:
    """When the next evaluation is due: at the start, then every ``WORKSPACE_EVALUATION_MONTHS`` after the last."""
    if not trajectory.is_open:
        return None
    last = max((evaluation.on for evaluation in trajectory.evaluations.all()), default=None)
    return trajectory.started_on if last is None else add_months(last, evaluation_months())


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    kind: str
    label: str
    done: bool
    who: str
    note: str
    step: TrajectoryStep | None = None
    evaluation: Evaluation | None = None


def _person(user: AbstractBaseUser | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def timeline(trajectory: Trajectory) -> list[TimelineEntry]:
    """Start, steps, evaluations and closure in date order: the trajectory as the case page tells it."""
    entries = [
        TimelineEntry(
            on=trajectory.started_on,
            kind="start",
            label=_("Start: %(kind)s") % {"kind": trajectory.get_kind_display()},
            done=True,
            who=_person(trajectory.mediator),
            note="",
        )
    ]
    for step in trajectory.steps.select_related("by", "referral"):
        label = step.get_kind_display()
        if step.contact_way:
            label = f"{label} ({step.get_contact_way_display().lower()})"
        if step.referral is not None:
            label = f"{label}: {step.referral.offer_title}"
        entries.append(
            TimelineEntry(
                on=step.on, kind=step.kind, label=label, done=step.done, who=_person(step.by), note=step.note, step=step
            )
        )
    for evaluation in trajectory.evaluations.select_related("by"):
        entries.append(
            TimelineEntry(
                on=evaluation.on,
                kind="evaluation",
                label=_("Evaluation"),
                done=True,
                who=_person(evaluation.by),
                note=evaluation.note,
                evaluation=evaluation,
            )
        )
    if trajectory.closed_on:
        entries.append(
            TimelineEntry(
                on=trajectory.closed_on,
                kind="closure",
                label=_("Closed: %(destination)s (%(reason)s)")
                % {
                    "destination": trajectory.get_destination_display(),
                    "reason": trajectory.get_closure_reason_display(),
                },
                done=True,
                who="",
                note="",
            )
        )
    order = {"start": 0, "closure": 2}
    return sorted(entries, key=lambda entry: (entry.on, order.get(entry.kind, 1)))


@dataclass(frozen=True)
class AgendaItem:
    on: date
    case: ClientCase
    what: str
    overdue: bool
    step: TrajectoryStep | None = None


@dataclass(frozen=True)
class Agenda:
    items: list[AgendaItem]
    caseload: dict[str, int]

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.overdue)


def my_trajectories(user: AbstractBaseUser) -> QuerySet[Trajectory]:
    return Trajectory.objects.filter(case__in=cases_visible_to(user), mediator=user)


def agenda(user: AbstractBaseUser, *, today: date | None = None, horizon_days: int = 42) -> Agenda:
    """The mediator's planned steps, aftercare checks and evaluations due, overdue first, and their caseload.

    Only trajectories of cases the user may see and that name them as mediator; steps planned for
    the user on a colleague's trajectory count too.
    """
    today = today or timezone.localdate()
    until = today + timedelta(days=horizon_days)
    visible = cases_visible_to(user)
    items: list[AgendaItem] = []
    steps = (
        TrajectoryStep.objects.filter(done=False, by=user, trajectory__case__in=visible, on__lte=until)
        .filter(trajectory__closed_on__isnull=True)
        .select_related("trajectory__case")
    )
    for step in steps:
        what = step.get_kind_display()
        if step.note:
            what = f"{what}: {step.note}"
        items.append(AgendaItem(on=step.on, case=step.trajectory.case, what=what, overdue=step.on < today, step=step))
    open_trajectories = (
        my_trajectories(user).filter(closed_on__isnull=True).select_related("case").prefetch_related("evaluations")
    )
    caseload = dict.fromkeys(TrajectoryKind.values, 0)
    for trajectory in open_trajectories:
        caseload[trajectory.kind] += 1
        due = next_evaluation_due(trajectory)
        if due is not None and due <= until:
            items.append(AgendaItem(on=due, case=trajectory.case, what=_("Evaluation due"), overdue=due < today))
    items.sort(key=lambda item: (not item.overdue, item.on, item.case.code))
    return Agenda(items=items, caseload=caseload)


# The chart's geometry: one line per effect, x by evaluation, y from 1 (bottom) to 4 (top).
CHART_WIDTH, CHART_HEIGHT, CHART_LEFT, CHART_TOP, CHART_BOTTOM = 480, 220, 120, 16, 44
CHART_RIGHT = 45
CHART_SERIES = (
    ("intrapersonal", "#0a4f8a", "0"),
    ("interpersonal", "#8a3b00", "6 4"),
    ("other_domains", "#2e6b2e", "2 3"),
)


def evaluation_chart(trajectory: Trajectory) -> dict | None:
    """Points and axis labels for the server-rendered SVG line chart of the evaluations; None without any."""
    evaluations = list(trajectory.evaluations.all())
    if not evaluations:
        return None
    plot_width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    step = plot_width / max(1, len(evaluations) - 1)

    # Whole numbers: the template must not print coordinates with a localised decimal comma.
    def y(score: int) -> int:
        return round(CHART_TOP + plot_height * (4 - score) / 3)

    xs = [round(CHART_LEFT + index * step) for index in range(len(evaluations))]
    labels = dict(
        zip(
            EFFECT_DIMENSIONS,
            (Evaluation._meta.get_field(name).verbose_name for name in EFFECT_DIMENSIONS),
            strict=True,
        )
    )
    series = []
    for name, colour, dash in CHART_SERIES:
        points = [(x, y(getattr(evaluation, name))) for x, evaluation in zip(xs, evaluations, strict=True)]
        series.append(
            {
                "label": str(labels[name]).capitalize(),
                "colour": colour,
                "dash": dash,
                "points": points,
                "path": " ".join(f"{x},{py}" for x, py in points),
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "levels": [{"y": y(score), "label": label} for score, label in EffectScore.choices],
        "dates": [
            {"x": x, "label": evaluation.on.strftime("%d/%m/%y")} for x, evaluation in zip(xs, evaluations, strict=True)
        ],
        "baseline": CHART_HEIGHT - CHART_BOTTOM + 18,
        "series": series,
        "evaluations": evaluations,
    }


def case_trajectory(case: ClientCase) -> dict:
    """What the case page shows of the trajectory: timeline, chart, evaluation due, intake and interventions."""
    from .funds import funds_apply_to
    from .models import Intake

    trajectory = Trajectory.objects.filter(case=case).select_related("mediator").first()
    context = {
        "trajectory": trajectory,
        "case_intake": Intake.objects.filter(case=case).first(),
        "interventions": case.interventions.all(),
        "funds_apply": funds_apply_to(case),
        "today": timezone.localdate(),
    }
    if trajectory is not None:
        context.update(
            timeline=timeline(trajectory),
            chart=evaluation_chart(trajectory),
            evaluation_due=next_evaluation_due(trajectory),
        )
    return context
