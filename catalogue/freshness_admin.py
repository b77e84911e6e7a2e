"""The admin side of freshness: a dashboard panel of the user's stale offers and the one-click confirm."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.admin.ui.components import Component

from organisations.permissions import organisations_editable_by

from .freshness import offer_confirm, stale_after_days, stale_offers_for, unpriced_offers_for
from .models import OfferPage

PANEL_LIMIT = 20


class StaleOffersPanel(Component):
    """Shown to people who edit offers: which of their offers wait for a confirmation."""

    name = "stale_offers"
    template_name = "catalogue/freshness_panel.html"
    order = 105  # above Wagtail's own panels: this is the partner's to-do list
    # A coordinator's first task is the drafts waiting for review (Wagtail's panel, order 220); the network's
    # stale offers, often many, come after it.
    order_for_reviewers = 230

    def __init__(self, *, reviewer: bool = False) -> None:
        if reviewer:
            self.order = self.order_for_reviewers

    def render_html(self, parent_context=None) -> str:
        request = parent_context["request"]
        if not organisations_editable_by(request.user).exists():
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        offers = stale_offers_for(request.user)
        unpriced = unpriced_offers_for(request.user)
        return {
            "unpriced": unpriced[:PANEL_LIMIT],
            "unpriced_total": unpriced.count(),
            "offers": offers[:PANEL_LIMIT],
            "total": offers.count(),
            "days": stale_after_days(),
            "request": request,
            "csrf_token": parent_context["csrf_token"],
            "next_url": reverse("wagtailadmin_home"),
        }


@require_POST
def offer_confirm_view(request: HttpRequest, offer_id: int) -> HttpResponse:
    """Confirm one offer as still correct; only its organisation's editors (and coordinators) may."""
    offer = get_object_or_404(OfferPage.objects.select_related("organisation"), pk=offer_id)
    try:
        changed = offer_confirm(offer=offer, by=request.user)
    except PermissionDenied:
        # A plain 403: Wagtail's admin would turn the exception into a redirect that looks like success.
        return HttpResponseForbidden(_("You may not confirm the offers of this organisation."))
    if changed:
        messages.success(request, _("'%(title)s' is confirmed as still correct.") % {"title": offer.title})
    else:
        messages.info(request, _("'%(title)s' was already confirmed today.") % {"title": offer.title})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("wagtailadmin_home")
    return redirect(next_url)
