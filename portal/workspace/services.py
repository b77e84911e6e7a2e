"""Writes for client cases and shortlists, each one written to the audit log in the same transaction."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import OfferPage
from organisations.models import Organisation
from organisations.permissions import can_see_case, organisations_with_cases_for

from .models import AuditAction, AuditEntry, CaseStatus, ClientCase, ShortlistItem
from .validators import generate_case_code, normalise_case_code, validate_no_contact_details

GENERATE_ATTEMPTS = 20


# Who the audit log names for a submission of the public intake form, where no one is signed in.
PUBLIC_USERNAME = "public form"


def audit_record(
    *,
    user: AbstractBaseUser,
    case: ClientCase | None,
    action: str,
    case_code: str = "",
    detail: str = "",
    organisation: Organisation | None = None,
) -> AuditEntry:
    """Append one entry to the audit log: who, which organisation, which case code, what, when.

    Records that are not a case yet (an intake) pass their own reference as ``case_code`` and the
    organisation that holds them.
    """
    organisation = case.organisation if case is not None else organisation
    return AuditEntry.objects.create(
        user_id=user.pk,
        username=(user.get_username() or PUBLIC_USERNAME)[:150],
        organisation_id=organisation.pk if organisation else None,
        organisation_name=organisation.name if organisation else "",
        case_code=case.code if case is not None else case_code[:20],
        action=action,
        detail=detail[:200],
    )


def _unique_code(organisation: Organisation) -> str:
    for _attempt in range(GENERATE_ATTEMPTS):
        code = generate_case_code()
        if not ClientCase.objects.filter(organisation=organisation, code=code).exists():
            return code
    raise ValidationError({"code": _("Could not make a free case code; please choose one.")})


def _save(case: ClientCase, *, languages, themes) -> ClientCase:
    taken = ClientCase.objects.filter(organisation=case.organisation, code=case.code).exclude(pk=case.pk)
    if case.code and taken.exists():
        raise ValidationError({"code": _("Your organisation already has a case with this code.")})
    case.full_clean()
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as error:  # a concurrent case took the same code
        raise ValidationError({"code": _("Your organisation already has a case with this code.")}) from error
    case.languages.set(languages)
    case.themes.set(themes)
    return case


@transaction.atomic
def case_create(
    *, by: AbstractBaseUser, organisation: Organisation, values: dict, languages=(), themes=()
) -> ClientCase:
    """A new open case in one of the user's own organisations; the code is generated when none is given."""
    if not organisations_with_cases_for(by).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    values = dict(values)
    code = normalise_case_code(values.pop("code", ""))
    case = ClientCase(organisation=organisation, created_by=by, code=code or _unique_code(organisation), **values)
    _save(case, languages=languages, themes=themes)
    audit_record(user=by, case=case, action=AuditAction.CREATE)
    return case


@transaction.atomic
def case_update(*, by: AbstractBaseUser, case: ClientCase, values: dict, languages=(), themes=()) -> ClientCase:
    """Change a case the user may see; closing it starts its retention period."""
    if not can_see_case(by, case):
        raise PermissionDenied
    values = dict(values)
    if "code" in values:
        values["code"] = normalise_case_code(values["code"]) or case.code
    for name, value in values.items():
        setattr(case, name, value)
    if case.status == CaseStatus.CLOSED and case.closed_at is None:
        case.closed_at = timezone.now()
    elif case.status == CaseStatus.OPEN:
        case.closed_at = None
    _save(case, languages=languages, themes=themes)
    audit_record(user=by, case=case, action=AuditAction.UPDATE)
    return case


@transaction.atomic
def shortlist_add(*, by: AbstractBaseUser, case: ClientCase, offer: OfferPage) -> ShortlistItem:
    if not can_see_case(by, case):
        raise PermissionDenied
    item, created = ShortlistItem.objects.get_or_create(case=case, offer=offer)
    if created:
        audit_record(user=by, case=case, action=AuditAction.SHORTLIST_ADD, detail=str(offer.pk))
    return item


@transaction.atomic
def shortlist_remove(*, by: AbstractBaseUser, case: ClientCase, offer: OfferPage) -> None:
    if not can_see_case(by, case):
        raise PermissionDenied
    deleted, _details = ShortlistItem.objects.filter(case=case, offer=offer).delete()
    if deleted:
        audit_record(user=by, case=case, action=AuditAction.SHORTLIST_REMOVE, detail=str(offer.pk))


def case_touch(case: ClientCase) -> None:
    """Work on a case's trajectory (a step, an evaluation, an intervention) is activity on the case.

    It moves ``updated_at``, which the retention of inactive cases counts from (``privacy.purge_expired``).
    """
    ClientCase.objects.filter(pk=case.pk).update(updated_at=timezone.now())


def check_free_text(errors: dict[str, list[str]], name: str, value: str) -> None:
    """Free text about a client may not carry contact details: the refusal is kept under the field's name."""
    try:
        validate_no_contact_details(value)
    except ValidationError as error:
        errors.setdefault(name, []).extend(error.messages)
