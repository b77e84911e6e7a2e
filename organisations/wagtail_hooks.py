"""Admin wiring: organisations as snippets for coordinators, API keys, the organisation rule on page actions,
and no translation of partner pages and offers."""

from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import CreateView, DeleteView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from wagtail_localize import wagtail_hooks as localize_hooks
from wagtail_localize.models import TranslationSource
from wagtail_localize.views.submit_translations import SubmitPageTranslationView

from .models import ApiKey, Membership, Network, Organisation, OrganisationIndexPage, is_translatable
from .networks import network_for_request
from .permissions import (
    User,
    can_coordinate,
    can_edit_for,
    is_coordinator,
    networks_coordinated_by,
    organisations_editable_by,
)
from .services import (
    api_key_issue,
    api_key_revoke,
    membership_change,
    membership_grant,
    membership_revoke,
    organisation_create,
    organisation_update,
)

# The Network menu writes through the services, which keep Wagtail's groups and pages in step with
# organisations and memberships; saving the models directly would leave them out of step.


class ThroughServiceCreateView(snippet_views.CreateView):
    """Saves through ``create`` instead of the form, and logs it as Wagtail's own create would."""

    def create(self, data: dict):
        raise NotImplementedError

    def save_instance(self):
        with transaction.atomic():
            instance = self.create(self.form.cleaned_data)
            log(instance=instance, action="wagtail.create", user=self.request.user, content_changed=True)
        return instance


class ThroughServiceEditView(snippet_views.EditView):
    def update(self, instance, data: dict):
        raise NotImplementedError

    def save_instance(self):
        with transaction.atomic():
            instance = self.update(self.form.instance, self.form.cleaned_data)
            log(instance=instance, action="wagtail.edit", user=self.request.user, content_changed=True)
        return instance


def _network_creating(request: HttpRequest) -> Network | None:
    """The network a new organisation joins: the site's, when its creator coordinates it, else their first."""
    network = network_for_request(request)
    if network is not None and can_coordinate(request.user, network):
        return network
    return networks_coordinated_by(request.user).first()


def _directory_of(network: Network | None) -> OrganisationIndexPage | None:
    directories = OrganisationIndexPage.objects.order_by("path")
    if network is not None and network.site_id is not None:
        return directories.descendant_of(network.site.root_page).first() or directories.first()
    return directories.first()


class ScopedEditMixin:
    """Edit and delete only what the list shows the user (its viewset's ``get_queryset``); refuse the rest."""

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.scope(self.request.user).filter(pk=instance.pk).exists():
            raise PermissionDenied
        return instance

    def scope(self, user: User):
        raise NotImplementedError


def _organisations_scope(user: User):
    """The organisations a coordinator manages: those whose offers they edit (their networks' partners)."""
    return organisations_editable_by(user) if is_coordinator(user) else Organisation.objects.none()


class OrganisationCreateView(ThroughServiceCreateView):
    """A new organisation gets its page in its network's partner directory, its editors group, and joins
    the network of its creator (the site's network, or the first they coordinate)."""

    def form_valid(self, form):
        if not OrganisationIndexPage.objects.exists():
            form.add_error(None, _("Create the partner directory page first: an organisation's page goes under it."))
            return self.form_invalid(form)
        return super().form_valid(form)

    def create(self, data: dict) -> Organisation:
        network = _network_creating(self.request)
        organisation = organisation_create(index=_directory_of(network), **data)
        if network is not None:
            network.partners.add(organisation)
        return organisation


class OrganisationEditView(ScopedEditMixin, ThroughServiceEditView):
    scope = staticmethod(_organisations_scope)

    def update(self, instance: Organisation, data: dict) -> Organisation:
        return organisation_update(organisation=instance, **data)


class OrganisationDeleteView(ScopedEditMixin, snippet_views.DeleteView):
    scope = staticmethod(_organisations_scope)


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    list_display = ["name", "kind", "email", "phone"]
    list_filter = ["kind"]
    search_fields = ["name"]
    add_view_class = OrganisationCreateView
    edit_view_class = OrganisationEditView
    delete_view_class = OrganisationDeleteView

    def get_queryset(self, request: HttpRequest):
        return _organisations_scope(request.user)


def _memberships_scope(user: User):
    return Membership.objects.filter(organisation__in=_organisations_scope(user))


class MembershipFormMixin:
    """A coordinator records memberships of the organisations they manage only."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["organisation"].queryset = _organisations_scope(self.request.user)
        return form


class MembershipCreateView(MembershipFormMixin, ThroughServiceCreateView):
    def create(self, data: dict) -> Membership:
        return membership_grant(**data)


class MembershipEditView(ScopedEditMixin, MembershipFormMixin, ThroughServiceEditView):
    scope = staticmethod(_memberships_scope)

    def update(self, instance: Membership, data: dict) -> Membership:
        return membership_change(membership=instance, **data)


class MembershipDeleteView(ScopedEditMixin, snippet_views.DeleteView):
    scope = staticmethod(_memberships_scope)

    def delete_action(self) -> None:
        with transaction.atomic():
            log(instance=self.object, action="wagtail.delete", user=self.request.user)
            membership_revoke(membership=self.object)


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    add_view_class = MembershipCreateView
    edit_view_class = MembershipEditView
    delete_view_class = MembershipDeleteView

    def get_queryset(self, request: HttpRequest):
        return _memberships_scope(request.user)


class NetworkPermissionPolicy(BasePermissionPolicy):
    """Superusers create, change and delete networks; a coordinator sees and changes their own networks only.

    Which fields a coordinator may change is the panels' business (``Network.panels``).
    """

    COORDINATOR_ACTIONS = frozenset({"view", "change"})

    def user_has_permission(self, user: User, action: str) -> bool:
        if getattr(user, "is_superuser", False) and user.is_active:
            return True
        return action in self.COORDINATOR_ACTIONS and networks_coordinated_by(user).exists()

    def user_has_permission_for_instance(self, user: User, action: str, instance: Network) -> bool:
        if getattr(user, "is_superuser", False) and user.is_active:
            return True
        return action in self.COORDINATOR_ACTIONS and can_coordinate(user, instance)

    def instances_user_has_any_permission_for(self, user: User, actions: list[str]):
        if getattr(user, "is_superuser", False) and user.is_active:
            return Network.objects.all()
        if not self.COORDINATOR_ACTIONS.intersection(actions):
            return Network.objects.none()
        return networks_coordinated_by(user)


register_permission_policy(Network, NetworkPermissionPolicy(Network))


class NetworkEditView(ScopedEditMixin, snippet_views.EditView):
    scope = staticmethod(networks_coordinated_by)


class NetworkDeleteView(ScopedEditMixin, snippet_views.DeleteView):
    scope = staticmethod(networks_coordinated_by)

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.request.user.is_superuser:
            raise PermissionDenied
        return instance


class NetworkRecordViewSet(SnippetViewSet):
    """The networks themselves: superusers set each one up, its coordinators keep it current."""

    model = Network
    icon = "site"
    list_display = ["name", "kind", "site"]
    list_filter = ["kind"]
    search_fields = ["name"]
    edit_view_class = NetworkEditView
    delete_view_class = NetworkDeleteView

    def get_queryset(self, request: HttpRequest):
        return networks_coordinated_by(request.user)


class NetworkViewSetGroup(SnippetViewSetGroup):
    items = (NetworkRecordViewSet, OrganisationViewSet, MembershipViewSet)
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


def _for_translatable_pages(buttons_hook):
    def hook(page: Page, user, **kwargs):
        return buttons_hook(page, user, **kwargs) if is_translatable(page.specific_class) else []

    return hook


def wrap_registered_hook(hook_name: str, fn, wrapper) -> None:
    """Replace a hook function another app registered with ``wrapper(fn)``, keeping its order.

    Wagtail lets an app add hook functions but not take one away, and keeps them in a private
    registry (``wagtail.hooks._hooks``). This is the one place that changes it; it fails loudly when
    the function is not registered there (a Wagtail or wagtail-localize upgrade), and
    ``tests/portal/test_wagtail_internals.py`` checks the result through the public ``get_hooks``.
    """
    registered = hooks._hooks.get(hook_name, [])
    if fn not in [registered_fn for registered_fn, _order in registered]:
        raise RuntimeError(f"{fn!r} is not registered for the {hook_name!r} hook: check the Wagtail upgrade.")
    hooks._hooks[hook_name] = [
        (wrapper(registered_fn) if registered_fn is fn else registered_fn, order) for registered_fn, order in registered
    ]


# Partner pages and offers are never translated (models.UntranslatablePageMixin). wagtail-localize offers
# "Translate this page" on every page, and Wagtail has no hook that takes a button away, so its button
# hook is wrapped where it is registered (importing its module above registered it).
for hook_name in ("register_page_header_buttons", "register_page_listing_more_buttons"):
    wrap_registered_hook(hook_name, localize_hooks.page_listing_more_buttons, _for_translatable_pages)


def submit_page_translation(request: HttpRequest, page_id: int) -> HttpResponse:
    """wagtail-localize's "Translate page" form, refused for partner pages and offers."""
    if not is_translatable(get_object_or_404(Page, pk=page_id).specific_class):
        raise PermissionDenied
    response = SubmitPageTranslationView.as_view()(request, page_id=page_id)
    # "Include subtree" on the home page also walks the partner directory and the offers. Their copies
    # are refused (UntranslatablePageMixin), but wagtail-localize keeps a translation record of each.
    untranslatable = ContentType.objects.get_for_models(*(m for m in apps.get_models() if not is_translatable(m)))
    TranslationSource.objects.filter(specific_content_type__in=untranslatable.values()).delete()
    return response


@hooks.register("register_admin_urls", order=-1)  # before wagtail-localize's own URL for the same path
def register_submit_page_translation_url():
    return [path("localize/submit/page/<id:page_id>/", submit_page_translation)]


class ApiKeyPermissionPolicy(BasePermissionPolicy):
    """The organisation rule for keys: whoever may edit for an organisation issues, sees and revokes its keys.

    Nobody edits or deletes a key: a key is issued once and revoked, so its history stays.
    """

    INSTANCE_ACTIONS = frozenset({"view", "revoke"})

    def user_has_permission(self, user: User, action: str) -> bool:
        return action in {"add", *self.INSTANCE_ACTIONS} and organisations_editable_by(user).exists()

    def user_has_permission_for_instance(self, user: User, action: str, instance: ApiKey) -> bool:
        return action in self.INSTANCE_ACTIONS and can_edit_for(user, instance.organisation)

    def instances_user_has_any_permission_for(self, user: User, actions: list[str]):
        if not self.INSTANCE_ACTIONS.intersection(actions):
            return ApiKey.objects.none()
        return ApiKey.objects.filter(organisation__in=organisations_editable_by(user))


register_permission_policy(ApiKey, ApiKeyPermissionPolicy(ApiKey))


class ApiKeyIndexView(IndexView):
    """The keys of the organisations the user may edit for (all of them for a coordinator)."""

    revoke_url_name: str | None = None

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["view"]).select_related(
            "organisation", "created_by"
        )

    def get_list_more_buttons(self, instance: ApiKey) -> list:
        if not instance.is_active:
            return []
        return [
            ListingButton(
                _("Revoke"),
                url=reverse(self.revoke_url_name, args=[instance.pk]),
                icon_name="bin",
                attrs={"aria-label": _("Revoke '%(key)s'") % {"key": instance}},
                priority=10,
            )
        ]


class ApiKeyIssueView(CreateView):
    """Issue a key and show its plaintext on the answer page, once: it is neither stored nor sent again."""

    page_title = _("Issue an API key")
    submit_button_label = _("Issue the key")

    def get_form(self, form_class=None) -> forms.ModelForm:
        form = super().get_form(form_class)
        form.fields["organisation"].queryset = organisations_editable_by(self.request.user)
        return form

    def save_instance(self) -> ApiKey:
        data = self.form.cleaned_data
        api_key, self.plaintext = api_key_issue(
            organisation=data["organisation"], name=data["name"], by=self.request.user
        )
        return api_key

    def save_action(self) -> HttpResponse:
        context = self.get_context_data(
            api_key=self.object, plaintext=self.plaintext, index_url=reverse(self.index_url_name)
        )
        response = TemplateResponse(self.request, "organisations/api_key_issued.html", context)
        add_never_cache_headers(response)
        return response


class ApiKeyRevokeView(DeleteView):
    """Revoke, never delete: the key stops working at once and stays listed with its dates."""

    permission_required = "revoke"
    revoke_url_name: str | None = None
    page_title = _("Revoke")
    template_name = "organisations/api_key_confirm_revoke.html"
    success_message = _("%(model_name)s '%(object)s' revoked: requests with it are refused from now on.")

    def get_object(self, queryset=None) -> ApiKey:
        api_key = get_object_or_404(ApiKey.objects.select_related("organisation"), pk=self.kwargs["pk"])
        if not self.user_has_permission_for_instance("revoke", api_key):
            raise PermissionDenied
        return api_key

    def get_delete_url(self) -> str:
        return reverse(self.revoke_url_name, args=[self.object.pk])

    @property
    def confirmation_message(self) -> str:
        return _("Revoke this key? Systems that use it are refused from now on; this cannot be undone.")

    def delete_action(self) -> None:
        api_key_revoke(api_key=self.object, by=self.request.user)


class ApiKeyViewSet(ModelViewSet):
    """Only listing, issuing and revoking: no edit, copy, delete or history views exist for keys."""

    model = ApiKey
    name = "api_keys"
    icon = "key"
    menu_label = _("API keys")
    add_to_admin_menu = True
    copy_view_enabled = False
    index_view_class = ApiKeyIndexView
    add_view_class = ApiKeyIssueView
    form_fields = ["organisation", "name"]
    list_display = [
        "name",
        "organisation",
        Column("prefix", label=_("prefix")),
        "created_by",
        DateColumn("created_at", label=_("issued at")),
        DateColumn("last_used_at", label=_("last used at")),
        DateColumn("revoked_at", label=_("revoked at")),
    ]

    def get_index_view_kwargs(self, **kwargs) -> dict:
        return super().get_index_view_kwargs(revoke_url_name=self.get_url_name("revoke"), **kwargs)

    def get_urlpatterns(self) -> list:
        kept = {"index", "index_results", "add"}
        revoke = self.construct_view(
            ApiKeyRevokeView, revoke_url_name=self.get_url_name("revoke"), usage_url_name=None, history_url_name=None
        )
        return [
            *(pattern for pattern in super().get_urlpatterns() if pattern.name in kept),
            path("revoke/<id:pk>/", revoke, name="revoke"),
        ]


@hooks.register("register_admin_viewset")
def register_api_key_viewset() -> ApiKeyViewSet:
    return ApiKeyViewSet()
