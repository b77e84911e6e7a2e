"""Admin wiring for the catalogue's reference data (themes and languages), freshness, the spreadsheet import and
the record of UiTdatabank pulls."""

from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from organisations.permissions import is_coordinator, organisations_editable_by

from .admin_views import ImportApplyView, ImportJobView, ImportStartView, ImportTemplateView
from .freshness import CONFIRM_LOG_ACTION
from .freshness_admin import StaleOffersPanel, offer_confirm_view
from .models import Language, Neighbourhood, Theme, UitdatabankPull
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


class UitdatabankPullPermissionPolicy(BasePermissionPolicy):
    """Whoever edits for an organisation sees its pulls (a coordinator: every organisation's); nobody changes one."""

    def user_has_permission(self, user, action: str) -> bool:
        return action == "view" and organisations_editable_by(user).exists()

    def user_has_permission_for_instance(self, user, action: str, instance: UitdatabankPull) -> bool:
        return action == "view" and organisations_editable_by(user).filter(pk=instance.organisation_id).exists()

    def instances_user_has_any_permission_for(self, user, actions: list[str]):
        if "view" not in actions:
            return UitdatabankPull.objects.none()
        return UitdatabankPull.objects.filter(organisation__in=organisations_editable_by(user)).select_related(
            "organisation"
        )


register_permission_policy(UitdatabankPull, UitdatabankPullPermissionPolicy(UitdatabankPull))


class UitdatabankPullIndexView(IndexView):
    """The runs of the organisations the user edits for (every organisation's for a coordinator)."""

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["view"])


class UitdatabankPullInspectView(InspectView):
    def get_object(self, queryset=None) -> UitdatabankPull:
        return get_object_or_404(
            self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["view"]),
            pk=self.kwargs["pk"],
        )


class UitdatabankPullViewSet(ModelViewSet):
    """Only the list and each run's details: runs are written by the pull, never by hand."""

    model = UitdatabankPull
    name = "uitdatabank_pulls"
    icon = "download"
    menu_label = _("UiTdatabank pulls")
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = UitdatabankPullIndexView
    inspect_view_class = UitdatabankPullInspectView
    form_fields = ["organisation"]  # asked for by ModelViewSet; no add or edit view is served
    list_filter = ["organisation", "status"]
    list_display = [
        "organisation",
        Column("organisation.uitdatabank_organizer_id", label=_("UiTdatabank organizer id")),
        Column("organisation.uitdatabank_label", label=_("UiTdatabank label")),
        "status",
        DateColumn("started_at", label=_("started at")),
        Column("duration_display", accessor="get_duration_display", label=_("duration")),
        "received",
        "created",
        "updated",
        "unchanged",
        "unpublished",
        "refused",
    ]
    inspect_view_fields = [
        "organisation",
        "status",
        "full",
        "modified_from",
        "started_at",
        "finished_at",
        "duration",
        "received",
        "created",
        "updated",
        "unchanged",
        "unpublished",
        "refused",
        "refusals",
        "error",
    ]

    def get_urlpatterns(self) -> list:
        kept = {"index", "index_results", "inspect"}
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in kept]


@hooks.register("register_admin_viewset")
def register_uitdatabank_pull_viewset() -> UitdatabankPullViewSet:
    return UitdatabankPullViewSet()
