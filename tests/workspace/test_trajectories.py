"""The trajectory: steps on a timeline, evaluations as a chart, the agenda, closure, funds and the annual report."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

import pytest

from organisations.models import Organisation
from portal.workspace.annual import annual_figures
from portal.workspace.funds import budget_set, charged_amount, fund_overview, intervention_record
from portal.workspace.models import (
    AuditEntry,
    ClientCase,
    Evaluation,
    FundIntervention,
    StepKind,
    Trajectory,
    TrajectoryStep,
)
from portal.workspace.referrals import add_months
from portal.workspace.trajectories import agenda, evaluation_record, step_add, trajectory_close, trajectory_start

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


@pytest.fixture
def trajectory(mediator_a, case_a) -> Trajectory:
    return trajectory_start(
        by=mediator_a,
        case=case_a,
        kind="long",
        goals="Eén keer per week buiten komen.",
        main_threshold="social",
        started_on=timezone.localdate() - timedelta(days=200),
    )


def _evaluate(mediator, trajectory, on, scores, **extra):
    first, second, third = scores
    return evaluation_record(
        by=mediator,
        trajectory=trajectory,
        on=on,
        intrapersonal=first,
        interpersonal=second,
        other_domains=third,
        independence=extra.pop("independence", 2),
        **extra,
    )


def test_case_page_shows_the_trajectory_timeline_and_the_evaluation_chart(
    client, mediator_a, case_a, trajectory, login
):
    """The case page lists start, steps and evaluations in date order, with an SVG chart and its table."""
    start = trajectory.started_on
    step_add(
        by=mediator_a,
        trajectory=trajectory,
        kind=StepKind.FIRST_CONTACT,
        on=start + timedelta(days=4),
        done=True,
        contact_way="home_visit",
        note="Huisbezoek, ze wil zwemmen.",
    )
    step_add(
        by=mediator_a,
        trajectory=trajectory,
        kind=StepKind.ACCOMPANIED_ACTIVITY,
        on=start + timedelta(days=30),
        done=True,
        note="Meegegaan naar de proefles.",
    )
    _evaluate(mediator_a, trajectory, start, (1, 1, 2))
    _evaluate(mediator_a, trajectory, start + timedelta(days=92), (3, 2, 2), ladder_rung=3)
    login(client, mediator_a)
    body = client.get(reverse("workspace:case_detail", args=[case_a.pk]), headers=EN).content.decode()
    assert "Long: underlying needs, trust comes first" in body and "Eén keer per week buiten komen." in body
    first = body.index("First contact (a home visit)")
    assert body.index("Start: Long") < first < body.index("Meegegaan naar de proefles.")
    assert '<svg role="img" aria-labelledby="chart-title"' in body and body.count("<polyline") == 3
    assert '<caption id="evaluations-table-caption">Every evaluation</caption>' in body
    assert "<td>Hardly</td>" in body and "<td>Clearly</td>" in body and "<td>Social activation</td>" in body
    assert AuditEntry.objects.filter(case_code="KX-4821", action="read").count() == 1


def test_agenda_lists_due_evaluations_and_planned_steps_overdue_first(client, mediator_a, case_a, trajectory, login):
    """A mediator's agenda shows the overdue evaluation first, then planned steps by date, and the caseload."""
    today = timezone.localdate()
    _evaluate(mediator_a, trajectory, today - timedelta(days=120), (2, 2, 2))
    step_add(
        by=mediator_a,
        trajectory=trajectory,
        kind=StepKind.ACCOMPANIED_ACTIVITY,
        on=today + timedelta(days=5),
        done=False,
        note="Samen naar de eerste les.",
    )
    step_add(by=mediator_a, trajectory=trajectory, kind=StepKind.AFTERCARE, on=today + timedelta(days=10), done=False)
    with translation.override("en"):
        items = agenda(mediator_a).items
    assert [(item.what, item.overdue) for item in items] == [
        ("Evaluation due", True),
        ("Accompanied activity: Samen naar de eerste les.", False),
        ("Aftercare check", False),
    ]
    login(client, mediator_a)
    body = client.get(reverse("workspace:agenda"), headers=EN).content.decode()
    assert body.index("Evaluation due") < body.index("Samen naar de eerste les.") and "(overdue)" in body
    assert "<td>Long</td><td>1</td>" in body


def test_evaluation_form_saves_and_the_next_one_falls_due_three_months_later(
    client, mediator_a, case_a, trajectory, login
):
    """The evaluation form records five answers; the agenda then has no evaluation due for three months."""
    login(client, mediator_a)
    url = reverse("workspace:evaluation_create", args=[case_a.pk])
    page = client.get(url, headers=EN).content.decode()
    assert "Self-confidence: does the client dare more" in page and 'type="date"' in page
    response = client.post(
        url,
        {
            "on": timezone.localdate().isoformat(),
            "intrapersonal": "2",
            "interpersonal": "3",
            "other_domains": "1",
            "independence": "2",
            "ladder_rung": "3",
        },
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.intrapersonal, evaluation.interpersonal, evaluation.ladder_rung) == (2, 3, 3)
    assert not [item for item in agenda(mediator_a).items if item.what == "Evaluation due"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("intrapersonal", "7", "Select a valid choice"),
        ("on", "2999-01-01", "cannot lie in the future"),
        ("on", "31/02/2026", "Enter a valid date"),
        ("note", "Haar nummer is 0470 12 34 56", "Leave out e-mail addresses, phone numbers"),
    ],
)
def test_evaluation_form_refuses_bad_input_naming_the_field(
    client, mediator_a, case_a, trajectory, login, field, value, message
):
    """Error case: a bad answer comes back as a 400 naming the field; no evaluation is saved."""
    login(client, mediator_a)
    data = {
        "on": timezone.localdate().isoformat(),
        "intrapersonal": "2",
        "interpersonal": "3",
        "other_domains": "1",
        "independence": "2",
        field: value,
    }
    response = client.post(reverse("workspace:evaluation_create", args=[case_a.pk]), data, headers=EN)
    assert response.status_code == 400 and message in response.content.decode()
    assert f'href="#id_{field}' in response.content.decode() and not Evaluation.objects.exists()


def test_step_form_plans_a_step_and_done_from_the_agenda(client, mediator_a, case_a, trajectory, login):
    """A planned step made through the form appears in the agenda; 'done' there marks it done."""
    login(client, mediator_a)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("workspace:step_create", args=[case_a.pk]),
        {"kind": "aftercare", "on": tomorrow.isoformat(), "done": "planned"},
    )
    assert response.status_code == 302
    step = TrajectoryStep.objects.get()
    assert not step.done and step.by == mediator_a
    response = client.post(reverse("workspace:step_done", args=[step.pk]), {"back": "agenda"})
    step.refresh_from_db()
    assert response["Location"] == reverse("workspace:agenda") and step.done and step.on == timezone.localdate()


def test_a_done_step_in_the_future_is_refused(client, mediator_a, case_a, trajectory, login):
    """Error case: a step marked done with a future date is refused naming the date; nothing saved."""
    login(client, mediator_a)
    later = timezone.localdate() + timedelta(days=3)
    response = client.post(
        reverse("workspace:step_create", args=[case_a.pk]),
        {"kind": "first_contact", "on": later.isoformat(), "done": "done", "contact_way": "phone"},
        headers=EN,
    )
    assert response.status_code == 400 and "cannot lie in the future" in response.content.decode()
    assert not TrajectoryStep.objects.exists()


def test_regular_offer_plans_aftercare_and_closure_closes_the_case(mediator_a, case_a, trajectory):
    """The regular offer plans aftercare a month later; closing removes planned steps and closes the case."""
    day = timezone.localdate() - timedelta(days=40)
    step_add(by=mediator_a, trajectory=trajectory, kind=StepKind.REGULAR_OFFER, on=day, done=True)
    aftercare = TrajectoryStep.objects.get(kind=StepKind.AFTERCARE)
    assert not aftercare.done and aftercare.on == add_months(day, 1)
    trajectory_close(by=mediator_a, trajectory=trajectory, destination="regular_offer", reason="other")
    case_a.refresh_from_db()
    assert case_a.status == "closed" and case_a.closed_at is not None
    assert not TrajectoryStep.objects.filter(done=False).exists()
    with translation.override("en"), pytest.raises(ValidationError, match="closed"):
        step_add(by=mediator_a, trajectory=trajectory, kind=StepKind.AFTERCARE, on=day, done=True)


def test_mixed_group_pays_the_target_groups_share():
    """POD MI rule: 6 of 20 participants pay 6/20 of the cost."""
    assert charged_amount(Decimal("300.00"), 6, 20) == Decimal("90.00")
    assert charged_amount(Decimal("45.50"), None, None) == Decimal("45.50")


def test_interventions_count_against_the_budget_and_only_the_ocmw_lead_sets_it(
    client, mediator_a, ocmw_a, case_a, login
):
    """Spent and left per fund are exact for the OCMW; a mediator cannot set a budget, its coordinator can."""
    Organisation.objects.filter(pk=ocmw_a.pk).update(kind="ocmw")
    case_a.organisation.refresh_from_db()
    year = timezone.localdate().year
    intervention_record(
        by=mediator_a,
        case=case_a,
        on=timezone.localdate(),
        category="camp",
        fund="participation",
        total_cost=Decimal("300"),
        group_target=6,
        group_total=20,
    )
    intervention_record(
        by=mediator_a,
        case=case_a,
        on=timezone.localdate(),
        category="membership",
        fund="participation",
        total_cost=Decimal("120"),
    )
    with pytest.raises(PermissionDenied):
        budget_set(by=mediator_a, organisation=ocmw_a, fund="participation", year=year, amount=Decimal("1000"))
    from organisations.services import membership_grant

    membership_grant(user=mediator_a, organisation=ocmw_a, role="coordinator")
    budget_set(by=mediator_a, organisation=ocmw_a, fund="participation", year=year, amount=Decimal("1000"))
    line = fund_overview(ocmw_a, year)[0]
    assert (line.budget, line.spent, line.left, line.cases) == (
        Decimal("1000"),
        Decimal("210.00"),
        Decimal("790.00"),
        1,
    )
    login(client, mediator_a)
    body = client.get(reverse("workspace:funds"), headers=EN).content.decode()
    assert "€\xa0210.00" in body and "€\xa0790.00" in body


def test_an_intervention_outside_an_ocmw_is_refused(mediator_a, case_a):
    """Error case: participation funds are the OCMW's; another organisation's case records none."""
    with pytest.raises(ValidationError, match="OCMW"):
        intervention_record(
            by=mediator_a,
            case=case_a,
            on=timezone.localdate(),
            category="ticket",
            fund="local",
            total_cost=Decimal("10"),
        )
    assert not FundIntervention.objects.exists()


def test_annual_report_suppresses_small_counts_network_wide_and_is_exact_for_the_organisation(
    mediator_a, ocmw_a, case_a, trajectory
):
    """Three closed dossiers show as '<5' network-wide and as 3 in the organisation's own report."""
    trajectory_close(by=mediator_a, trajectory=trajectory, destination="group", reason="other")
    for number in range(2):
        case = ClientCase.objects.create(organisation=ocmw_a, code=f"QQ-{number}1")
        other = trajectory_start(by=mediator_a, case=case, kind="short", started_on=timezone.localdate())
        trajectory_close(by=mediator_a, trajectory=other, destination="group", reason="other")
    year = timezone.localdate().year
    network = {figure.key: figure for figure in annual_figures(year)}
    own = {figure.key: figure for figure in annual_figures(year, organisation=ocmw_a, exact=True)}
    assert network["closed_group"].csv_value == "<5" and own["closed_group"].csv_value == "3"
    assert network["closed_stopped"].csv_value == "0"


def test_annual_report_prints_every_key_from_the_demo(demo_trajectories):
    """The command prints key;label;value in UTF-8 with a BOM, ';' and CRLF, with every key the issue names."""
    out = io.StringIO()
    year = timezone.localdate().year
    call_command("annual_report", "--year", str(year), stdout=out)
    text = out.getvalue()
    assert text.startswith("\ufeffkey;label;value\r\n")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    keys = [row[0] for row in rows[1:]]
    expected = {
        "dossiers_started",
        "from_referrers_other_services",
        "from_own_service",
        "from_residents",
        "intakes_redirected",
        "days_to_first_contact_median",
        "active_dossiers_per_month_avg",
        *(f"reserved_places_{outcome}" for outcome in ("requested", "confirmed", "declined", "lapsed", "used")),
        *(
            f"main_threshold_{group}"
            for group in ("financial", "practical", "accessibility", "social", "language", "information")
        ),
        *(f"closed_{destination}" for destination in ("regular_offer", "group", "other_service", "stopped")),
        *(f"evaluations_improved_{dimension}" for dimension in ("intrapersonal", "interpersonal", "other_domains")),
        *(f"ladder_rung_{rung}" for rung in range(1, 7)),
        *(
            f"fund_{fund}_{category}_{part}"
            for fund in ("participation", "child_poverty", "local", "other")
            for category in ("membership", "ticket", "equipment", "transport", "camp", "other")
            for part in ("amount", "cases")
        ),
    }
    assert expected <= set(keys) and len(keys) == len(set(keys))
    values = {row[0]: row[2] for row in rows[1:]}
    assert int(values["dossiers_started"]) >= 5 and values["days_to_first_contact_median"] not in ("", "<5")
    assert all(len(row) == 3 for row in rows)
    previous = io.StringIO()
    call_command("annual_report", "--year", str(year - 1), "--organisation", demo_trajectories.slug, stdout=previous)
    assert "<5" not in previous.getvalue() and ";dossiers_started;" not in previous.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--year", "1999"], "--year"), (["--year", "2026", "--organisation", "nope"], "--organisation")],
)
def test_annual_report_refuses_bad_arguments_naming_them(args, message):
    """Error case: a year out of range or an unknown organisation is refused, naming the argument."""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=message):
        call_command("annual_report", *args)


@pytest.mark.parametrize("year", ["1999", "volgend", "2026-1"])
def test_figures_and_funds_refuse_an_unknown_year(client, coordinator, mediator_a, login, year):
    """Error case: a year that is not on the list is a 400 on the figures and the funds pages."""
    login(client, coordinator)
    assert client.get(reverse("workspace:figures"), {"year": year}).status_code == 400
    login(client, mediator_a)
    assert client.get(reverse("workspace:funds"), {"year": year}).status_code == 400


def test_a_budget_for_an_organisation_not_ones_own_is_refused(client, mediator_a, ocmw_a, buurtwerk_b, login):
    """Error case: a budget posted for another organisation (or a bad id) is a 404 and nothing is saved."""
    from organisations.services import membership_grant
    from portal.workspace.models import FundBudget

    Organisation.objects.filter(pk__in=[ocmw_a.pk, buurtwerk_b.pk]).update(kind="ocmw")
    membership_grant(user=mediator_a, organisation=ocmw_a, role="coordinator")
    login(client, mediator_a)
    data = {"fund": "participation", "year": str(timezone.localdate().year), "amount": "1000"}
    assert client.post(reverse("workspace:funds"), {**data, "organisation": buurtwerk_b.pk}).status_code == 404
    assert client.post(reverse("workspace:funds"), {**data, "organisation": "x"}).status_code == 404
    assert not FundBudget.objects.exists()
    response = client.post(reverse("workspace:funds"), {**data, "organisation": ocmw_a.pk, "amount": "1.500,50"})
    assert response.status_code == 302 and FundBudget.objects.get().amount == Decimal("1500.50")
