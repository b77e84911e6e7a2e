"""The one rule on who may change what an organisation owns.

The admin, the API and every importer ask this module; nothing else decides it. Wagtail's page
permissions on an organisation's subtree are derived from the same memberships (see
``services.membership_grant``), so the admin's own checks and this rule agree by construction.

Objects that other apps own on an organisation's behalf (the workspace's client cases and
intakes) have their rules registered here by that app (``register_scope``, from its
``AppConfig.ready``): this module asks them without importing the app that holds them.

Networks: an installation with no ``Network`` rows is one implicit network, and a coordinator
membership anywhere coordinates all of it (every partner, every page), as before networks were
records. From the first ``Network`` on, a coordinator is who a network names among its
``coordinators``: they edit that network's partners (and its pages, through the network's
coordinators group: ``services.network_permissions_sync``), and nothing of another network.
"""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from .models import Membership, Network, Organisation, OrganisationPrincipal
from .roles import Role

User = AbstractBaseUser | AnonymousUser | OrganisationPrincipal
Scope = Callable[[User], QuerySet]

_scopes: dict[str, Scope] = {}


def register_scope(name: str, scope: Scope) -> None:
    """Register the rule deciding which objects of one kind a user may see, under a name asked below."""
    _scopes[name] = scope


def _scoped(name: str, user: User) -> QuerySet:
    try:
        scope = _scopes[name]
    except KeyError:
        raise LookupError(f"No permission scope {name!r} is registered; is its app installed?") from None
    return scope(user)


def _is_person(user: User) -> bool:
    return user.is_authenticated and not isinstance(user, OrganisationPrincipal)


def networks_coordinated_by(user: User) -> QuerySet[Network]:
    """The networks this person coordinates: every one for a superuser, else those naming them a coordinator."""
    if not _is_person(user):
        return Network.objects.none()
    if user.is_superuser:
        return Network.objects.all()
    return Network.objects.filter(coordinators=user)


def can_coordinate(user: User, network: Network | None) -> bool:
    """Whether this person coordinates this network: its record, its pages, its partners."""
    return network is not None and networks_coordinated_by(user).filter(pk=network.pk).exists()


def networks_of(user: User) -> QuerySet[Network]:
    """The networks this person works in: those they coordinate, and those whose partners or mediation
    teams hold one of their memberships (mediators, referrers and editors work within these)."""
    if not _is_person(user):
        return Network.objects.none()
    if user.is_superuser:
        return Network.objects.all()
    organisations = Membership.objects.filter(user=user).values("organisation")
    return Network.objects.filter(
        Q(coordinators=user) | Q(partners__in=organisations) | Q(mediation_teams__in=organisations)
    ).distinct()


def is_coordinator(user: User) -> bool:
    """A superuser, a coordinator of some network or, on an installation without networks, any coordinator."""
    if not _is_person(user):
        return False
    if user.is_superuser:
        return True
    if not Network.objects.exists():
        return Membership.objects.filter(user=user, role=Role.COORDINATOR).exists()
    return networks_coordinated_by(user).exists()


def organisations_editable_by(user: User) -> QuerySet[Organisation]:
    """The organisations whose offers this user may create, change, unpublish and delete.

    A coordinator edits the partners of the networks they coordinate (all organisations on an
    installation without networks); anyone edits the organisations they are a partner editor of.
    """
    if not user.is_authenticated:
        return Organisation.objects.none()
    if isinstance(user, OrganisationPrincipal):  # an API key acts for its own organisation only, until revoked
        return Organisation.objects.filter(pk=user.organisation.pk, api_keys=user.api_key, api_keys__revoked_at=None)
    own = Q(memberships__user=user, memberships__role=Role.PARTNER_EDITOR)
    if user.is_superuser or (is_coordinator(user) and not Network.objects.exists()):
        return Organisation.objects.all()
    if is_coordinator(user):
        return Organisation.objects.filter(own | Q(networks__in=networks_coordinated_by(user))).distinct()
    return Organisation.objects.filter(own).distinct()


def can_edit_for(user: User, organisation: Organisation | None) -> bool:
    """Whether the user may change objects owned by this organisation."""
    if organisation is None or not user.is_authenticated:
        return False
    return organisations_editable_by(user).filter(pk=organisation.pk).exists()


def can_use_mediator_tools(user: User) -> bool:
    """Mediators and coordinators search for clients; partners and visitors use the public catalogue."""
    if not user.is_authenticated or isinstance(user, OrganisationPrincipal):
        return False
    return (
        user.is_superuser or Membership.objects.filter(user=user, role__in=[Role.MEDIATOR, Role.COORDINATOR]).exists()
    )


def organisations_with_cases_for(user: User) -> QuerySet[Organisation]:
    """The organisations whose client cases this user works on: those where they are mediator or coordinator.

    Being a superuser or a coordinator elsewhere gives no access: client data stays inside the
    organisation that holds it, and the network only ever sees counts.
    """
    if not user.is_authenticated or isinstance(user, OrganisationPrincipal):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=[Role.MEDIATOR, Role.COORDINATOR]
    ).distinct()


def cases_visible_to(user: User) -> QuerySet:
    """The client cases this user may read and change; every workspace view starts from this."""
    return _scoped("cases", user)


def can_see_case(user: User, case) -> bool:
    """Whether the user may read and change this client case."""
    return case is not None and cases_visible_to(user).filter(pk=case.pk).exists()


def organisations_referring_for(user: User) -> QuerySet[Organisation]:
    """The organisations on whose behalf this person refers clients to a mediation team.

    Referrers refer for their organisation; mediators and coordinators may refer for theirs too
    (to another team, or for their own service).
    """
    if not user.is_authenticated or isinstance(user, OrganisationPrincipal):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=[Role.REFERRER, Role.MEDIATOR, Role.COORDINATOR]
    ).distinct()


def can_refer(user: User) -> bool:
    return organisations_referring_for(user).exists()


def intakes_visible_to(user: User) -> QuerySet:
    """The intakes whose content this user may read and triage: those sent to a team they work in.

    A referrer is not in this set: they follow their own intakes' status through ``intakes_referred_by``.
    """
    return _scoped("intakes", user)


def intakes_referred_by(user: User) -> QuerySet:
    """The intakes this person sent, for their status only: never the case behind them."""
    return _scoped("referred_intakes", user)


def can_manage_funds(user: User, organisation: Organisation | None) -> bool:
    """Who sets an organisation's yearly participation-fund budgets: its own coordinators (the OCMW lead)."""
    if organisation is None or not user.is_authenticated or isinstance(user, OrganisationPrincipal):
        return False
    return Membership.objects.filter(user=user, organisation=organisation, role=Role.COORDINATOR).exists()
