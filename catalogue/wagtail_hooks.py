"""Admin wiring for the catalogue's reference data (themes and languages), freshness and the spreadsheet import."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from organisations.permissions import is_coordinator, organisations_editable_by

from .admin_views import ImportApplyView, ImportJobView, ImportStartView, ImportTemplateView
from .freshness import CONFIRM_LOG_ACTION
from .freshness_admin import StaleOffersPanel, offer_confirm_view
from .models import Language, Neighbourhood, Theme
from .place_panel import derived_place_view, geocode_address_view


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "domain"]
    list_filter = ["domain"]


class LanguageViewSet(SnippetViewSet):
    model = Language
    icon = "globe"
    list_display = ["name", "code"]


class NeighbourhoodViewSet(SnippetViewSet):
    model = Neighbourhood
    icon = "site"
    list_display = ["name", "district", "code", "socio_economic_score"]
    list_filter = ["district"]
    inspect_view_enabled = True


class CatalogueViewSetGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, LanguageViewSet, NeighbourhoodViewSet)
    menu_icon = "list-ul"
    menu_label = _("Catalogue")
    menu_name = "catalogue"


register_snippet(CatalogueViewSetGroup)


@hooks.register("construct_homepage_panels")
def add_stale_offers_panel(request, panels) -> None:
    panels.append(StaleOffersPanel(reviewer=is_coordinator(request.user)))


@hooks.register("register_admin_urls")
def register_freshness_urls() -> list:
    return [path("catalogue/offers/<id:offer_id>/confirm/", offer_confirm_view, name="catalogue_offer_confirm")]


@hooks.register("register_admin_urls")
def register_place_urls() -> list:
    return [
        path("catalogue/place/geocode/", geocode_address_view, name="catalogue_geocode_address"),
        path("catalogue/place/derived/", derived_place_view, name="catalogue_derived_place"),
    ]


@hooks.register("register_log_actions")
def register_freshness_log_actions(actions) -> None:
    actions.register_action(CONFIRM_LOG_ACTION, _("Confirm still correct"), _("Confirmed as still correct"))


class ImportMenuItem(MenuItem):
    """Shown to partner editors and coordinators: the people who edit offers for an organisation."""

    def is_shown(self, request) -> bool:
        return organisations_editable_by(request.user).exists()


@hooks.register("register_admin_urls")
def register_import_urls() -> list:
    return [
        path("catalogue/import/", ImportStartView.as_view(), name="catalogue_import"),
        path(
            "catalogue/import/template.<str:file_format>",
            ImportTemplateView.as_view(),
            name="catalogue_import_template",
        ),
        path("catalogue/import/jobs/<id:job_id>/", ImportJobView.as_view(), name="catalogue_import_job"),
        path("catalogue/import/jobs/<id:job_id>/apply/", ImportApplyView.as_view(), name="catalogue_import_apply"),
    ]


@hooks.register("register_admin_menu_item")
def register_import_menu_item() -> MenuItem:
    return ImportMenuItem(
        _("Import"), reverse("catalogue_import"), name="catalogue-import", icon_name="upload", order=250
    )
