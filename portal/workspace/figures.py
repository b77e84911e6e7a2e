"""Figures for the network: counts only, never a case code, and every count under five suppressed.

Small counts can point at one person in a small neighbourhood, so a cell below
``settings.WORKSPACE_MIN_CELL`` (5) is shown as "< 5" and left out of the CSV's numbers.
"""

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from catalogue.csv_export import belgian_csv
from catalogue.models import Domain

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


def referrals_by_month_and_domain() -> Table:
    domains = _labels(Domain.choices)
    rows = (
        Referral.objects.annotate(month=TruncMonth("sent_at"))
        .values("month", "domain")
        .annotate(count=Count("pk"))
        .order_by("month", "domain")
    )
    counts = {f"{row['month']:%Y-%m} · {domains.get(row['domain'], row['domain'])}": row["count"] for row in rows}
    return Table("referrals_month_domain", _("Referrals per month and domain"), sorted_rows(counts))


def sorted_rows(counts: dict[str, int]) -> list[Row]:
    """Like ``suppress`` but keeping the labels' own order (months)."""
    return [Row(label=label, count=count if count >= min_cell() else None) for label, count in sorted(counts.items())]


def referrals_by_district() -> Table:
    rows = Referral.objects.values("district").annotate(count=Count("pk"))
    return Table(
        "referrals_district",
        _("Referrals per district"),
        suppress({row["district"] or _("unknown"): row["count"] for row in rows}),
    )


def participation() -> Table:
    """How many referrals reached participation, of all referrals."""
    total = Referral.objects.count()
    reached = (
        ReferralStatusChange.objects.filter(status=ReferralStatus.PARTICIPATING).values("referral").distinct().count()
    )
    counts = {str(_("All referrals")): total, str(_("Reached participation")): reached}
    return Table("participation", _("Referrals that reached participation"), sorted_rows(counts))


def thresholds() -> Table:
    """The thresholds named most: why referrals stopped, and what blocked unmet needs."""
    labels = _labels(ThresholdGroup.choices)
    counter: Counter[str] = Counter()
    for row in Referral.objects.exclude(stop_reason="").values("stop_reason").annotate(count=Count("pk")):
        counter[labels[row["stop_reason"]]] += row["count"]
    for row in UnmetNeed.objects.exclude(threshold="").values("threshold").annotate(count=Count("pk")):
        counter[labels[row["threshold"]]] += row["count"]
    return Table("thresholds", _("Most frequent thresholds"), suppress(dict(counter)))


def reserved_places_by_partner() -> Table:
    """Per partner: the reserved places asked, confirmed (used included), lapsed and used."""
    outcomes = (
        (_("asked"), tuple(value for value in PlaceStatus.values if value)),
        (_("confirmed"), (PlaceStatus.CONFIRMED, PlaceStatus.USED)),
        (_("lapsed"), (PlaceStatus.LAPSED,)),
        (_("used"), (PlaceStatus.USED,)),
    )
    rows = Referral.objects.exclude(place_status=PlaceStatus.NONE).values("partner__name", "place_status")
    counts: Counter[str] = Counter()
    for row in rows.annotate(count=Count("pk")):
        partner = row["partner__name"] or _("unknown")
        for outcome, statuses in outcomes:
            if row["place_status"] in statuses:
                counts[f"{partner} · {outcome}"] += row["count"]
    return Table("reserved_places_partner", _("Reserved places per partner"), sorted_rows(dict(counts)))


def unmet_by(field: str, title: str, slug: str, labels: dict[str, str] | None = None) -> Table:
    rows = UnmetNeed.objects.values(field).annotate(count=Count("pk"))
    counts = {(labels or {}).get(row[field], row[field]) or _("not given"): row["count"] for row in rows}
    return Table(slug, title, suppress(counts))


def unmet_tables() -> list[Table]:
    return [
        unmet_by("neighbourhood__name", _("Unmet needs per neighbourhood"), "unmet_neighbourhood"),
        unmet_by("domain", _("Unmet needs per domain"), "unmet_domain", _labels(Domain.choices)),
        unmet_by("threshold", _("Unmet needs per threshold"), "unmet_threshold", _labels(ThresholdGroup.choices)),
    ]


def all_tables() -> list[Table]:
    return [
        referrals_by_month_and_domain(),
        referrals_by_district(),
        participation(),
        reserved_places_by_partner(),
        thresholds(),
        *unmet_tables(),
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
