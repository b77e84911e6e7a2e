"""The referral inbox in the partner's admin, with its menu item."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import referral_inbox, referral_inbox_place, referral_inbox_status
from .referrals import inbox_organisations


class ReferralInboxMenuItem(MenuItem):
    """Shown by the same rule as the inbox itself, before a first referral too."""

    def is_shown(self, request) -> bool:
        return inbox_organisations(request.user).exists()


@hooks.register("register_admin_urls")
def register_referral_inbox_urls() -> list:
    return [
        path("doorverwijzingen/", referral_inbox, name="workspace_referral_inbox"),
        path("doorverwijzingen/<id:pk>/status/", referral_inbox_status, name="workspace_referral_inbox_status"),
        path("doorverwijzingen/<id:pk>/plaats/", referral_inbox_place, name="workspace_referral_inbox_place"),
    ]


@hooks.register("register_admin_menu_item")
def register_referral_inbox_menu_item() -> MenuItem:
    return ReferralInboxMenuItem(
        _("Referrals"), reverse("workspace_referral_inbox"), name="referrals", icon_name="mail", order=260
    )
