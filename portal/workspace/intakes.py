"""One point of contact: intakes from referrers and residents, the team's triage, and what the referrer is told.

The team's mediators read an intake through ``intakes_visible_to``; its referrer only follows the
status (``IntakeChange`` events, with a short message) on their own page or through the status
link in each message. A resident's contact is encrypted (``contact.py``), read only through
``intake_resident_contact`` (audited) and erased at the first contact or after its retention.
"""

import secrets
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Neighbourhood
from organisations.models import Organisation
from organisations.permissions import intakes_referred_by, intakes_visible_to, organisations_referring_for
from organisations.roles import Role

from .contact import decrypt_contact, encrypt_contact
from .models import (
    THRESHOLD_GROUPS,
    AuditAction,
    ContactWay,
    Intake,
    IntakeChange,
    IntakeEvent,
    IntakeSource,
    IntakeStatus,
    ReferrerKind,
    TrajectoryKind,
)
from .services import audit_record, case_create, check_free_text
from .tasks import send_intake_message

# Events the referrer gets a message about; the others show on the status page only.
NOTIFIED_EVENTS = {
    IntakeEvent.RECEIVED,
    IntakeEvent.MORE_INFO,
    IntakeEvent.ACCEPTED,
    IntakeEvent.REDIRECTED,
    IntakeEvent.DECLINED,
    IntakeEvent.FIRST_CONTACT,
    IntakeEvent.CLOSED,
}
FREE_TEXT_FIELDS = ("question", "motivation")


class Decision:
    ACCEPT = "accept"
    MORE_INFO = "more_info"
    REDIRECT = "redirect"
    DECLINE = "decline"
    CHOICES = (ACCEPT, MORE_INFO, REDIRECT, DECLINE)


@dataclass
class IntakeInput:
    """What a referrer or resident tells the team; checked as a whole before anything is written."""

    question: str
    first_contact_way: str
    client_agreed: bool
    motivation: str = ""
    thresholds: list[str] = field(default_factory=list)
    household_ages: list[int] = field(default_factory=list)
    neighbourhood: Neighbourhood | None = None
    referrer_organisation: Organisation | None = None
    referrer_organisation_name: str = ""
    referrer_kind: str = ""
    referrer_name: str = ""
    referrer_email: str = ""
    referrer_phone: str = ""
    resident_contact: str = ""


def mediation_teams() -> QuerySet[Organisation]:
    """The organisations a referral can go to: those with mediators (the network's mediation teams)."""
    return Organisation.objects.filter(memberships__role=Role.MEDIATOR).distinct().order_by("name")


def _validate(data: IntakeInput, source: str) -> None:
    errors: dict[str, list[str]] = {}
    if not data.question.strip():
        errors["question"] = [_("Say in a few words what the client would like.")]
    for name in FREE_TEXT_FIELDS:
        check_free_text(errors, name, getattr(data, name))
    if data.first_contact_way not in ContactWay.values:
        errors["first_contact_way"] = [_("Choose how the first contact can happen.")]
    if not data.client_agreed:
        errors["client_agreed"] = [
            _("Ask the client first: the team only takes a referral the client agreed to.")
            if source != IntakeSource.RESIDENT
            else _("Tick that the team may keep this to contact you.")
        ]
    if any(value not in dict(THRESHOLD_GROUPS) for value in data.thresholds):
        errors["thresholds"] = [_("Choose thresholds from the list.")]
    if any(not isinstance(age, int) or not 0 <= age <= 120 for age in data.household_ages):
        errors["household_ages"] = [_("Each age is a whole number from 0 to 120.")]
    if source == IntakeSource.RESIDENT:
        if not data.resident_contact.strip():
            errors["resident_contact"] = [_("Leave a phone number or e-mail address, so the team can reach you.")]
    else:
        if not (data.referrer_organisation or data.referrer_organisation_name.strip()):
            errors["referrer_organisation_name"] = [_("Name the organisation you work for.")]
        if not data.referrer_name.strip():
            errors["referrer_name"] = [_("Give your name, so the team knows who refers.")]
        if not data.referrer_email.strip():
            errors["referrer_email"] = [_("Give your work e-mail: you get a message at each change.")]
        if data.referrer_kind and data.referrer_kind not in ReferrerKind.values:
            errors["referrer_kind"] = [_("Choose a kind of organisation from the list.")]
    if errors:
        raise ValidationError(errors)


def _record(intake: Intake, event: str, *, by: AbstractBaseUser | None, message: str = "") -> IntakeChange:
    """Keep the event in the intake's history and, after commit, queue the referrer's message."""
    now = timezone.now()
    change = IntakeChange.objects.create(
        intake=intake,
        event=event,
        message=message.strip(),
        by_username=(by.get_username() if by is not None and by.is_authenticated else "") or "system",
        at=now,
    )
    Intake.objects.filter(pk=intake.pk).update(changed_at=now)
    intake.changed_at = now
    if event in NOTIFIED_EVENTS:
        transaction.on_commit(lambda: send_intake_message.enqueue(change.pk))
    return change


def _source_for(data: IntakeInput, team: Organisation, resident: bool) -> str:
    if resident:
        return IntakeSource.RESIDENT
    own = data.referrer_organisation == team or data.referrer_kind == ReferrerKind.LEISURE_SERVICE
    return IntakeSource.OWN_SERVICE if own else IntakeSource.OTHER_SERVICE


@transaction.atomic
def intake_submit(
    *, team: Organisation, data: IntakeInput, by: AbstractBaseUser | None = None, resident: bool = False
) -> Intake:
    """File an intake with a mediation team; refused whole, naming each field, when anything is wrong.

    ``by`` is the signed-in referrer (or a mediator filing for someone), or None for the public form.
    """
    if not mediation_teams().filter(pk=team.pk).exists():
        raise ValidationError({"team": [_("Choose one of the network's mediation teams.")]})
    refers_for = data.referrer_organisation
    if (
        refers_for is not None
        and not organisations_referring_for(by or AnonymousUser()).filter(pk=refers_for.pk).exists()
    ):
        raise PermissionDenied
    source = _source_for(data, team, resident)
    _validate(data, source)
    intake = Intake.objects.create(
        team=team,
        source=source,
        referred_by=by if by is not None and by.is_authenticated else None,
        referrer_organisation=data.referrer_organisation,
        referrer_organisation_name=(
            data.referrer_organisation.name if data.referrer_organisation else data.referrer_organisation_name.strip()
        ),
        referrer_kind=data.referrer_kind,
        referrer_name=data.referrer_name.strip(),
        referrer_email=data.referrer_email.strip(),
        referrer_phone=data.referrer_phone.strip(),
        question=data.question.strip(),
        motivation=data.motivation.strip(),
        thresholds=list(dict.fromkeys(data.thresholds)),
        household_ages=data.household_ages,
        neighbourhood=data.neighbourhood,
        first_contact_way=data.first_contact_way,
        client_agreed=True,
        resident_contact=encrypt_contact(data.resident_contact) if resident else "",
        status_token=secrets.token_urlsafe(32),
    )
    _audit(by, intake, AuditAction.CREATE, "intake")
    _record(intake, IntakeEvent.RECEIVED, by=by)
    return intake


def _audit(by: AbstractBaseUser | None, intake: Intake, action: str, detail: str = "") -> None:
    """An intake is logged under its number, in the team that holds it."""
    audit_record(
        user=by or AnonymousUser(),
        case=None,
        case_code=intake.reference,
        organisation=intake.team,
        action=action,
        detail=detail,
    )


def _visible(by: AbstractBaseUser, intake: Intake) -> None:
    if not intakes_visible_to(by).filter(pk=intake.pk).exists():
        raise PermissionDenied


def intake_read(*, by: AbstractBaseUser, intake: Intake) -> Intake:
    """A mediator of the team opens the intake: the read is audited."""
    _visible(by, intake)
    _audit(by, intake, AuditAction.READ)
    return intake


@transaction.atomic
def intake_take(*, by: AbstractBaseUser, intake: Intake) -> Intake:
    """A mediator takes the intake from the queue, so colleagues see who is on it."""
    _visible(by, intake)
    if not intake.is_open:
        raise ValidationError(_("This intake was already triaged."))
    intake.taken_by = by
    intake.save(update_fields=["taken_by"])
    _record(intake, IntakeEvent.TAKEN, by=by)
    _audit(by, intake, AuditAction.TRIAGE, "take")
    return intake


@transaction.atomic
def intake_triage(
    *,
    by: AbstractBaseUser,
    intake: Intake,
    decision: str,
    message: str = "",
    redirected_to: str = "",
    kind: str = "",
    main_threshold: str = "",
    code: str = "",
    today: date | None = None,
) -> Intake:
    """Accept (a case and its trajectory open), ask for more, redirect (named, with a reason) or decline (a reason)."""
    from .trajectories import trajectory_start

    _visible(by, intake)
    if not intake.is_open:
        raise ValidationError(_("This intake was already triaged."))
    errors: dict[str, list[str]] = {}
    if decision not in Decision.CHOICES:
        errors["decision"] = [_("Choose what happens with this intake.")]
    if decision == Decision.ACCEPT and kind not in TrajectoryKind.values:
        errors["kind"] = [_("Choose a short or a long trajectory.")]
    if decision == Decision.ACCEPT and main_threshold and main_threshold not in dict(THRESHOLD_GROUPS):
        errors["main_threshold"] = [_("Choose the main threshold from the list.")]
    if decision == Decision.MORE_INFO and not message.strip():
        errors["message"] = [_("Write what you would like to know.")]
    if decision in (Decision.REDIRECT, Decision.DECLINE) and not message.strip():
        errors["message"] = [_("Give the reason; the referrer reads it.")]
    if decision == Decision.REDIRECT and not redirected_to.strip():
        errors["redirected_to"] = [_("Name the service the client is redirected to.")]
    check_free_text(errors, "message", message)
    if errors:
        raise ValidationError(errors)
    intake.taken_by = intake.taken_by or by
    if decision == Decision.ACCEPT:
        case = case_create(
            by=by,
            organisation=intake.team,
            values={"code": code, "ages": intake.household_ages, "home_neighbourhood": intake.neighbourhood},
        )
        trajectory_start(
            by=by,
            case=case,
            kind=kind,
            main_threshold=main_threshold or next(iter(intake.thresholds), ""),
            started_on=today or timezone.localdate(),
        )
        intake.case = case
        intake.status = IntakeStatus.ACCEPTED
        event = IntakeEvent.ACCEPTED
        message = message or _("Your contact person in the team: %(name)s.") % {
            "name": by.get_full_name() or by.get_username()
        }
    elif decision == Decision.MORE_INFO:
        intake.status, event = IntakeStatus.MORE_INFO, IntakeEvent.MORE_INFO
    elif decision == Decision.REDIRECT:
        intake.status, event = IntakeStatus.REDIRECTED, IntakeEvent.REDIRECTED
        intake.redirected_to = redirected_to.strip()
        message = f"{intake.redirected_to}: {message.strip()}"
    else:
        intake.status, event = IntakeStatus.DECLINED, IntakeEvent.DECLINED
    intake.decision_reason = message.strip()
    intake.save()
    _record(intake, event, by=by, message=message)
    _audit(by, intake, AuditAction.TRIAGE, decision)
    return intake


@transaction.atomic
def intake_add_information(*, intake: Intake, text: str, by: AbstractBaseUser | None = None) -> Intake:
    """The referrer answers the team's question (signed in, or through their status link); it returns to the queue."""
    if intake.status != IntakeStatus.MORE_INFO:
        raise ValidationError({"text": [_("The team did not ask for more information.")]})
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = [_("Write the information the team asked for.")]
    check_free_text(errors, "text", text)
    if errors:
        raise ValidationError(errors)
    stamp = timezone.localdate().strftime("%d/%m/%Y")
    intake.extra_information = "\n\n".join(filter(None, [intake.extra_information, f"{stamp}: {text.strip()}"]))[:3000]
    intake.status = IntakeStatus.NEW
    intake.save(update_fields=["extra_information", "status"])
    _record(intake, IntakeEvent.INFORMATION_ADDED, by=by)
    _audit(by, intake, AuditAction.UPDATE, "information")
    return intake


def intake_resident_contact(*, by: AbstractBaseUser, intake: Intake) -> str:
    """The resident's contact in plain, for a mediator of the team; every read is written to the audit log."""
    _visible(by, intake)
    _audit(by, intake, AuditAction.INTAKE_CONTACT)
    return decrypt_contact(intake.resident_contact)


def erase_resident_contact(intake: Intake) -> bool:
    """Forget the resident's contact for good; returns whether there was one."""
    erased = (
        Intake.objects.filter(pk=intake.pk)
        .exclude(resident_contact="")
        .update(resident_contact="", resident_contact_erased_at=timezone.now())
    )
    intake.resident_contact = ""
    return bool(erased)


def intake_record_progress(*, intake: Intake, event: str, by: AbstractBaseUser, message: str = "") -> None:
    """The trajectory's first contact and closure reach the referrer as status, once each."""
    if not intake.changes.filter(event=event).exists():
        _record(intake, event, by=by, message=message)


def intake_queue(user: AbstractBaseUser) -> QuerySet[Intake]:
    """The team's open intakes, oldest first, with those asked for more information after the waiting ones."""
    return (
        intakes_visible_to(user)
        .filter(status__in=[IntakeStatus.NEW, IntakeStatus.MORE_INFO])
        .select_related("team", "taken_by", "neighbourhood")
        .order_by("status", "received_at")
    )


def intakes_triaged(user: AbstractBaseUser, *, limit: int = 30) -> QuerySet[Intake]:
    return (
        intakes_visible_to(user)
        .filter(~Q(status__in=[IntakeStatus.NEW, IntakeStatus.MORE_INFO]))
        .select_related("case")
        .order_by("-changed_at")[:limit]
    )


def referrer_intakes(user: AbstractBaseUser) -> QuerySet[Intake]:
    """A referrer's own intakes with their history; the case's content is never part of it."""
    return intakes_referred_by(user).prefetch_related("changes").order_by("-received_at")
