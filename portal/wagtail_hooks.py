"""Admin wiring for the network pages: Wagtail's content checker for editors, and rich-text editors named."""

from django.db.models import Q
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.userbar import ContentCheckerItem
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy


class NetworkContentChecker(ContentCheckerItem):
    """Wagtail's axe checks (headings, empty links and buttons, alt text) plus the ones editors' text can break.

    The checker runs in the editor's preview panel and in the userbar on the live page.
    """

    axe_run_only = [
        *ContentCheckerItem.axe_run_only,
        "image-alt",
        "link-in-text-block",
        "list",
        "listitem",
        "color-contrast",
    ]
    axe_messages = {
        **ContentCheckerItem.axe_messages,
        "image-alt": {
            "error_name": _("Image without alternative text"),
            "help_text": _("Describe what the image shows, or mark it as decorative"),
        },
        "link-in-text-block": {
            "error_name": _("Link only recognisable by its colour"),
            "help_text": _("Keep links underlined inside a paragraph"),
        },
        "list": {
            "error_name": _("Broken list"),
            "help_text": _("Use the list buttons instead of typing dashes or numbers"),
        },
        "listitem": {
            "error_name": _("List item outside a list"),
            "help_text": _("Use the list buttons instead of typing dashes or numbers"),
        },
        "color-contrast": {
            "error_name": _("Text with too little contrast"),
            "help_text": _("Text must stand out clearly from its background"),
        },
    }


@hooks.register("construct_wagtail_userbar")
def use_network_content_checker(request: HttpRequest, items: list, page: Page | None) -> None:
    items[:] = [
        NetworkContentChecker(in_editor=item.in_editor) if isinstance(item, ContentCheckerItem) else item
        for item in items
    ]


@hooks.register("insert_editor_js")
def name_rich_text_editors() -> str:
    return format_html('<script src="{}"></script>', static("portal/rich_text_labels.js"))


@hooks.register("construct_page_chooser_queryset")
def chooser_shows_only_what_the_editor_may_see(pages, request: HttpRequest):
    """The page chooser (a link, a page field) lists published pages, and unpublished ones only to who may edit
    them: a partner editor never sees another organisation's draft titles or that it has drafts."""
    if request.user.is_superuser:
        return pages
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(request.user, ["change", "publish"])
    return pages.filter(Q(live=True) | Q(owner=request.user) | Q(pk__in=editable.values("pk")))
