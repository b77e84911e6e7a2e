"""Figures for a network, and across networks: counts only, never a case code, every count under five suppressed.

Small counts can point at one person in a small neighbourhood, so a cell below
``settings.WORKSPACE_MIN_CELL`` (5) is shown as "< 5" and left out of the CSV's numbers.

A network's figures are those of its mediation teams' cases (``teams``: their organisation ids);
``teams=None`` counts the whole installation, as an installation without networks does.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from catalogue.csv_export import belgian_csv
from catalogue.models import Domain, OfferPage
from organisations.models import Network

from .models import PlaceStatus, Referral, ReferralStatus, ReferralStatusChange, ThresholdGroup, UnmetNeed

BAR_WIDTH = 300


@dataclass(frozen=True)
class Row:
    label: str
    count: int | None  # None: suppressed, fewer than the minimum cell size

    @property
    def shown(self) -> str:
        return str(self.count) if self.count is not None else _("fewer than %(min)s") % {"min": min_cell()}


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    rows: list[Row]

    def bars(self) -> list[dict]:
        """Each row with the width of its bar, drawn beside its number; a suppressed row draws no bar."""
        largest = max((row.count or 0 for row in self.rows), default=0) or 1
        return [
            {"label": row.label, "shown": row.shown, "width": round(BAR_WIDTH * (row.count or 0) / largest)}
            for row in self.rows
        ]


def min_cell() -> int:
    return getattr(settings, "WORKSPACE_MIN_CELL", 5)


def suppress(counts: dict[str, int]) -> list[Row]:
    return [
        Row(label=label, count=count if count >= min_cell() else None)
        for label, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


Teams = Sequence[int] | None


def network_teams(network: Network | None) -> Teams:
    """The organisation ids whose cases a network's figures count; None (everything) without a network."""
    return None if network is None else list(network.mediation_teams.values_list("pk", flat=True))


def _of_teams(queryset, path: str, teams: Teams):
    return queryset if teams is None else queryset.filter(**{f"{path}__in": teams})


def referrals_by_month_and_domain(teams: Teams = None) -> Table:
    domains = _labels(Domain.choices)
    rows = (
        _of_teams(Referral.objects, "case__organisation", teams)
        .annotate(month=TruncMonth("sent_at"))
        .values("month", "domain")
        .annotate(count=Count("pk"))
        .order_by("month", "domain")
    )
    counts = {f"{row['month']:%Y-%m} · {domains.get(row['domain'], row['domain'])}": row["count"] for row in rows}
    return Table("referrals_month_domain", _("Referrals per month and domain"), sorted_rows(counts))


def sorted_rows(counts: dict[str, int]) -> list[Row]:
    """Like ``suppress`` but keeping the labels' own order (months)."""
    return [Row(label=label, count=count if count >= min_cell() else None) for label, count in sorted(counts.items())]


def referrals_by_district(teams: Teams = None) -> Table:
    rows = _of_teams(Referral.objects, "case__organisation", teams).values("district").annotate(count=Count("pk"))
    return Table(
        "referrals_district",
        _("Referrals per district"),
        suppress({row["district"] or _("unknown"): row["count"] for row in rows}),
    )


def participation(teams: Teams = None) -> Table:
    """How many referrals reached participation, of all referrals."""
    total = _of_teams(Referral.objects, "case__organisation", teams).count()
    reached = (
        _of_teams(ReferralStatusChange.objects, "referral__case__organisation", teams)
        .filter(status=ReferralStatus.PARTICIPATING)
        .values("referral")
        .distinct()
        .count()
    )
    counts = {str(_("All referrals")): total, str(_("Reached participation")): reached}
    return Table("participation", _("Referrals that reached participation"), sorted_rows(counts))


def thresholds(teams: Teams = None) -> Table:
    """The thresholds named most: why referrals stopped, and what blocked unmet needs."""
    labels = _labels(ThresholdGroup.choices)
    counter: Counter[str] = Counter()
    referrals = _of_teams(Referral.objects, "case__organisation", teams)
    for row in referrals.exclude(stop_reason="").values("stop_reason").annotate(count=Count("pk")):
        counter[labels[row["stop_reason"]]] += row["count"]
    unmet_needs = _of_teams(UnmetNeed.objects, "organisation", teams)
    for row in unmet_needs.exclude(threshold="").values("threshold").annotate(count=Count("pk")):
        counter[labels[row["threshold"]]] += row["count"]
    return Table("thresholds", _("Most frequent thresholds"), suppress(dict(counter)))


def reserved_places_by_partner(teams: Teams = None) -> Table:
    """Per partner: the reserved places asked, confirmed (used included), lapsed and used."""
    outcomes = (
        (_("asked"), tuple(value for value in PlaceStatus.values if value)),
        (_("confirmed"), (PlaceStatus.CONFIRMED, PlaceStatus.USED)),
        (_("lapsed"), (PlaceStatus.LAPSED,)),
        (_("used"), (PlaceStatus.USED,)),
    )
    rows = (
        _of_teams(Referral.objects, "case__organisation", teams)
        .exclude(place_status=PlaceStatus.NONE)
        .values("partner__name", "place_status")
    )
    counts: Counter[str] = Counter()
    for row in rows.annotate(count=Count("pk")):
        partner = row["partner__name"] or _("unknown")
        for outcome, statuses in outcomes:
            if row["place_status"] in statuses:
                counts[f"{partner} · {outcome}"] += row["count"]
    return Table("reserved_places_partner", _("Reserved places per partner"), sorted_rows(dict(counts)))


def unmet_by(field: str, title: str, slug: str, labels: dict[str, str] | None = None, teams: Teams = None) -> Table:
    rows = _of_teams(UnmetNeed.objects, "organisation", teams).values(field).annotate(count=Count("pk"))
    counts = {(labels or {}).get(row[field], row[field]) or _("not given"): row["count"] for row in rows}
    return Table(slug, title, suppress(counts))


def unmet_tables(teams: Teams = None) -> list[Table]:
    return [
        unmet_by("municipality__name", _("Unmet needs per municipality"), "unmet_municipality", teams=teams),
        unmet_by("neighbourhood__name", _("Unmet needs per neighbourhood"), "unmet_neighbourhood", teams=teams),
        unmet_by("domain", _("Unmet needs per domain"), "unmet_domain", _labels(Domain.choices), teams=teams),
        unmet_by(
            "threshold", _("Unmet needs per threshold"), "unmet_threshold", _labels(ThresholdGroup.choices), teams=teams
        ),
    ]


def all_tables(teams: Teams = None) -> list[Table]:
    return [
        referrals_by_month_and_domain(teams),
        referrals_by_district(teams),
        participation(teams),
        reserved_places_by_partner(teams),
        thresholds(teams),
        *unmet_tables(teams),
    ]


def can_see_platform_figures(user) -> bool:
    """The platform's role (publiq's support, the Flemish administration): superusers or those given the permission."""
    return user.is_authenticated and (user.is_superuser or user.has_perm("workspace.view_platform_figures"))


def _count_cell(count: int) -> str:
    return str(count) if count >= min_cell() else _("fewer than %(min)s") % {"min": min_cell()}


def _counts_by(queryset, field: str) -> Counter:
    return Counter(dict(queryset.order_by().values_list(field).annotate(count=Count("pk")).values_list(field, "count")))


def platform_rows() -> list[dict]:
    """Each network with its partners, the live offers it shows, and its teams' referrals and unmet needs.

    A network shows the offers in its municipalities and those its partners serve it from outside, as its
    search does. Partners and offers are public, so shown exactly; referrals and unmet needs are people's,
    so suppressed. A fixed number of queries, however many networks there are.
    """
    live = OfferPage.objects.live()
    offers_per_municipality = _counts_by(live, "municipality")
    served_from = Counter(
        {
            (network, municipality): count
            for network, municipality, count in live.filter(served_networks__isnull=False)
            .order_by()
            .values_list("served_networks", "municipality")
            .annotate(count=Count("pk"))
        }
    )
    referrals_per_team = _counts_by(Referral.objects, "case__organisation")
    unmet_per_team = _counts_by(UnmetNeed.objects, "organisation")
    rows = []
    networks = Network.objects.annotate(partner_count=Count("partners", distinct=True)).prefetch_related(
        "municipalities", "mediation_teams"
    )
    for network in networks.order_by("name"):
        municipalities = {area.pk: area.name for area in network.municipalities.all()}
        teams = [team.pk for team in network.mediation_teams.all()]
        offers = sum(offers_per_municipality[pk] for pk in municipalities) + sum(
            count
            for (served, municipality), count in served_from.items()
            if served == network.pk and municipality not in municipalities
        )
        rows.append(
            {
                "network": network,
                "municipalities": ", ".join(municipalities.values()),
                "partners": network.partner_count,
                "offers": offers,
                "referrals": _count_cell(sum(referrals_per_team[pk] for pk in teams)),
                "unmet_needs": _count_cell(sum(unmet_per_team[pk] for pk in teams)),
            }
        )
    return rows


def platform_tables() -> list[Table]:
    """Across networks: referrals per network and unmet needs per municipality, suppressed like any figure."""
    per_team = _counts_by(Referral.objects, "case__organisation")
    referrals = {
        network.name: sum(per_team[team.pk] for team in network.mediation_teams.all())
        for network in Network.objects.prefetch_related("mediation_teams")
    }
    return [
        Table("platform_referrals_network", _("Referrals per network"), suppress(referrals)),
        unmet_by("municipality__name", _("Unmet needs per municipality"), "platform_unmet_municipality"),
    ]


def tables_csv(tables: list[Table]) -> str:
    """One CSV of every table for Belgian Excel, headed in the interface language.

    The number column holds numbers only: a suppressed count leaves it empty and says why in the note column,
    so a sum in Excel never mistakes "fewer than 5" for a value.
    """
    header = [_("Figure"), _("What"), _("Number"), _("Note")]
    rows = (
        [table.title, row.label, row.count, ""] if row.count is not None else [table.title, row.label, "", row.shown]
        for table in tables
        for row in table.rows
    )
    return belgian_csv(rows, header=header)
