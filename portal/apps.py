"""App configuration for the portal's own pages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.urls import register_converter

        from .converters import IdConverter

        register_converter(IdConverter, "id")
