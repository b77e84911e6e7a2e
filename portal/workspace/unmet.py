"""Unmet needs ("signaleren"): needs no offer meets, kept without any link to a case, grouped for coordinators."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied

from catalogue.models import Neighbourhood
from organisations.models import Organisation
from organisations.permissions import can_use_mediator_tools

from .models import ClientCase, UnmetNeed


def unmet_need_record(
    *,
    by: AbstractBaseUser,
    organisation: Organisation | None,
    domain: str = "",
    neighbourhood: Neighbourhood | None = None,
    threshold: str = "",
    automatic: bool = False,
) -> UnmetNeed:
    if not can_use_mediator_tools(by):
        raise PermissionDenied
    return UnmetNeed.objects.create(
        organisation=organisation, domain=domain, neighbourhood=neighbourhood, threshold=threshold, automatic=automatic
    )


def unmet_from_empty_search(*, by: AbstractBaseUser, case: ClientCase) -> list[UnmetNeed]:
    """A case search without result becomes one unmet need per domain asked, holding only domain and place."""
    return [
        unmet_need_record(
            by=by, organisation=case.organisation, domain=domain, neighbourhood=case.home_neighbourhood, automatic=True
        )
        for domain in (case.domains or [""])
    ]
