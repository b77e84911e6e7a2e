"""Admin wiring for the catalogue's reference data: themes and languages."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Language, Neighbourhood, Theme


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
