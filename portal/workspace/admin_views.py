"""The partner's referral inbox in the Wagtail admin: case code, wishes, contact arrangement and whom to call."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .models import ReferralStatus
from .referrals import PARTNER_STATUSES, referral_set_status, referrals_for_partner


@never_cache
def referral_inbox(request: HttpRequest) -> HttpResponse:
    inbox = referrals_for_partner(request.user).only(
        "id",
        "case__code",
        "offer_title",
        "first_visit_wishes",
        "contact_arrangement",
        "mediator_phone",
        "created_by__first_name",
        "created_by__last_name",
        "created_by__username",
        "status",
        "sent_at",
    )
    statuses = [(value, label) for value, label in ReferralStatus.choices if value in PARTNER_STATUSES]
    return TemplateResponse(request, "workspace/admin/referral_inbox.html", {"referrals": inbox, "statuses": statuses})


@require_POST
def referral_inbox_status(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(referrals_for_partner(request.user), pk=pk)
    status = request.POST.get("status", "")
    if status not in PARTNER_STATUSES:
        raise PermissionDenied
    referral_set_status(by=request.user, referral=referral, status=status)
    messages.success(request, _("The mediator sees the new status."))
    return redirect("workspace_referral_inbox")
