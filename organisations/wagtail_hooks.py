"""Admin wiring: organisations as snippets for coordinators, and the organisation rule on page actions."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Membership, Organisation
from .permissions import can_edit_for


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    list_display = ["name", "kind", "email", "phone"]
    list_filter = ["kind"]
    search_fields = ["name"]


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]


class NetworkViewSetGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, MembershipViewSet)
    menu_icon = "group"
    menu_label = _("Network")
    menu_name = "network"


register_snippet(NetworkViewSetGroup)


def _owning_organisation(page: Page) -> Organisation | None:
    specific = page.specific_deferred
    return getattr(specific, "organisation", None)


def _refuse_unless_owner(request: HttpRequest, page: Page) -> None:
    """Second line behind Wagtail's subtree permissions: the organisation rule itself."""
    organisation = _owning_organisation(page)
    if organisation is not None and not can_edit_for(request.user, organisation):
        raise PermissionDenied


for hook_name in (
    "before_edit_page",
    "before_delete_page",
    "before_copy_page",
    "before_unpublish_page",
    "before_convert_alias_page",
):

    @hooks.register(hook_name)
    def _guard(request, page, *args, **kwargs):
        _refuse_unless_owner(request, page)


@hooks.register("before_move_page")
def _guard_move(request, page, destination):
    _refuse_unless_owner(request, page)
    _refuse_unless_owner(request, destination)
