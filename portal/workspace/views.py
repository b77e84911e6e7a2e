"""The mediator workspace pages: cases, matches, shortlist and client sheets; thin views over services.

Every page asks for a confirmed second factor, sends ``Cache-Control: no-store`` (through
``never_cache``) and finds cases only through ``organisations.permissions.cases_visible_to``, so
another organisation's case is a 404.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from catalogue.models import OfferPage
from catalogue.public_urls import public_url
from organisations.models import Network
from organisations.networks import network_for_request
from organisations.permissions import (
    can_use_mediator_tools,
    cases_visible_to,
    is_coordinator,
    organisations_with_cases_for,
)

from . import figures, referrals, second_factor, services
from .forms import CaseForm, MatchNarrowForm, ReferralForm, ReferralStatusForm, UnmetNeedForm, WelcomeForm
from .groups import absence_prompts_for, case_programmes
from .matching import Match, match_case, narrow_matches
from .models import AuditAction, CaseStatus, ClientCase, ProgrammeOutcome, Referral
from .privacy import case_export
from .qr import qr_svg
from .sheet import ClientSheet, build_sheet, sheet_pdf
from .trajectories import case_trajectory
from .trajectory_forms import StepDoneForm
from .unmet import unmet_from_empty_search, unmet_need_record, unmet_notes

SHEET_LANGUAGE = "nl-be"
# Matches on one page of a case: few enough that the page stays short on a phone.
MATCHES_PER_PAGE = 10


def _second_factor_redirect(request: HttpRequest) -> HttpResponse | None:
    """Where to send a person who has not confirmed a code in this session, or None when they have."""
    return second_factor.redirect_unless_verified(request, request.get_full_path())


def workspace_view(view: Callable) -> Callable:
    """Signed-in mediators and coordinators with a confirmed second factor only, never cached."""

    @wraps(view)
    @login_required
    @never_cache
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_use_mediator_tools(request.user):
            raise PermissionDenied
        return _second_factor_redirect(request) or view(request, *args, **kwargs)

    return wrapper


def _case(request: HttpRequest, pk: int) -> ClientCase:
    """The case if this user may see it; any other case, existing or not, is a 404."""
    return get_object_or_404(cases_visible_to(request.user).select_related("organisation", "home_neighbourhood"), pk=pk)


def _offer(pk: int) -> OfferPage:
    offer = OfferPage.objects.live().public().filter(pk=pk).first()
    if offer is None:
        raise Http404
    return offer


@workspace_view
def case_list(request: HttpRequest) -> HttpResponse:
    cases = cases_visible_to(request.user).select_related("organisation").order_by("status", "-updated_at")
    context = {"cases": cases, "absence_prompts": absence_prompts_for(request.user)}
    return render(request, "workspace/case_list.html", context)


def _save_form(request: HttpRequest, form: CaseForm, case: ClientCase | None) -> ClientCase | None:
    """Run the service for a valid form; service refusals land on the form under the field they name."""
    if not form.is_valid():
        return None
    values = form.values()
    relations = {"languages": form.cleaned_data["languages"], "themes": form.cleaned_data["themes"]}
    try:
        if case is None:
            return services.case_create(
                by=request.user, organisation=form.cleaned_data["organisation"], values=values, **relations
            )
        return services.case_update(by=request.user, case=case, values=values, **relations)
    except ValidationError as error:
        form.add_error(None, error)
        return None


@workspace_view
def case_create(request: HttpRequest) -> HttpResponse:
    organisations = organisations_with_cases_for(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = CaseForm(request.POST or None, organisations=organisations)
    if request.method == "POST":
        case = _save_form(request, form, None)
        if case is not None:
            messages.success(request, _("Case %(code)s was made.") % {"code": case.code})
            return redirect("workspace:case_detail", pk=case.pk)
    return render(request, "workspace/case_form.html", {"form": form, "case": None}, status=400 if form.errors else 200)


@workspace_view
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = CaseForm(request.POST or None, instance=case, organisations=organisations_with_cases_for(request.user))
    if request.method == "POST":
        saved = _save_form(request, form, case)
        if saved is not None:
            messages.success(request, _("Case %(code)s was saved.") % {"code": saved.code})
            return redirect("workspace:case_detail", pk=saved.pk)
        case.refresh_from_db()
    return render(request, "workspace/case_form.html", {"form": form, "case": case}, status=400 if form.errors else 200)


def _match_page(request: HttpRequest, matches: list[Match]) -> tuple[MatchNarrowForm, list[Match], Page | None]:
    """The narrowing form from the query string, the narrowed matches and the page of them asked for.

    A value that is not valid, or a page past the last, leaves the page empty and the form with an error
    naming the field, so the view answers 400 with that message rather than guessing.
    """
    form = MatchNarrowForm(request.GET)
    if not form.is_valid():
        return form, [], None
    narrowed = narrow_matches(matches, **form.narrowing())
    paginator = Paginator(narrowed, MATCHES_PER_PAGE, allow_empty_first_page=True)
    number = form.cleaned_data["page"] or 1
    if number > paginator.num_pages:
        pages = paginator.num_pages
        message = ngettext(
            "There is only %(pages)s page of offers.", "There are only %(pages)s pages of offers.", pages
        ) % {"pages": pages}
        form.add_error("page", message)
        return form, narrowed, None
    return form, narrowed, paginator.page(number)


@workspace_view
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    services.audit_record(user=request.user, case=case, action=AuditAction.READ)
    matches = match_case(case)
    if not matches:
        _signal_empty_search(request, case)
    narrow_form, narrowed, page = _match_page(request, matches)
    shortlist = list(case.shortlist.select_related("offer"))
    context = {
        "case": case,
        "matches": matches,
        "narrow_form": narrow_form,
        "narrowed": narrowed,
        "page": page,
        "partial_count": sum(1 for match in narrowed if match.partial),
        "shortlist": shortlist,
        "shortlisted": {item.offer_id for item in shortlist},
        "referrals": case.referrals.prefetch_related("changes"),
        "status_form": ReferralStatusForm(),
        "welcome_form": WelcomeForm(),
        "unmet_form": UnmetNeedForm(initial={"neighbourhood": case.home_neighbourhood}),
        "aftercare_form": StepDoneForm(),
        **case_trajectory(case),
        **case_programmes(case),
        "open_programmes": OfferPage.objects.live().public().filter(is_group_programme=True).order_by("title"),
        "outcomes": ProgrammeOutcome.choices,
    }
    return render(request, "workspace/case_detail.html", context, status=400 if narrow_form.errors else 200)


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back to where the form was (``next``, on this site only), so a save keeps the person's place."""
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _case_anchor(case: ClientCase, anchor: str) -> str:
    return f"{reverse('workspace:case_detail', args=[case.pk])}#{anchor}"


@require_POST
@workspace_view
def shortlist_add(request: HttpRequest, pk: int, offer_id: int) -> HttpResponse:
    return _shortlist_add(request, pk, offer_id)


def _shortlist_add(request: HttpRequest, pk: int, offer_id: int, *, link_case: bool = False) -> HttpResponse:
    """Add the offer; ``link_case`` (from the search, which has no way back to the case) links the case too."""
    case = _case(request, pk)
    offer = _offer(offer_id)
    services.shortlist_add(by=request.user, case=case, offer=offer)
    added = _("%(offer)s is on the shortlist of case %(code)s.") % {"offer": offer.title, "code": case.code}
    if link_case:
        link = _case_anchor(case, "shortlist-heading")
        added = format_html('{} <a href="{}">{}</a>', added, link, _("Open case %(code)s") % {"code": case.code})
    messages.success(request, added)
    return _back(request, _case_anchor(case, "shortlist-heading"))


def open_cases_for_shortlist(request: HttpRequest) -> dict:
    """For the mediator search: the open cases a result can go straight onto the shortlist of."""
    cases = cases_visible_to(request.user).filter(status=CaseStatus.OPEN).order_by("code").only("pk", "code")
    return {"cases": list(cases)}


@require_POST
@workspace_view
def shortlist_add_from_search(request: HttpRequest, offer_id: int) -> HttpResponse:
    """From the mediator search: the case is chosen in the form, and the person returns to the same result."""
    try:
        pk = int(request.POST.get("case", ""))
    except ValueError:
        messages.error(request, _("Case: choose the case to add this offer to."))
        return _back(request, reverse("search:mediator"))
    return _shortlist_add(request, pk, offer_id, link_case=True)


@require_POST
@workspace_view
def shortlist_remove(request: HttpRequest, pk: int, offer_id: int) -> HttpResponse:
    case = _case(request, pk)
    offer = get_object_or_404(OfferPage, pk=offer_id)
    services.shortlist_remove(by=request.user, case=case, offer=offer)
    removed = _("%(offer)s was taken off the shortlist of case %(code)s.")
    messages.success(request, removed % {"offer": offer.title, "code": case.code})
    return _back(request, _case_anchor(case, "shortlist-heading"))


def _mediator_name(request: HttpRequest, case: ClientCase) -> str:
    """The case's trajectory mediator when there is one, else the mediator printing the sheet."""
    trajectory = getattr(case, "trajectory", None)
    person = trajectory.mediator if trajectory is not None and trajectory.mediator else request.user
    return person.get_full_name() or person.get_username()


def _sheet(request: HttpRequest, pk: int, offer_id: int) -> tuple[ClientCase, OfferPage, ClientSheet]:
    case = _case(request, pk)
    offer = _offer(offer_id)
    services.audit_record(user=request.user, case=case, action=AuditAction.SHEET, detail=str(offer.pk))
    return case, offer, build_sheet(case, offer, url=public_url(offer) or "", mediator=_mediator_name(request, case))


@workspace_view
def client_sheet(request: HttpRequest, pk: int, offer_id: int) -> HttpResponse:
    # The sheet is for the client, so it is always in Dutch, whatever language the mediator reads.
    with translation.override(SHEET_LANGUAGE):
        case, offer, sheet = _sheet(request, pk, offer_id)
        context = {"case": case, "offer": offer, "sheet": sheet, "qr_svg": sheet.qr_svg()}
        return render(request, "workspace/client_sheet.html", context)


@workspace_view
def client_sheet_pdf(request: HttpRequest, pk: int, offer_id: int) -> HttpResponse:
    with translation.override(SHEET_LANGUAGE):
        _case_, offer, sheet = _sheet(request, pk, offer_id)
        response = HttpResponse(sheet_pdf(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slugify(offer.title) or "aanbod"}.pdf"'
    return response


def _signal_empty_search(request: HttpRequest, case: ClientCase) -> None:
    """Record an empty result once per version of the case's needs, not on every visit."""
    key = f"workspace:unmet:{case.pk}:{case.updated_at.isoformat()}"
    if not request.session.get(key):
        unmet_from_empty_search(by=request.user, case=case)
        request.session[key] = True


def _referral(request: HttpRequest, pk: int) -> Referral:
    return get_object_or_404(Referral.objects.filter(case__in=cases_visible_to(request.user)), pk=pk)


@workspace_view
def referral_create(request: HttpRequest, pk: int, offer_id: int) -> HttpResponse:
    case = _case(request, pk)
    offer = _offer(offer_id)
    form = ReferralForm(request.POST or None, initial={"mediator_phone": referrals.last_mediator_phone(request.user)})
    if request.method == "POST" and form.is_valid():
        try:
            referrals.referral_create(by=request.user, case=case, offer=offer, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The referral was sent to %(partner)s.") % {"partner": offer.organisation})
            return redirect("workspace:case_detail", pk=case.pk)
    context = {"case": case, "offer": offer, "form": form}
    return render(request, "workspace/referral_form.html", context, status=400 if form.errors else 200)


@require_POST
@workspace_view
def referral_status(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    form = ReferralStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        referrals.referral_set_status(by=request.user, referral=referral, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        saved = _("The referral to %(offer)s is now: %(status)s.")
        messages.success(request, saved % {"offer": referral.offer_title, "status": referral.get_status_display()})
    return redirect(_case_anchor(referral.case, f"referral-{referral.pk}"))


@require_POST
@workspace_view
def referral_welcome(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    form = WelcomeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose how welcoming it was."))
        referrals.referral_rate_welcome(by=request.user, referral=referral, rating=form.cleaned_data["welcome_rating"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The welcome at %(offer)s was noted.") % {"offer": referral.offer_title})
    return redirect(_case_anchor(referral.case, f"referral-{referral.pk}"))


@require_POST
@workspace_view
def unmet_need_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A mediator notes a need no offer meets; only domain, place and threshold are kept, not the case."""
    case = _case(request, pk)
    form = UnmetNeedForm(request.POST)
    if form.is_valid():
        try:
            unmet_need_record(by=request.user, organisation=case.organisation, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        messages.error(
            request,
            " ".join(f"{form.fields[name].label}: {error}" for name, errors in form.errors.items() for error in errors),
        )
    else:
        messages.success(request, _("The missing offer was noted. Thank you."))
    return redirect(f"{reverse('workspace:case_detail', args=[case.pk])}#unmet-heading")


def coordinator_view(view: Callable) -> Callable:
    """Network coordinators only; the figures hold counts, but are still not cached."""

    @wraps(view)
    @login_required
    @never_cache
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_coordinator(request.user):
            raise PermissionDenied
        return _second_factor_redirect(request) or view(request, *args, **kwargs)

    return wrapper


def coordinated_networks(request: HttpRequest):
    """The networks whose figures this person sees: all for a superuser, else those they coordinate."""
    return Network.objects.all() if request.user.is_superuser else Network.objects.filter(coordinators=request.user)


def figures_network(request: HttpRequest) -> Network | None:
    """The network whose figures are shown: the one asked (``?network=``), else this site's, else the first.

    None in an installation without networks: its figures are the whole installation's.
    """
    if not Network.objects.exists():
        return None
    networks = coordinated_networks(request)
    asked = request.GET.get("network")
    if asked:
        return get_object_or_404(networks, slug=asked)
    site_network = network_for_request(request)
    if site_network is not None and networks.filter(pk=site_network.pk).exists():
        return site_network
    network = networks.first()
    if network is None:
        raise PermissionDenied
    return network


@coordinator_view
def network_figures_csv(request: HttpRequest) -> HttpResponse:
    network = figures_network(request)
    tables = figures.all_tables(figures.network_teams(network))
    response = HttpResponse(figures.tables_csv(tables), content_type="text/csv; charset=utf-8")
    name = f"vrijetijdsnet-cijfers-{network.slug}.csv" if network else "vrijetijdsnet-cijfers.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@coordinator_view
def unmet_needs(request: HttpRequest) -> HttpResponse:
    network = figures_network(request)
    teams = figures.network_teams(network)
    context = {
        "tables": figures.unmet_tables(teams),
        "min_cell": figures.min_cell(),
        "notes": unmet_notes(teams=teams),
        "figures_network": network,
    }
    return render(request, "workspace/unmet_needs.html", context)


@login_required
@never_cache
def platform_figures(request: HttpRequest) -> HttpResponse:
    """Across networks, for the platform's own role: counts per network and unmet needs per municipality."""
    if not figures.can_see_platform_figures(request.user):
        raise PermissionDenied
    redirect_response = _second_factor_redirect(request)
    if redirect_response:
        return redirect_response
    context = {"rows": figures.platform_rows(), "tables": figures.platform_tables(), "min_cell": figures.min_cell()}
    return render(request, "workspace/platform_figures.html", context)


@workspace_view
def case_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about one case code, as JSON, for a client who asks what is kept about them."""
    case = _case(request, pk)
    response = JsonResponse(
        case_export(by=request.user, case=case), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="dossier-{case.code}.json"'
    return response


def _next_url(request: HttpRequest) -> str:
    """The page asked for, when it is on this site; else the person's own start page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("workspace:case_list") if can_use_mediator_tools(request.user) else reverse("wagtailadmin_home")


def _second_factor_page(request: HttpRequest, *, setup: bool) -> HttpResponse:
    if not second_factor.may_use_second_factor(request.user):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        token = request.POST.get("token", "")
        check = second_factor.confirm_setup(request, token) if setup else second_factor.verify(request, token)
        if check.accepted:
            return redirect(_next_url(request))
        if check.locked_until:
            until = formats.time_format(timezone.localtime(check.locked_until), "H:i")
            error = _("Too many wrong codes in a row. Wait until %(time)s, then type the code your app shows.") % {
                "time": until
            }
        else:
            error = _("This code is not right. Type the six digits your app shows now.")
    context = {"setup": setup, "error": error, "next": _next_url(request)}
    if setup:
        device = second_factor.pending_device(request.user)
        context["qr_svg"] = qr_svg(device.config_url, title=_("QR code for your authenticator app"))
        context["setup_key"] = second_factor.setup_key(device)
    return render(request, "workspace/second_factor.html", context, status=400 if error else 200)


@login_required
@never_cache
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    if not second_factor.has_device(request.user):
        return redirect(f"{reverse('workspace:second_factor_setup')}?{urlencode({'next': _next_url(request)})}")
    return _second_factor_page(request, setup=False)


@login_required
@never_cache
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    if second_factor.has_device(request.user):
        return redirect(f"{reverse('workspace:second_factor')}?{urlencode({'next': _next_url(request)})}")
    return _second_factor_page(request, setup=True)
