"""Who sees which client cases and intakes: the workspace's rules, registered with the one permission rule.

``organisations.permissions`` decides from memberships; these rules say how cases and intakes hang
off organisations and people. They are registered from ``WorkspaceConfig.ready`` so that
``organisations`` never imports the workspace.
"""

from django.db.models import QuerySet

from organisations.models import OrganisationPrincipal
from organisations.permissions import User, organisations_with_cases_for, register_scope

from .models import ClientCase, Intake


def _cases(user: User) -> QuerySet[ClientCase]:
    return ClientCase.objects.filter(organisation__in=organisations_with_cases_for(user))


def _intakes(user: User) -> QuerySet[Intake]:
    return Intake.objects.filter(team__in=organisations_with_cases_for(user))


def _referred_intakes(user: User) -> QuerySet[Intake]:
    if not user.is_authenticated or isinstance(user, OrganisationPrincipal):
        return Intake.objects.none()
    return Intake.objects.filter(referred_by=user)


def register() -> None:
    register_scope("cases", _cases)
    register_scope("intakes", _intakes)
    register_scope("referred_intakes", _referred_intakes)
