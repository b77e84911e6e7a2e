"""App configuration for the mediator workspace."""

from django.apps import AppConfig
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
        mediator_context_providers.append(open_cases_for_shortlist)
