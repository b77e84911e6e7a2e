"""Participation funds: what the OCMW's funds paid for a case, the yearly budgets, and spent and left.

Interventions are recorded on a case (``can_see_case``) of an OCMW; budgets are set by the
organisation's own coordinators (``can_manage_funds``). The overview shows exact amounts: it never
leaves the organisation (the network's figures suppress small counts, see ``annual.py``).
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import Organisation, OrganisationKind
from organisations.permissions import can_manage_funds, can_see_case

from .models import AuditAction, ClientCase, Fund, FundBudget, FundCategory, FundIntervention
from .services import audit_record, case_touch, check_free_text

CENT = Decimal("0.01")


def charged_amount(total_cost: Decimal, group_target: int | None, group_total: int | None) -> Decimal:
    """What the fund pays: the whole cost, or the target group's share of a mixed group (6 of 20 → 6/20)."""
    if group_target is None and group_total is None:
        return total_cost.quantize(CENT, rounding=ROUND_HALF_UP)
    return (total_cost * group_target / group_total).quantize(CENT, rounding=ROUND_HALF_UP)


def funds_apply_to(case: ClientCase) -> bool:
    """Participation funds are the OCMW's: only an OCMW's cases record interventions."""
    return case.organisation.kind == OrganisationKind.OCMW


@transaction.atomic
def intervention_record(
    *,
    by: AbstractBaseUser,
    case: ClientCase,
    on: date,
    category: str,
    fund: str,
    total_cost: Decimal,
    group_target: int | None = None,
    group_total: int | None = None,
    note: str = "",
) -> FundIntervention:
    if not can_see_case(by, case):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not funds_apply_to(case):
        errors["fund"] = [_("Only an OCMW records participation-fund interventions.")]
    if category not in FundCategory.values:
        errors["category"] = [_("Choose what the fund paid.")]
    if fund not in Fund.values:
        errors["fund"] = [_("Choose the fund.")]
    try:
        total_cost = Decimal(total_cost)
        if not total_cost.is_finite() or total_cost <= 0:
            raise InvalidOperation
    except (InvalidOperation, TypeError, ValueError):
        errors["total_cost"] = [_("Give the cost in euro, more than 0, for example 45,50.")]
    if (group_target is None) != (group_total is None):
        errors["group_total"] = [_("For a mixed group, give both numbers of participants, or neither.")]
    elif group_total is not None and not 0 < group_target <= group_total:
        errors["group_target"] = [_("The target group is at least 1 and at most all participants.")]
    if on > timezone.localdate():
        errors["on"] = [_("An intervention cannot lie in the future.")]
    check_free_text(errors, "note", note)
    if errors:
        raise ValidationError(errors)
    intervention = FundIntervention.objects.create(
        organisation=case.organisation,
        case=case,
        case_ref=case.pk,
        on=on,
        category=category,
        fund=fund,
        total_cost=total_cost,
        group_target=group_target,
        group_total=group_total,
        amount=charged_amount(total_cost, group_target, group_total),
        note=note.strip(),
        created_by=by,
    )
    audit_record(user=by, case=case, action=AuditAction.INTERVENTION, detail=f"{intervention.pk}:{intervention.amount}")
    case_touch(case)
    return intervention


@transaction.atomic
def budget_set(
    *, by: AbstractBaseUser, organisation: Organisation, fund: str, year: int, amount: Decimal
) -> FundBudget:
    """Set (or change) a fund's budget for a year; only the organisation's own coordinators may."""
    if not can_manage_funds(by, organisation):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if fund not in Fund.values:
        errors["fund"] = [_("Choose the fund.")]
    if not 2000 <= year <= 2100:
        errors["year"] = [_("Give a year from 2000 to 2100.")]
    if amount is None or amount < 0:
        errors["amount"] = [_("Give the budget in euro, 0 or more.")]
    if errors:
        raise ValidationError(errors)
    budget, _created = FundBudget.objects.update_or_create(
        organisation=organisation, fund=fund, year=year, defaults={"amount": amount, "set_by": by}
    )
    return budget


@dataclass(frozen=True)
class FundLine:
    fund: str
    label: str
    budget: Decimal | None
    spent: Decimal
    cases: int

    @property
    def left(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.spent

    @property
    def share_spent(self) -> int | None:
        """Percent of the budget spent, for the bar; None without a budget."""
        if not self.budget:
            return None
        return min(100, round(self.spent * 100 / self.budget))


def fund_overview(organisation: Organisation, year: int) -> list[FundLine]:
    """Per fund: the year's budget, what was spent, what is left and for how many cases; exact amounts."""
    budgets = dict(FundBudget.objects.filter(organisation=organisation, year=year).values_list("fund", "amount"))
    spent = {
        row["fund"]: row
        for row in FundIntervention.objects.filter(organisation=organisation, on__year=year)
        .values("fund")
        .annotate(total=Sum("amount"), cases=Count("case_ref", distinct=True))
    }
    return [
        FundLine(
            fund=value,
            label=str(label),
            budget=budgets.get(value),
            spent=spent.get(value, {}).get("total") or Decimal("0"),
            cases=spent.get(value, {}).get("cases", 0),
        )
        for value, label in Fund.choices
    ]
