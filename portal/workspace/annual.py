"""The year in figures: dossiers, sources, reserved places, thresholds, first contact, closures, effects, ladder
and funds.

One list of figures with stable English keys feeds ``manage.py annual_report`` (CSV for Belgian
Excel) and the figures page (charts and a table). Network-wide figures, and anything that leaves
an organisation, suppress every figure that rests on 1 to 4 cases (``WORKSPACE_MIN_CELL``); an
organisation's own report (``exact=True``) shows its exact counts and amounts.
"""

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Min, Q, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from catalogue.formatting import euro
from catalogue.models import OfferSession, SessionStatus
from organisations.models import Organisation

from .figures import BAR_WIDTH, min_cell
from .models import (
    EFFECT_DIMENSIONS,
    THRESHOLD_GROUPS,
    Attendance,
    Destination,
    Enrolment,
    EnrolmentStatus,
    Evaluation,
    Fund,
    FundBudget,
    FundCategory,
    FundIntervention,
    IntakeChange,
    IntakeEvent,
    IntakeSource,
    LadderRung,
    PlaceStatus,
    Presence,
    ProgrammeOutcome,
    Referral,
    StepKind,
    Trajectory,
    TrajectoryStep,
)

COUNT, AMOUNT, DAYS, SHARE, AVERAGE = "count", "amount", "days", "share", "average"
ONE_DECIMAL = Decimal("0.1")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | Decimal | None
    kind: str
    # How many cases the figure rests on; 1 to 4 is suppressed unless the report is exact.
    base: int
    section: str
    suppressed: bool = False

    @property
    def csv_value(self) -> str:
        """The value as Belgian Excel reads it: decimal comma, '<5' when suppressed, empty when not known."""
        if self.suppressed:
            return f"<{min_cell()}"
        if self.value is None:
            return ""
        value = Decimal(self.value).quantize(CENT) if self.kind == AMOUNT else self.value
        return str(value).replace(".", ",")

    @property
    def shown(self) -> str:
        if self.suppressed:
            return _("fewer than %(min)s") % {"min": min_cell()}
        if self.value is None:
            return _("not known")
        if self.kind == AMOUNT:
            return euro(self.value)
        if self.kind == SHARE:
            return f"{formats.number_format(self.value, 1, use_l10n=True)} %"
        if self.kind in (AVERAGE, DAYS) and isinstance(self.value, Decimal):
            return formats.number_format(self.value, 1, use_l10n=True)
        return str(self.value)


@dataclass(frozen=True)
class Chart:
    """A section of figures as the figures page draws it (the same shape as ``figures.Table``)."""

    slug: str
    title: str
    rows: list[Figure]

    def bars(self) -> list[dict]:
        largest = max((float(row.value or 0) for row in self.rows if not row.suppressed), default=0) or 1
        return [
            {
                "label": row.label,
                "shown": row.shown,
                "width": 0 if row.suppressed else round(BAR_WIDTH * float(row.value or 0) / largest),
            }
            for row in self.rows
        ]


def _year_end(year: int, today: date) -> date:
    return min(date(year, 12, 31), today)


def _months(year: int, today: date) -> list[tuple[date, date]]:
    last_month = 12 if year < today.year else today.month
    bounds = []
    for month in range(1, last_month + 1):
        following = date(year + month // 12, month % 12 + 1, 1)
        bounds.append((date(year, month, 1), date.fromordinal(following.toordinal() - 1)))
    return bounds


class AnnualReport:
    """The figures of one year for the whole installation, a network's teams (``teams``), or one organisation."""

    def __init__(
        self,
        year: int,
        *,
        organisation: Organisation | None = None,
        teams: Sequence[int] | None = None,
        exact: bool = False,
        today=None,
    ):
        self.year = year
        self.organisation = organisation
        self.teams = [organisation.pk] if organisation is not None else teams
        self.exact = exact
        self.today = today or timezone.localdate()
        self.figures: list[Figure] = []

    # -- scope ------------------------------------------------------------------------------------
    def _trajectories(self):
        return self._scoped(Trajectory.objects.all(), "case__organisation")

    def _scoped(self, queryset, path: str):
        return queryset if self.teams is None else queryset.filter(**{f"{path}__in": self.teams})

    def _add(self, key: str, label: str, value, kind: str, base: int, section: str) -> None:
        suppressed = not self.exact and 0 < base < min_cell()
        self.figures.append(Figure(key, label, value, kind, base, section, suppressed))

    # -- the figures ------------------------------------------------------------------------------
    def build(self) -> list[Figure]:
        started = self._trajectories().filter(started_on__year=self.year).select_related("case__intake")
        self._sources(list(started))
        self._intakes()
        self._reserved_places()
        self._first_contact(list(started))
        for value, label in THRESHOLD_GROUPS:
            count = sum(1 for trajectory in started if trajectory.main_threshold == value)
            self._add(
                f"main_threshold_{value}",
                _("Main threshold: %(group)s") % {"group": label},
                count,
                COUNT,
                count,
                "thresholds",
            )
        self._active_per_month()
        closed = self._trajectories().filter(closed_on__year=self.year)
        for value, label in Destination.choices:
            count = closed.filter(destination=value).count()
            self._add(
                f"closed_{value}", _("Closed: %(destination)s") % {"destination": label}, count, COUNT, count, "closed"
            )
        self._effects()
        self._ladder()
        self._funds()
        self._group_programmes()
        return self.figures

    def _sources(self, started: list[Trajectory]) -> None:
        sources = Counter(
            (trajectory.case.intake.source if hasattr(trajectory.case, "intake") else IntakeSource.OWN_SERVICE)
            for trajectory in started
        )
        total = len(started)
        self._add("dossiers_started", _("Dossiers started"), total, COUNT, total, "sources")
        for key, source, label in (
            ("from_referrers_other_services", IntakeSource.OTHER_SERVICE, _("From social workers of other services")),
            ("from_own_service", IntakeSource.OWN_SERVICE, _("From the leisure service itself")),
            ("from_residents", IntakeSource.RESIDENT, _("From residents who asked themselves")),
        ):
            self._add(key, label, sources[source], COUNT, sources[source], "sources")

    def _intakes(self) -> None:
        changes = self._scoped(IntakeChange.objects.filter(at__year=self.year), "intake__team")
        for key, event, label in (
            ("intakes_received", IntakeEvent.RECEIVED, _("Intakes received")),
            ("intakes_redirected", IntakeEvent.REDIRECTED, _("Intakes redirected to another service")),
            ("intakes_declined", IntakeEvent.DECLINED, _("Intakes declined")),
        ):
            count = changes.filter(event=event).values("intake").distinct().count()
            self._add(key, label, count, COUNT, count, "intakes")

    def _reserved_places(self) -> None:
        """Reserved places asked with the year's referrals, and how each request ended."""
        asked = self._scoped(Referral.objects.filter(sent_at__year=self.year), "case__organisation").exclude(
            place_status=PlaceStatus.NONE
        )
        ended = dict(Counter(asked.values_list("place_status", flat=True)))
        used = ended.get(PlaceStatus.USED, 0)
        for key, label, count in (
            ("reserved_places_requested", _("Reserved places asked"), sum(ended.values())),
            ("reserved_places_confirmed", _("Reserved places confirmed"), ended.get(PlaceStatus.CONFIRMED, 0) + used),
            ("reserved_places_declined", _("Reserved places declined"), ended.get(PlaceStatus.DECLINED, 0)),
            ("reserved_places_lapsed", _("Reserved place requests lapsed"), ended.get(PlaceStatus.LAPSED, 0)),
            ("reserved_places_used", _("Reserved places used"), used),
        ):
            self._add(key, label, count, COUNT, count, "reserved_places")

    def _first_contact(self, started: list[Trajectory]) -> None:
        first = dict(
            TrajectoryStep.objects.filter(
                trajectory__in=[trajectory.pk for trajectory in started], kind=StepKind.FIRST_CONTACT, done=True
            )
            .values("trajectory")
            .annotate(first=Min("on"))
            .values_list("trajectory", "first")
        )
        days = []
        for trajectory in started:
            if trajectory.pk not in first:
                continue
            intake = getattr(trajectory.case, "intake", None)
            begin = timezone.localdate(intake.received_at) if intake is not None else trajectory.started_on
            days.append(max(0, (first[trajectory.pk] - begin).days))
        median = Decimal(str(statistics.median(days))).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP) if days else None
        self._add(
            "days_to_first_contact_median",
            _("Days from intake to first contact (median)"),
            median,
            DAYS,
            len(days),
            "first_contact",
        )

    def _active_per_month(self) -> None:
        months = _months(self.year, self.today)
        spans = list(
            self._trajectories().filter(started_on__year__lte=self.year).values_list("started_on", "closed_on")
        )
        counts = [
            sum(1 for start, end in spans if start <= last and (end is None or end >= first)) for first, last in months
        ]
        average = (Decimal(sum(counts)) / len(counts)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP) if counts else None
        self._add(
            "active_dossiers_per_month_avg",
            _("Active dossiers in an average month"),
            average,
            AVERAGE,
            round(average or 0),
            "first_contact",
        )

    def _effects(self) -> None:
        end = _year_end(self.year, self.today)
        evaluations = (
            Evaluation.objects.filter(trajectory__in=self._trajectories(), on__lte=end)
            .filter(trajectory__evaluations__on__year=self.year)
            .distinct()
            .order_by("trajectory_id", "on", "pk")
        )
        per_trajectory: dict[int, list[Evaluation]] = {}
        for evaluation in evaluations:
            per_trajectory.setdefault(evaluation.trajectory_id, []).append(evaluation)
        followed = [series for series in per_trajectory.values() if len(series) >= 2]
        for dimension in EFFECT_DIMENSIONS:
            label = Evaluation._meta.get_field(dimension).verbose_name
            improved = sum(1 for series in followed if getattr(series[-1], dimension) > getattr(series[0], dimension))
            share = (
                (Decimal(improved * 100) / len(followed)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
                if followed
                else None
            )
            self._add(
                f"evaluations_improved_{dimension}",
                _("Clients evaluated twice or more whose %(effect)s rose (%%)") % {"effect": label},
                share,
                SHARE,
                len(followed),
                "effects",
            )

    def _ladder(self) -> None:
        end = _year_end(self.year, self.today)
        open_at_end = (
            self._trajectories().filter(started_on__lte=end).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        )
        latest: dict[int, int] = {}
        for trajectory_id, rung in (
            Evaluation.objects.filter(trajectory__in=open_at_end, on__lte=end, ladder_rung__isnull=False)
            .order_by("trajectory_id", "on", "pk")
            .values_list("trajectory_id", "ladder_rung")
        ):
            latest[trajectory_id] = rung
        counts = Counter(latest.values())
        for rung, label in LadderRung.choices:
            self._add(
                f"ladder_rung_{rung}",
                _("At year end on rung %(rung)s: %(label)s") % {"rung": rung, "label": label},
                counts[rung],
                COUNT,
                counts[rung],
                "ladder",
            )

    def _funds(self) -> None:
        interventions = self._scoped(FundIntervention.objects.filter(on__year=self.year), "organisation")
        budgets = self._scoped(FundBudget.objects.filter(year=self.year), "organisation")
        rows = {
            (row["fund"], row["category"]): row
            for row in interventions.values("fund", "category").annotate(total=Sum("amount"))
        }
        cases: dict[tuple[str, str], set[int]] = {}
        for fund, category, case_ref in interventions.values_list("fund", "category", "case_ref"):
            cases.setdefault((fund, category), set()).add(case_ref)
        for fund, fund_label in Fund.choices:
            budget = budgets.filter(fund=fund).aggregate(total=Sum("amount"))["total"]
            self._add(
                f"fund_{fund}_budget",
                _("%(fund)s: budget (EUR)") % {"fund": fund_label},
                budget,
                AMOUNT,
                0,
                f"fund_{fund}",
            )
            for category, category_label in FundCategory.choices:
                amount = (rows.get((fund, category)) or {}).get("total") or Decimal("0.00")
                count = len(cases.get((fund, category), ()))
                names = {"fund": fund_label, "category": category_label}
                self._add(
                    f"fund_{fund}_{category}_amount",
                    _("%(fund)s – %(category)s: amount (EUR)") % names,
                    amount,
                    AMOUNT,
                    count,
                    f"fund_{fund}",
                )
                self._add(
                    f"fund_{fund}_{category}_cases",
                    _("%(fund)s – %(category)s: cases") % names,
                    count,
                    COUNT,
                    count,
                    f"fund_{fund}",
                )

    def _group_programmes(self) -> None:
        """Programmes with a session this year, their sessions, who took part, attendance and where they went."""
        sessions = OfferSession.objects.filter(
            offer__is_group_programme=True, start__year=self.year, start__date__lte=self.today
        ).exclude(status=SessionStatus.CANCELLED)
        if self.organisation is not None:
            sessions = sessions.filter(offer__organisation=self.organisation)
        attendances = self._scoped(Attendance.objects.filter(session__in=sessions), "enrolment__case__organisation")
        participants = set(attendances.values_list("enrolment__case_id", flat=True))
        programmes = set(attendances.values_list("session__offer_id", flat=True))
        held = sessions.filter(offer_id__in=programmes)
        base = len(participants)
        recorded = attendances.count()
        present = attendances.filter(presence=Presence.PRESENT).count()
        share = (Decimal(present * 100) / recorded).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP) if recorded else None
        section = "group_programmes"
        self._add("group_programmes", _("Group programmes held"), len(programmes), COUNT, base, section)
        self._add("group_sessions", _("Group sessions held"), held.count(), COUNT, base, section)
        self._add("group_unique_participants", _("Unique participants in group programmes"), base, COUNT, base, section)
        self._add("group_attendance_avg", _("Average attendance in group sessions (%)"), share, SHARE, base, section)
        left = self._scoped(
            Enrolment.objects.filter(status=EnrolmentStatus.LEFT, updated_at__year=self.year), "case__organisation"
        ).filter(offer_id__in=programmes)
        outcomes = Counter(left.values_list("outcome", flat=True))
        for value, label in ProgrammeOutcome.choices:
            count = outcomes[value]
            self._add(
                f"group_after_{value}",
                _("After a group programme: %(outcome)s") % {"outcome": label},
                count,
                COUNT,
                count,
                section,
            )


def annual_figures(
    year: int, *, organisation: Organisation | None = None, teams: Sequence[int] | None = None, exact: bool = False
) -> list[Figure]:
    """Every figure of the year, in a fixed order of stable keys."""
    return AnnualReport(year, organisation=organisation, teams=teams, exact=exact).build()


def annual_csv_rows(figures: list[Figure]) -> list[list[str]]:
    return [[figure.key, figure.label, figure.csv_value] for figure in figures]


def annual_charts(figures: list[Figure]) -> list[Chart]:
    """The figures grouped for the page's charts; fund amounts only (their case counts are in the table)."""
    titles = {
        "sources": _("Dossiers started and where they came from"),
        "intakes": _("Intakes"),
        "reserved_places": _("Reserved places"),
        "first_contact": _("First contact and caseload"),
        "thresholds": _("Main threshold of the dossiers started"),
        "closed": _("Trajectories closed, by where the client went"),
        "effects": _("Effects: share of clients whose score rose"),
        "ladder": _("Activation ladder at year end"),
        "group_programmes": _("Group programmes"),
        **{f"fund_{fund}": _("Spent from %(fund)s") % {"fund": label} for fund, label in Fund.choices},
    }
    charts = []
    for slug, title in titles.items():
        rows = [
            figure
            for figure in figures
            if figure.section == slug and not (slug.startswith("fund_") and figure.key.endswith("_cases"))
        ]
        charts.append(Chart(slug=f"annual-{slug}", title=title, rows=rows))
    return charts
