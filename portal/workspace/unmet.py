"""Unmet needs ("signaleren"): needs no offer meets, kept without any link to a case, grouped for coordinators."""

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError

from catalogue.models import Area, AreaLevel, Domain, Neighbourhood, area_ids_at
from organisations.models import Organisation
from organisations.permissions import can_use_mediator_tools

from .models import ClientCase, UnmetNeed
from .validators import validate_no_contact_details


def unmet_need_record(
    *,
    by: AbstractBaseUser,
    organisation: Organisation | None,
    domain: str = "",
    neighbourhood: Neighbourhood | None = None,
    threshold: str = "",
    note: str = "",
    automatic: bool = False,
) -> UnmetNeed:
    """Keep an unmet need; its short note may not carry contact details, since it is kept without a case."""
    if not can_use_mediator_tools(by):
        raise PermissionDenied
    try:
        validate_no_contact_details(note)
    except ValidationError as error:
        raise ValidationError({"note": error.messages}) from error
    return UnmetNeed.objects.create(
        organisation=organisation,
        domain=domain,
        neighbourhood=neighbourhood,
        municipality=municipality_of_need(neighbourhood=neighbourhood, organisation=organisation),
        threshold=threshold,
        note=note.strip(),
        automatic=automatic,
    )


def municipality_of_need(*, neighbourhood: Neighbourhood | None, organisation: Organisation | None) -> Area | None:
    """The municipality of the client's neighbourhood; else the one municipality the team's networks cover.

    A team working in several municipalities, without a neighbourhood, leaves it unknown rather than guess.
    """
    if neighbourhood is not None:
        placed = area_ids_at(latitude=neighbourhood.centroid_latitude, longitude=neighbourhood.centroid_longitude)
        if placed[AreaLevel.MUNICIPALITY] is not None:
            return Area.objects.get(pk=placed[AreaLevel.MUNICIPALITY])
    if organisation is None:
        return None
    municipalities = list(
        Area.objects.filter(level=AreaLevel.MUNICIPALITY, networks__mediation_teams=organisation).distinct()[:2]
    )
    return municipalities[0] if len(municipalities) == 1 else None


def unmet_notes(limit: int = 20, *, teams: Sequence[int] | None = None) -> list[tuple[str, str]]:
    """The latest notes on what was missing, for coordinators: with the domain only, no place, organisation or case.

    ``teams`` keeps them to a network's mediation teams (None: every team).
    """
    labels = dict(Domain.choices)
    needs = UnmetNeed.objects.all() if teams is None else UnmetNeed.objects.filter(organisation__in=teams)
    rows = needs.exclude(note="").order_by("-recorded_at").values_list("note", "domain")[:limit]
    return [(note, labels.get(domain, "")) for note, domain in rows]


def unmet_from_empty_search(*, by: AbstractBaseUser, case: ClientCase) -> list[UnmetNeed]:
    """A case search without result becomes one unmet need per domain asked, holding only domain and place."""
    return [
        unmet_need_record(
            by=by, organisation=case.organisation, domain=domain, neighbourhood=case.home_neighbourhood, automatic=True
        )
        for domain in (case.domains or [""])
    ]
