"""App configuration for the mediator workspace."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "portal.workspace"
    label = "workspace"
    verbose_name = _("Mediator workspace")

    def ready(self) -> None:
        from search.views import mediator_context_providers

        from . import access
        from .views import open_cases_for_shortlist

        access.register()
        post_migrate.connect(_schedule_places_lapse, sender=self, dispatch_uid="workspace-places-lapse-on-migrate")
        mediator_context_providers.append(open_cases_for_shortlist)


def _schedule_places_lapse(sender, **kwargs) -> None:
    """A deploy migrates: from then on the worker holds the nightly lapse of reserved-place requests."""
    from .tasks import schedule_places_lapse

    schedule_places_lapse()
