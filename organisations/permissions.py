"""The one rule on who may change what an organisation owns.

The admin, the API and every importer ask this module; nothing else decides it. Wagtail's page
permissions on an organisation's subtree are derived from the same memberships (see
``services.membership_grant``), so the admin's own checks and this rule agree by construction.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from .models import Membership, Organisation, OrganisationPrincipal
from .roles import Role

User = AbstractBaseUser | AnonymousUser | OrganisationPrincipal


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
    from portal.workspace.models import ClientCase

    return ClientCase.objects.filter(organisation__in=organisations_with_cases_for(user))


def can_see_case(user: User, case) -> bool:
    """Whether the user may read and change this client case."""
    return case is not None and cases_visible_to(user).filter(pk=case.pk).exists()
