"""Pages for intake, triage, trajectories, evaluations, funds, the agenda and the year's figures; thin views.

Mediators' pages go through ``views.workspace_view`` (signed in, second factor, never cached) and
find cases only through ``cases_visible_to`` and intakes through ``intakes_visible_to``. The public
intake form needs no account: CSRF, a honeypot and a per-address rate limit in the cache protect it.
A referrer's pages show status only.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from rest_framework.throttling import SimpleRateThrottle

from catalogue.csv_export import belgian_csv
from organisations.models import Organisation, OrganisationKind
from organisations.permissions import (
    can_manage_funds,
    can_refer,
    cases_visible_to,
    intakes_visible_to,
    organisations_referring_for,
    organisations_with_cases_for,
)
from organisations.roles import Role

from . import annual, figures, funds, intakes, trajectories
from .contact import InvalidToken
from .figures import min_cell, network_teams
from .models import ClientCase, Intake, Trajectory, TrajectoryStep
from .trajectory_forms import (
    AddInformationForm,
    BudgetForm,
    CloseForm,
    EvaluationForm,
    InterventionForm,
    ReferrerIntakeForm,
    ResidentIntakeForm,
    StepDoneForm,
    StepForm,
    TrajectoryForm,
    TriageForm,
    chosen_year,
    year_choices,
)
from .views import _case, coordinated_networks, coordinator_view, figures_network, workspace_view

NETWORK_SCOPE = "network"


def _errors_to_form(form, error: ValidationError) -> None:
    """A service's refusal lands on the form, under the field it names when the form has that field."""
    if hasattr(error, "error_dict"):
        for name, field_errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def _status(form) -> int:
    return 400 if form.errors else 200


# --- Public intake ------------------------------------------------------------------------------


class IntakeRateThrottle(SimpleRateThrottle):
    """Submissions of the public intake form per address, counted in the shared cache (DRF's throttle)."""

    scope = "intake"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


@never_cache
def intake_start(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/intake_start.html", {})


def _public_intake(request: HttpRequest, *, resident: bool) -> HttpResponse:
    form_class = ResidentIntakeForm if resident else ReferrerIntakeForm
    form = form_class(request.POST or None)
    template = "workspace/intake_form.html"
    context = {"form": form, "resident": resident, "public": True}
    if request.method != "POST":
        return render(request, template, context)
    if not IntakeRateThrottle().allow_request(request, None):
        form.add_error(None, _("Too many forms were sent from this address. Try again in an hour, or call the team."))
        return render(request, template, context, status=429)
    if form.is_robot():
        # Answer as if it worked, so a robot learns nothing; nothing is stored.
        return render(request, "workspace/intake_sent.html", {"status_url": None, "resident": resident})
    if form.is_valid():
        try:
            intake = intakes.intake_submit(team=form.cleaned_data["team"], data=form.intake_input(), resident=resident)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            status_url = reverse("intake:status", args=[intake.status_token])
            return render(
                request,
                "workspace/intake_sent.html",
                {"status_url": status_url, "intake": intake, "resident": resident},
            )
    return render(request, template, context, status=_status(form))


@never_cache
def intake_public_referrer(request: HttpRequest) -> HttpResponse:
    return _public_intake(request, resident=False)


@never_cache
def intake_public_resident(request: HttpRequest) -> HttpResponse:
    return _public_intake(request, resident=True)


@never_cache
def intake_status(request: HttpRequest, token: str) -> HttpResponse:
    """The referrer's view of one intake, by its unguessable link: status and messages, never the case."""
    intake = get_object_or_404(Intake.objects.select_related("team"), status_token=token)
    form = AddInformationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intakes.intake_add_information(intake=intake, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Thank you. The team sees your information."))
            return redirect("intake:status", token=token)
    context = {"intake": intake, "changes": intake.changes.all(), "form": form}
    response = render(request, "workspace/intake_status.html", context, status=_status(form))
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Referrers ------------------------------------------------------------------------------------


def referrer_view(view: Callable) -> Callable:
    """Signed-in referrers (and mediators, who may refer to another team); no case data, never cached."""

    @wraps(view)
    @login_required
    @never_cache
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_refer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@referrer_view
def referrer_home(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/referrer_home.html", {"intakes": intakes.referrer_intakes(request.user)})


@referrer_view
def referrer_intake_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {"referrer_name": user.get_full_name(), "referrer_email": user.email}
    form = ReferrerIntakeForm(request.POST or None, initial=initial, organisations=organisations_referring_for(user))
    if request.method == "POST" and form.is_valid():
        try:
            intake = intakes.intake_submit(team=form.cleaned_data["team"], data=form.intake_input(), by=user)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Referral %(reference)s was sent to %(team)s. You get a message at each change.")
                % {"reference": intake.reference, "team": intake.team.name},
            )
            return redirect("workspace:referrer_home")
    context = {"form": form, "resident": False, "public": False}
    return render(request, "workspace/intake_form.html", context, status=_status(form))


# --- The team's queue and triage ------------------------------------------------------------------


def _intake(request: HttpRequest, pk: int) -> Intake:
    return get_object_or_404(intakes_visible_to(request.user).select_related("team", "neighbourhood", "case"), pk=pk)


@workspace_view
def intake_queue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    queue = [
        {"intake": intake, "waiting_days": (today - timezone.localdate(intake.received_at)).days}
        for intake in intakes.intake_queue(request.user)
    ]
    context = {"queue": queue, "triaged": intakes.intakes_triaged(request.user)}
    return render(request, "workspace/intake_queue.html", context)


@workspace_view
def intake_detail(request: HttpRequest, pk: int) -> HttpResponse:
    intake = _intake(request, pk)
    form = TriageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intake = intakes.intake_triage(by=request.user, intake=intake, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Intake %(reference)s: %(status)s.")
                % {"reference": intake.reference, "status": intake.get_status_display()},
            )
            if intake.case_id:
                return redirect("workspace:case_detail", pk=intake.case_id)
            return redirect("workspace:intake_queue")
    else:
        intakes.intake_read(by=request.user, intake=intake)
    context = {"intake": intake, "form": form, "changes": intake.changes.all()}
    return render(request, "workspace/intake_detail.html", context, status=_status(form))


@require_POST
@workspace_view
def intake_take(request: HttpRequest, pk: int) -> HttpResponse:
    intake = _intake(request, pk)
    try:
        intakes.intake_take(by=request.user, intake=intake)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("workspace:intake_detail", pk=intake.pk)


@workspace_view
def intake_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident's contact, read by a mediator of the team: audited on every view, never cached."""
    intake = _intake(request, pk)
    if not intake.has_resident_contact:
        raise Http404
    try:
        contact = intakes.intake_resident_contact(by=request.user, intake=intake)
    except InvalidToken:
        contact = None
    return render(request, "workspace/intake_contact.html", {"intake": intake, "contact": contact})


# --- The trajectory on the case page --------------------------------------------------------------


def _people(case: ClientCase) -> QuerySet:
    """The mediators and coordinators of the case's organisation: who a step or trajectory can name."""
    return (
        get_user_model()
        .objects.filter(
            memberships__organisation=case.organisation, memberships__role__in=[Role.MEDIATOR, Role.COORDINATOR]
        )
        .distinct()
        .order_by("first_name", "username")
    )


def _trajectory(request: HttpRequest, pk: int) -> Trajectory:
    case = _case(request, pk)
    trajectory = Trajectory.objects.filter(case=case).first()
    if trajectory is None:
        raise Http404
    return trajectory


@workspace_view
def trajectory_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the case's trajectory, or change its kind, goals, main threshold and mediator."""
    case = _case(request, pk)
    trajectory = Trajectory.objects.filter(case=case).first()
    initial = (
        {
            "kind": trajectory.kind,
            "goals": trajectory.goals,
            "main_threshold": trajectory.main_threshold,
            "mediator": trajectory.mediator,
        }
        if trajectory
        else {"mediator": request.user}
    )
    form = TrajectoryForm(request.POST or None, initial=initial, people=_people(case))
    if request.method == "POST" and form.is_valid():
        try:
            if trajectory is None:
                trajectories.trajectory_start(by=request.user, case=case, **form.cleaned_data)
            else:
                trajectories.trajectory_update(by=request.user, trajectory=trajectory, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The trajectory was saved."))
            return redirect("workspace:case_detail", pk=case.pk)
    context = {"case": case, "trajectory": trajectory, "form": form}
    return render(request, "workspace/trajectory_form.html", context, status=_status(form))


@workspace_view
def step_create(request: HttpRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    case = trajectory.case
    form = StepForm(request.POST or None, people=_people(case), referrals=case.referrals.all())
    if request.method == "POST" and form.is_valid():
        try:
            trajectories.step_add(by=request.user, trajectory=trajectory, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The step was saved."))
            return redirect(f"{reverse('workspace:case_detail', args=[case.pk])}#trajectory-heading")
    context = {"case": case, "form": form}
    return render(request, "workspace/step_form.html", context, status=_status(form))


@require_POST
@workspace_view
def step_done(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(
        TrajectoryStep.objects.filter(trajectory__case__in=cases_visible_to(request.user)).select_related(
            "trajectory__case"
        ),
        pk=pk,
    )
    form = StepDoneForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        trajectories.step_mark_done(by=request.user, step=step, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Marked as done: %(step)s.") % {"step": step.get_kind_display()})
        if form.cleaned_data["next_on"]:
            next_on = formats.date_format(form.cleaned_data["next_on"], "SHORT_DATE_FORMAT")
            messages.success(request, _("The next aftercare check is planned on %(date)s.") % {"date": next_on})
    if request.POST.get("back") == "agenda":
        return redirect("workspace:agenda")
    return redirect(f"{reverse('workspace:case_detail', args=[step.trajectory.case_id])}#timeline-heading")


@workspace_view
def evaluation_create(request: HttpRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trajectories.evaluation_record(by=request.user, trajectory=trajectory, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The evaluation was saved."))
            return redirect(f"{reverse('workspace:case_detail', args=[trajectory.case_id])}#evaluations-heading")
    context = {"case": trajectory.case, "form": form, "due": trajectories.next_evaluation_due(trajectory)}
    return render(request, "workspace/evaluation_form.html", context, status=_status(form))


@workspace_view
def trajectory_close(request: HttpRequest, pk: int) -> HttpResponse:
    trajectory = _trajectory(request, pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trajectories.trajectory_close(by=request.user, trajectory=trajectory, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The trajectory was closed."))
            return redirect("workspace:case_detail", pk=trajectory.case_id)
    context = {"case": trajectory.case, "form": form}
    return render(request, "workspace/close_form.html", context, status=_status(form))


@workspace_view
def intervention_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if not funds.funds_apply_to(case):
        raise Http404
    form = InterventionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intervention = funds.intervention_record(by=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request, _("The intervention was saved: the fund pays € %(amount)s.") % {"amount": intervention.amount}
            )
            return redirect(f"{reverse('workspace:case_detail', args=[case.pk])}#funds-heading")
    context = {"case": case, "form": form}
    return render(request, "workspace/intervention_form.html", context, status=_status(form))


# --- Agenda, funds and the year's figures ---------------------------------------------------------


@workspace_view
def agenda(request: HttpRequest) -> HttpResponse:
    context = {"agenda": trajectories.agenda(request.user), "done_form": StepDoneForm(), "today": timezone.localdate()}
    return render(request, "workspace/agenda.html", context)


def _year(request: HttpRequest) -> int:
    """The year asked for; any other value is a 400 that names the parameter."""
    try:
        return chosen_year(request.GET.get("year"))
    except ValidationError as error:
        raise BadRequest(f"year: {error.messages[0]}") from error


@workspace_view
def fund_overview(request: HttpRequest) -> HttpResponse:
    """Each of the user's OCMWs: the year's budget, spent and left per fund, exact; its coordinators set budgets."""
    year = _year(request)
    organisations = list(organisations_with_cases_for(request.user).filter(kind=OrganisationKind.OCMW))
    form = BudgetForm(request.POST or None, initial={"year": year})
    if request.method == "POST":
        chosen = request.POST.get("organisation", "")
        organisation = next((item for item in organisations if chosen.isdigit() and item.pk == int(chosen)), None)
        if organisation is None:
            raise Http404
        if not can_manage_funds(request.user, organisation):
            raise PermissionDenied
        if form.is_valid():
            try:
                funds.budget_set(by=request.user, organisation=organisation, **form.cleaned_data)
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("The budget was saved."))
                return redirect(f"{reverse('workspace:funds')}?year={form.cleaned_data['year']}")
    overview = [
        {
            "organisation": organisation,
            "lines": funds.fund_overview(organisation, year),
            "may_set": can_manage_funds(request.user, organisation),
        }
        for organisation in organisations
    ]
    context = {"year": year, "years": year_choices(), "overview": overview, "form": form}
    return render(request, "workspace/funds.html", context, status=_status(form))


def _scope(request: HttpRequest) -> Organisation | None:
    """The network (suppressed), or one of the coordinator's own organisations (exact)."""
    value = request.GET.get("scope") or NETWORK_SCOPE
    if value == NETWORK_SCOPE:
        return None
    organisation = organisations_with_cases_for(request.user).filter(slug=value).first()
    if organisation is None:
        raise Http404
    return organisation


def annual_context(request: HttpRequest) -> dict:
    year = _year(request)
    organisation = _scope(request)
    network = figures_network(request)
    figures = annual.annual_figures(
        year, organisation=organisation, teams=network_teams(network), exact=organisation is not None
    )
    return {
        "year": year,
        "years": year_choices(),
        "figures_network": network,
        "networks": coordinated_networks(request) if network is not None else [],
        "scope": organisation.slug if organisation else NETWORK_SCOPE,
        "scopes": [
            (NETWORK_SCOPE, network.name if network else _("The whole network")),
            *[(item.slug, item.name) for item in organisations_with_cases_for(request.user)],
        ],
        "scope_organisation": organisation,
        "annual_charts": annual.annual_charts(figures),
        "annual_figures": figures,
        "min_cell": min_cell(),
    }


@coordinator_view
def network_figures(request: HttpRequest) -> HttpResponse:
    """The network's standing figures and the chosen year's figures, as charts with their tables."""
    context = annual_context(request)
    context["tables"] = figures.all_tables(network_teams(context["figures_network"]))
    return render(request, "workspace/figures.html", context)


@coordinator_view
def annual_figures_csv(request: HttpRequest) -> HttpResponse:
    context = annual_context(request)
    text = belgian_csv(annual.annual_csv_rows(context["annual_figures"]), header=["key", "label", "value"])
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    name = f"jaarcijfers-{context['year']}-{context['scope']}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
