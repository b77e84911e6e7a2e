"""The one rule on who may change what an organisation owns.

The admin, the API and every importer ask this module; nothing else decides it. Wagtail's page
permissions on an organisation's subtree are derived from the same memberships (see
``services.membership_grant``), so the admin's own checks and this rule agree by construction.

Objects that other apps own on an organisation's behalf (the workspace's client cases and
intakes) have their rules registered here by that app (``register_scope``, from its
``AppConfig.ready``): this module asks them without importing the app that holds them.
"""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from .models import Membership, Organisation, OrganisationPrincipal
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


def is_coordinator(user: User) -> bool:
    if not user.is_authenticated or isinstance(user, OrganisationPrincipal):
        return False
    return user.is_superuser or Membership.objects.filter(user=user, role=Role.COORDINATOR).exists()


def organisations_editable_by(user: User) -> QuerySet[Organisation]:
    """The organisations whose offers this user may create, change, unpublish and delete."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if isinstance(user, OrganisationPrincipal):  # an API key acts for its own organisation only, until revoked
        return Organisation.objects.filter(pk=user.organisation.pk, api_keys=user.api_key, api_keys__revoked_at=None)
    if is_coordinator(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user=user, memberships__role=Role.PARTNER_EDITOR).distinct()


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
