"""The one rule on who may change what an organisation owns.

The admin, the API and every importer ask this module; nothing else decides it. Wagtail's page
permissions on an organisation's subtree are derived from the same memberships (see
``services.membership_grant``), so the admin's own checks and this rule agree by construction.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from .models import Membership, Organisation
from .roles import Role

User = AbstractBaseUser | AnonymousUser


def is_coordinator(user: User) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or Membership.objects.filter(user=user, role=Role.COORDINATOR).exists()


def organisations_editable_by(user: User) -> QuerySet[Organisation]:
    """The organisations whose offers this user may create, change, unpublish and delete."""
    if not user.is_authenticated:
        return Organisation.objects.none()
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
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser or Membership.objects.filter(user=user, role__in=[Role.MEDIATOR, Role.COORDINATOR]).exists()
    )
