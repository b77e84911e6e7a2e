"""The partner's referral inbox in the Wagtail admin: case code, wishes, contact arrangement and whom to call.

These are the admin's only pages with case data, so each asks for the second factor first.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import second_factor
from .models import AuditAction, PlaceStatus, ReferralStatus
from .places import place_answer
from .referrals import PARTNER_STATUSES, referral_set_status, referrals_for_partner
from .services import audit_record


def case_data_view(view: Callable) -> Callable:
    """An admin page with case data: never cached, and only after this session confirmed a code.

    A form sent before the code was confirmed is not replayed: after the code the person is back
    at the inbox, to send it again.
    """

    @wraps(view)
    @never_cache
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        back = request.get_full_path() if request.method == "GET" else reverse("workspace_referral_inbox")
        return second_factor.redirect_unless_verified(request, back) or view(request, *args, **kwargs)

    return wrapper


@case_data_view
def referral_inbox(request: HttpRequest) -> HttpResponse:
    """The partner's referrals, by case code; each one shown is a read of its case, audited as any other."""
    inbox = (
        referrals_for_partner(request.user)
        .select_related("case__organisation")
        .only(
            "id",
            "case__code",
            "case__organisation__name",
            "offer_title",
            "first_visit_wishes",
            "contact_arrangement",
            "mediator_phone",
            "created_by__first_name",
            "created_by__last_name",
            "created_by__username",
            "status",
            "sent_at",
            "place_status",
            "place_answer_by",
        )
    )
    for referral in inbox:
        audit_record(user=request.user, case=referral.case, action=AuditAction.READ, detail=f"inbox:{referral.pk}")
    statuses = [(value, label) for value, label in ReferralStatus.choices if value in PARTNER_STATUSES]
    return TemplateResponse(request, "workspace/admin/referral_inbox.html", {"referrals": inbox, "statuses": statuses})


@require_POST
@case_data_view
def referral_inbox_status(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(referrals_for_partner(request.user), pk=pk)
    status = request.POST.get("status", "")
    if status not in PARTNER_STATUSES:
        raise PermissionDenied
    referral_set_status(by=request.user, referral=referral, status=status)
    messages.success(request, _("The mediator sees the new status."))
    return redirect("workspace_referral_inbox")


@require_POST
@case_data_view
def referral_inbox_place(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(referrals_for_partner(request.user), pk=pk)
    answer = request.POST.get("answer", "")
    if answer not in ("confirm", "decline"):
        raise PermissionDenied
    try:
        referral = place_answer(by=request.user, referral=referral, confirm=answer == "confirm")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        confirmed = referral.place_status == PlaceStatus.CONFIRMED
        messages.success(
            request,
            _("The mediator is told the reserved place is confirmed.")
            if confirmed
            else _("The mediator is told the reserved place is declined."),
        )
    return redirect("workspace_referral_inbox")
