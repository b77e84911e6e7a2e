"""Group programme pages: a mediator enrols a case or takes it off; the guide records attendance on a phone.

The guide's pages ask for a signed-in person with a confirmed second factor, find programmes only through
``groups.programmes_guided_by`` and show the enrolled cases' codes, nothing else of a case.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from catalogue.models import OfferPage, OfferSession

from . import groups, second_factor
from .models import AuditAction, Enrolment, EnrolmentStatus, Presence, ProgrammeOutcome
from .services import audit_record
from .views import _case, workspace_view


def guide_view(view: Callable) -> Callable:
    """Signed in, second factor confirmed, never cached; which programmes is decided by ``programmes_guided_by``."""

    @wraps(view)
    @login_required
    @never_cache
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return second_factor.redirect_unless_verified(request, request.get_full_path()) or view(
            request, *args, **kwargs
        )

    return wrapper


def _programmes_anchor(pk: int) -> str:
    return f"{reverse('workspace:case_detail', args=[pk])}#programmes-heading"


@require_POST
@workspace_view
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    offer = OfferPage.objects.live().filter(is_group_programme=True, pk=request.POST.get("offer") or 0).first()
    if offer is None:
        messages.error(request, _("Group programme: choose a programme."))
        return redirect(_programmes_anchor(case.pk))
    try:
        enrolment = groups.enrol(by=request.user, case=case, offer=offer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_programmes_anchor(case.pk))
    names = {"code": case.code, "offer": offer.title}
    if enrolment.status == EnrolmentStatus.ENROLLED:
        messages.success(request, _("Case %(code)s is enrolled in %(offer)s.") % names)
    else:
        names["position"] = groups.waiting_position(enrolment)
        full = _("%(offer)s is full: case %(code)s is number %(position)s on the waiting list.")
        messages.success(request, full % names)
    return redirect(_programmes_anchor(case.pk))


@require_POST
@workspace_view
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("case", "offer"), pk=pk)
    case = _case(request, enrolment.case_id)
    outcome = request.POST.get("outcome", "")
    if outcome and outcome not in ProgrammeOutcome.values:
        raise PermissionDenied
    try:
        moved = groups.leave(by=request.user, enrolment=enrolment, outcome=outcome)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_programmes_anchor(case.pk))
    messages.success(request, _("Case %(code)s left %(offer)s.") % {"code": case.code, "offer": enrolment.offer.title})
    if moved is not None:
        messages.success(request, _("The first case on the waiting list moved up; its mediator is told."))
    return redirect(_programmes_anchor(case.pk))


@guide_view
def guided_programmes(request: HttpRequest) -> HttpResponse:
    programmes = groups.programmes_guided_by(request.user).prefetch_related("sessions").order_by("start_date", "title")
    if not programmes.exists():
        raise PermissionDenied
    rows = []
    for offer in programmes:
        enrolments = groups.programme_enrolments(by=request.user, offer=offer)
        for enrolment in [*enrolments["enrolled"], *enrolments["waiting"]]:
            detail = f"programme:{offer.pk}"
            audit_record(user=request.user, case=enrolment.case, action=AuditAction.READ, detail=detail)
        rows.append({"offer": offer, **enrolments})
    return render(request, "workspace/group_programmes.html", {"programmes": rows})


@guide_view
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        OfferSession.objects.filter(offer__in=groups.programmes_guided_by(request.user)).select_related("offer"), pk=pk
    )
    error = ""
    if request.method == "POST":
        presences = {}
        for key, value in request.POST.items():
            if key.startswith("presence-") and key.removeprefix("presence-").isdigit():
                presences[int(key.removeprefix("presence-"))] = value
        try:
            count = groups.record_attendance(by=request.user, session=session, presences=presences)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, _("Attendance saved for %(count)s participants.") % {"count": count})
            return redirect("workspace:session_attendance", pk=session.pk)
    roll = groups.session_roll(by=request.user, session=session)
    for enrolment, _presence in roll:
        audit_record(user=request.user, case=enrolment.case, action=AuditAction.READ, detail=f"attendance:{session.pk}")
    context = {"session": session, "offer": session.offer, "roll": roll, "presences": Presence.choices, "error": error}
    return render(request, "workspace/session_attendance.html", context, status=400 if error else 200)
