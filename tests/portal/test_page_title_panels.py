"""Every page type edits its title with Wagtail's title panel, so the slug follows the title."""

from wagtail.admin.panels import Panel, TitleFieldPanel
from wagtail.models import Page, get_page_models

import pytest

PROJECT_APPS = {"portal", "organisations", "catalogue"}


def _panels(panel: Panel):
    yield panel
    for child in getattr(panel, "children", ()):
        yield from _panels(child)


def _project_page_models() -> list[type[Page]]:
    return [model for model in get_page_models() if model._meta.app_label in PROJECT_APPS]


def test_the_project_has_page_types() -> None:
    """Guard: the parametrised test below sees every page type of the project (offers included)."""
    names = {model.__name__ for model in _project_page_models()}
    assert {"OfferPage", "ExpertisePage", "HomePage", "OrganisationPage"} <= names


@pytest.mark.parametrize("model", _project_page_models(), ids=lambda model: model.__name__)
def test_title_uses_wagtails_title_panel(model: type[Page]) -> None:
    """Each page type's title panel is Wagtail's TitleFieldPanel, which fills the slug from the title."""
    panels = [panel for panel in _panels(model.get_edit_handler()) if getattr(panel, "field_name", None) == "title"]
    assert len(panels) == 1, f"{model.__name__} has {len(panels)} title panels"
    assert isinstance(panels[0], TitleFieldPanel), f"{model.__name__} edits its title with {type(panels[0]).__name__}"
