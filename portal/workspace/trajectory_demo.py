"""A year and a half of the demo OCMW team's work: intakes from many sources, trajectories, evaluations, funds.

Made through the services (so every rule and the audit log apply), from a fixed seed, then dated
back over the last eighteen months. Idempotent: when the first demo trajectory exists, nothing is
made again. The referrer's messages are marked sent, so loading the demo mails no one.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from catalogue.models import Neighbourhood
from organisations.models import Organisation

from .funds import budget_set, intervention_record
from .intakes import IntakeInput, intake_submit, intake_triage
from .models import (
    ClientCase,
    Destination,
    Evaluation,
    Fund,
    FundCategory,
    FundIntervention,
    Intake,
    IntakeChange,
    IntakeEvent,
    ReferrerKind,
    StepKind,
    ThresholdGroup,
    TrajectoryKind,
)
from .referrals import add_months
from .services import case_create
from .trajectories import evaluation_record, step_add, trajectory_close, trajectory_start

SEED = 15
DAYS_BACK = 540
TRAJECTORIES = 30
FIRST_CODE = "DEM-T01"
QUESTIONS = [
    "Zij wil graag opnieuw zwemmen, samen met haar zoon.",
    "Hij zoekt een sportclub voor zijn dochter van tien, die graag voetbalt.",
    "Mevrouw wil andere mensen leren kennen; ze komt bijna niet buiten.",
    "Het gezin wil in de vakantie iets doen met de kinderen, maar weet niet wat er bestaat.",
    "Hij wil graag terug muziek maken, liefst in een groep.",
    "Zij zoekt een creatieve activiteit in de buurt, overdag.",
    "De jongen van vijftien wil boksen of een andere vechtsport leren.",
    "Ze wil Nederlands oefenen in een activiteit, niet in een klas.",
    "Hij zou graag naar een voorstelling gaan maar durft niet alleen.",
    "De kinderen willen op kamp, maar de ouders weten niet hoe ze dat betalen.",
    "Zij wil wandelen of fietsen met anderen, om gezonder te leven.",
    "Hij zoekt iets om de week structuur te geven, na zijn ontslag.",
]
MOTIVATIONS = [
    "Sinds de scheiding komt ze weinig buiten; ze is bang om alleen ergens binnen te stappen.",
    "Het gezin leeft van een leefloon; lidgeld en uitrusting zijn te duur.",
    "Hij spreekt nog weinig Nederlands en vindt de informatie niet.",
    "Ze heeft een moeilijke periode achter de rug en heeft weinig vertrouwen in zichzelf.",
    "De school merkt dat het kind zich verveelt en weinig vrienden heeft.",
    "Hij wil wel, maar weet niet waar te beginnen en hoe je inschrijft.",
    "De vraag is duidelijk; het gaat vooral om informatie en de weg vinden.",
    "Ze is alleenstaand met drie kinderen en heeft geen opvang op het moment van de activiteit.",
]
GOALS = [
    "Eén keer per week buiten komen.",
    "Samen met mijn kinderen iets leuks doen.",
    "Nieuwe mensen leren kennen in de buurt.",
    "Zelf leren inschrijven voor een activiteit.",
    "Terug zin krijgen om dingen te doen.",
    "Een vaste activiteit vinden die betaalbaar is.",
]
STEP_NOTES = {
    StepKind.ACCOMPANIED_ACTIVITY: [
        "Meegegaan naar een proefles; ze bleef tot het einde.",
        "Samen naar de sporthal; kennisgemaakt met de trainer.",
        "Samen naar een voorstelling in het cultuurcentrum.",
    ],
    StepKind.GROUP_PROGRAMME: ["Groepsaanbod 'Samen op stap', acht sessies.", "Groepsaanbod 'Buurtsport op woensdag'."],
    StepKind.REGULAR_OFFER: ["Ingeschreven bij de zwemclub, met kansentarief.", "Lid geworden van de tekenklas."],
    StepKind.AFTERCARE: ["Kort gebeld: het gaat goed, ze gaat elke week."],
}
PUBLIC_REFERRERS = [
    ("CAW Antwerpen – onthaal", ReferrerKind.CAW),
    ("OCMW Antwerpen – sociaal huis Kiel", ReferrerKind.OCMW_OFFICE),
    ("Basisschool De Kleine Prins", ReferrerKind.SCHOOL),
    ("CLB Antwerpen", ReferrerKind.SCHOOL),
    ("Centrum Geestelijke Gezondheidszorg", ReferrerKind.CARE),
    ("OCMW Antwerpen – sociaal huis Borgerhout", ReferrerKind.OCMW_OFFICE),
]
# The city's own year: social and information thresholds come first.
THRESHOLD_WEIGHTS = {
    ThresholdGroup.SOCIAL: 6,
    ThresholdGroup.INFORMATION: 5,
    ThresholdGroup.FINANCIAL: 4,
    ThresholdGroup.PRACTICAL: 2,
    ThresholdGroup.LANGUAGE: 2,
    ThresholdGroup.ACCESSIBILITY: 1,
}
COSTS = {
    FundCategory.MEMBERSHIP: (60, 180),
    FundCategory.TICKET: (5, 25),
    FundCategory.EQUIPMENT: (30, 120),
    FundCategory.TRANSPORT: (10, 40),
    FundCategory.CAMP: (90, 250),
    FundCategory.OTHER: (10, 60),
}
BUDGETS = {Fund.PARTICIPATION: "18000", Fund.CHILD_POVERTY: "6000", Fund.LOCAL: "4000"}


@dataclass
class DemoPeople:
    mediator: AbstractBaseUser
    coordinator: AbstractBaseUser
    referrer: AbstractBaseUser
    team: Organisation
    referrer_organisation: Organisation


def _moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _thresholds(rng: random.Random) -> list[str]:
    groups = list(THRESHOLD_WEIGHTS)
    first = rng.choices(groups, weights=list(THRESHOLD_WEIGHTS.values()))[0]
    extra = rng.sample([group for group in groups if group != first], rng.randint(0, 2))
    return [first, *extra]


def _date_back(intake: Intake, received: date, days: dict[str, date]) -> None:
    """Put an intake and its history on the days things happened; the messages count as sent."""
    Intake.objects.filter(pk=intake.pk).update(received_at=_moment(received, 9))
    last = received
    for hour, change in enumerate(intake.changes.order_by("pk"), start=9):
        day = days.get(change.event, received)
        last = max(last, day)
        IntakeChange.objects.filter(pk=change.pk).update(at=_moment(day, hour), notified_at=_moment(day, hour))
    Intake.objects.filter(pk=intake.pk).update(changed_at=_moment(last, 18))


def _intake(rng: random.Random, people: DemoPeople, neighbourhoods, *, source: str, by_account: bool) -> Intake:
    resident = source == "resident"
    values = {
        "question": rng.choice(QUESTIONS),
        "motivation": "" if resident else rng.choice(MOTIVATIONS),
        "first_contact_way": rng.choice(["home_visit", "office_hours", "at_referrer", "phone"])
        if not resident
        else rng.choice(["phone", "home_visit", "office_hours"]),
        "client_agreed": True,
        "thresholds": _thresholds(rng),
        "household_ages": [rng.randint(24, 62), *sorted(rng.sample(range(3, 17), rng.randint(0, 3)), reverse=True)],
        "neighbourhood": rng.choice(neighbourhoods),
    }
    if resident:
        values["resident_contact"] = (
            f"Bel na 17 uur: 0470 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        )
        return intake_submit(team=people.team, data=IntakeInput(**values), resident=True)
    if source == "own_service":
        values.update(
            referrer_organisation=people.team,
            referrer_name="Team vrije tijd",
            referrer_email="vrijetijd@ocmw.demo.example",
            referrer_kind=ReferrerKind.LEISURE_SERVICE,
        )
        return intake_submit(team=people.team, data=IntakeInput(**values), by=people.mediator)
    if by_account:
        values.update(
            referrer_organisation=people.referrer_organisation,
            referrer_name="Sara Maes",
            referrer_email=people.referrer.email,
            referrer_kind=ReferrerKind.SOCIAL_ORGANISATION,
        )
        return intake_submit(team=people.team, data=IntakeInput(**values), by=people.referrer)
    name, kind = rng.choice(PUBLIC_REFERRERS)
    values.update(
        referrer_organisation_name=name,
        referrer_kind=kind,
        referrer_name=rng.choice(
            ["An Janssens", "Mohamed El Idrissi", "Lotte Verbeke", "Koen De Smet", "Nadia Benali"]
        ),
        referrer_email=f"verwijzer{rng.randint(1, 40)}@partner.demo.example",
    )
    return intake_submit(team=people.team, data=IntakeInput(**values))


def _scores(rng: random.Random, count: int, long: bool) -> list[dict]:
    """Evaluations that mostly climb, slower and from lower for a long trajectory."""
    start = {name: rng.randint(1, 2 if long else 3) for name in ("intrapersonal", "interpersonal", "other_domains")}
    independence = 1 if long else rng.randint(1, 2)
    rung = rng.choice([1, 2, 3]) if long else rng.choice([3, 4])
    series = []
    for index in range(count):
        if index:
            for name in start:
                start[name] = max(1, min(4, start[name] + rng.choice([0, 1, 1, 0, -1] if long else [0, 1, 1])))
            independence = min(4, independence + rng.choice([0, 1]))
            rung = min(6, rung + rng.choice([0, 0, 0, 1]))
        series.append({**start, "independence": independence, "ladder_rung": rung if rng.random() < 0.85 else None})
    return series


def _trajectory(
    rng: random.Random, people: DemoPeople, number: int, started: date, intake: Intake | None, today: date
) -> dict[str, date]:
    """One trajectory from start to today or closure; returns the day of each event its referrer hears about."""
    mediator = people.mediator
    kind = TrajectoryKind.SHORT if number % 15 in (0, 2, 3, 5, 7, 9, 12) else TrajectoryKind.LONG
    long = kind == TrajectoryKind.LONG
    if intake is not None:
        intake_triage(
            by=mediator,
            intake=intake,
            decision="accept",
            kind=kind,
            main_threshold=intake.thresholds[0],
            code=f"DEM-T{number:02d}",
            today=started,
        )
        case = intake.case
        trajectory = case.trajectory
        trajectory.goals = rng.choice(GOALS)
        trajectory.save(update_fields=["goals"])
    else:
        case = case_create(
            by=mediator,
            organisation=people.team,
            values={"code": f"DEM-T{number:02d}", "ages": [rng.randint(20, 60)], "home_neighbourhood": None},
        )
        trajectory = trajectory_start(
            by=mediator,
            case=case,
            kind=kind,
            goals=rng.choice(GOALS),
            main_threshold=rng.choice(list(THRESHOLD_WEIGHTS)),
            started_on=started,
        )
    length = rng.randint(120, 420) if long else rng.randint(45, 160)
    ends = started + timedelta(days=length)
    closes = ends <= today - timedelta(days=10)
    horizon = ends if closes else today
    first_contact = started + timedelta(days=rng.randint(2, 9) if not long else rng.randint(5, 24))
    days = {IntakeEvent.ACCEPTED: started, IntakeEvent.TAKEN: started}
    if first_contact <= horizon:
        days[IntakeEvent.FIRST_CONTACT] = first_contact
        step_add(
            by=mediator,
            trajectory=trajectory,
            kind=StepKind.FIRST_CONTACT,
            on=first_contact,
            done=True,
            contact_way=(intake.first_contact_way if intake else "office_hours"),
            today=today,
        )
    day = first_contact
    for _activity in range(rng.randint(1, 3) if not long else rng.randint(2, 4)):
        day += timedelta(days=rng.randint(10, 40))
        if day > horizon:
            break
        kind_of_step = StepKind.GROUP_PROGRAMME if long and rng.random() < 0.3 else StepKind.ACCOMPANIED_ACTIVITY
        step_add(
            by=mediator,
            trajectory=trajectory,
            kind=kind_of_step,
            on=day,
            done=True,
            note=rng.choice(STEP_NOTES[kind_of_step]),
            today=today,
        )
    regular = day + timedelta(days=rng.randint(14, 35))
    if regular <= horizon and rng.random() < 0.75:
        step_add(
            by=mediator,
            trajectory=trajectory,
            kind=StepKind.REGULAR_OFFER,
            on=regular,
            done=True,
            note=rng.choice(STEP_NOTES[StepKind.REGULAR_OFFER]),
            today=today,
        )
    for aftercare in trajectory.steps.filter(
        kind=StepKind.AFTERCARE, done=False, on__lte=min(horizon, today - timedelta(days=3))
    ):
        if rng.random() < 0.7:
            aftercare.done = True
            aftercare.note = STEP_NOTES[StepKind.AFTERCARE][0]
            aftercare.save(update_fields=["done", "note"])
    if not closes and rng.random() < 0.6:
        step_add(
            by=mediator,
            trajectory=trajectory,
            kind=StepKind.ACCOMPANIED_ACTIVITY,
            done=False,
            on=today + timedelta(days=rng.randint(-6, 20)),
            note="Samen naar de eerste les.",
            today=today,
        )
    evaluation_days = []
    moment = started
    while moment <= horizon:
        evaluation_days.append(moment)
        # A mediator evaluates around the due date, not on the day.
        moment = add_months(moment, 3) + timedelta(days=rng.randint(-5, 12))
    if not closes and evaluation_days and rng.random() < 0.3:
        evaluation_days.pop()  # this one is now overdue: it shows in the agenda
    for values, on in zip(_scores(rng, len(evaluation_days), long), evaluation_days, strict=True):
        evaluation_record(by=mediator, trajectory=trajectory, on=on, note="", **values)
    for _payment in range(rng.randint(0, 3)):
        category = rng.choice(list(COSTS))
        low, high = COSTS[category]
        on = started + timedelta(days=rng.randint(5, max(6, (horizon - started).days)))
        mixed = category in (FundCategory.CAMP, FundCategory.TICKET) and rng.random() < 0.35
        intervention_record(
            by=mediator,
            case=case,
            on=min(on, today),
            category=category,
            fund=rng.choices([Fund.PARTICIPATION, Fund.CHILD_POVERTY, Fund.LOCAL], weights=[6, 3, 1])[0],
            total_cost=Decimal(rng.randint(low, high) * (20 if mixed else 1)),
            group_target=6 if mixed else None,
            group_total=20 if mixed else None,
        )
    if closes:
        destination = rng.choices(
            [Destination.REGULAR_OFFER, Destination.GROUP, Destination.OTHER_SERVICE, Destination.STOPPED],
            weights=[6, 3, 1, 2],
        )[0]
        reason = (
            (intake.thresholds[0] if intake else ThresholdGroup.SOCIAL)
            if destination == Destination.STOPPED
            else ThresholdGroup.OTHER
        )
        trajectory_close(by=mediator, trajectory=trajectory, destination=destination, reason=reason, on=ends)
        ClientCase.objects.filter(pk=case.pk).update(closed_at=_moment(ends, 16))
        days[IntakeEvent.CLOSED] = ends
    ClientCase.objects.filter(pk=case.pk).update(created_at=_moment(started, 9), updated_at=_moment(horizon, 16))
    return days


@transaction.atomic
def ensure_demo_trajectories(
    *,
    mediator: AbstractBaseUser,
    coordinator: AbstractBaseUser,
    referrer: AbstractBaseUser,
    team: Organisation,
    referrer_organisation: Organisation,
    today: date | None = None,
) -> dict[str, int]:
    """Make the demo's intakes, trajectories and funds once; returns how many of each were made now."""
    if ClientCase.objects.filter(organisation=team, code=FIRST_CODE).exists():
        return {"intakes": 0, "trajectories": 0, "evaluations": 0, "interventions": 0}
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    people = DemoPeople(mediator, coordinator, referrer, team, referrer_organisation)
    neighbourhoods = list(Neighbourhood.objects.defer("geometry").order_by("code"))
    begin = today - timedelta(days=DAYS_BACK)
    for year in (begin.year, today.year):
        for fund, amount in BUDGETS.items():
            budget_set(by=coordinator, organisation=team, fund=fund, year=year, amount=Decimal(amount))
    starts = sorted(begin + timedelta(days=rng.randint(0, DAYS_BACK - 20)) for _index in range(TRAJECTORIES))
    sources = ["other_service"] * 21 + ["resident"] * 4 + ["own_service"] * 2 + ["none"] * 3
    rng.shuffle(sources)
    made = {"intakes": 0, "trajectories": 0}
    for number, (started, source) in enumerate(zip(starts, sources, strict=True), start=1):
        intake = None
        if source != "none":
            intake = _intake(rng, people, neighbourhoods, source=source, by_account=number % 4 == 1)
            made["intakes"] += 1
        days = _trajectory(rng, people, number, started, intake, today)
        if intake is not None:
            _date_back(intake, started - timedelta(days=rng.randint(2, 12)), days)
        made["trajectories"] += 1
    # Intakes that did not become a trajectory: redirected, declined, asked for more, or still waiting.
    outcomes = ["redirect"] * 5 + ["decline"] * 4 + ["more_info"] * 3 + ["waiting"] * 4
    for outcome in outcomes:
        received = (
            begin + timedelta(days=rng.randint(0, DAYS_BACK - 1))
            if outcome in ("redirect", "decline")
            else today - timedelta(days=rng.randint(1, 12))
        )
        intake = _intake(
            rng,
            people,
            neighbourhoods,
            source=rng.choice(["other_service", "other_service", "resident"]),
            by_account=outcome == "more_info",
        )
        made["intakes"] += 1
        if outcome == "redirect":
            intake_triage(
                by=mediator,
                intake=intake,
                decision="redirect",
                redirected_to=rng.choice(["Schuldhulpverlening OCMW", "CAW – onthaal", "Huis van het Kind"]),
                message="Eerst een andere hulpvraag; daarna kan vrije tijd volgen.",
            )
        elif outcome == "decline":
            intake_triage(
                by=mediator, intake=intake, decision="decline", message="De cliënt wil op dit moment geen begeleiding."
            )
        elif outcome == "more_info":
            intake_triage(
                by=mediator,
                intake=intake,
                decision="more_info",
                message="Op welke dagen kan de cliënt, en met hoeveel komen ze?",
            )
        _date_back(
            intake,
            received,
            {event: received + timedelta(days=3) for event in IntakeEvent.values if event != IntakeEvent.RECEIVED},
        )
    IntakeChange.objects.filter(intake__team=team, notified_at__isnull=True).update(notified_at=timezone.now())
    made["evaluations"] = Evaluation.objects.filter(trajectory__case__organisation=team).count()
    made["interventions"] = FundIntervention.objects.filter(organisation=team).count()
    return made
