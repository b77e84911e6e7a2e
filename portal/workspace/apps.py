"""App configuration for the mediator workspace."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "portal.workspace"
    label = "workspace"
    verbose_name = _("Mediator workspace")

    def ready(self) -> None:
        from . import access

        access.register()
