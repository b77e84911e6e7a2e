"""Writes for organisations, memberships and API keys, keeping Wagtail's page permissions in step."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import ApiKey, Membership, Network, Organisation, OrganisationIndexPage, OrganisationPage
from .permissions import can_edit_for
from .roles import ROLE_GROUP_NAMES, Role

# What an organisation's editors may do on their own subtree, and nowhere else.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
# What a network's coordinators may do on their network's site (migration 0002 gave the same on the root).
COORDINATOR_PAGE_PERMISSIONS = (*EDITOR_PAGE_PERMISSIONS, "bulk_delete_page")
# The review workflow pages (offers among them) are sent for approval in: the installation's (migration 0008
# named it), and one per network on its site, named after it.
REVIEW_WORKFLOW_NAME = "Netwerkcoördinatie"
REVIEW_TASK_NAME = "Nalezen door de netwerkcoördinatie"


@transaction.atomic
def organisation_create(*, index: OrganisationIndexPage, name: str, kind: str, **fields) -> Organisation:
    """Create an organisation with its page under the partner directory and its editors group."""
    slug = fields.pop("slug", None) or slugify(name)
    group = Group.objects.create(name=f"Redactie {name}"[:150])
    organisation = Organisation.objects.create(name=name, slug=slug, kind=kind, editors_group=group, **fields)
    page = OrganisationPage(title=name, slug=slug, organisation=organisation)
    index.add_child(instance=page)
    page.save_revision().publish()
    for codename in EDITOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.create(
            group=group,
            page=page,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, **fields) -> Organisation:
    """Change an organisation's details; its page's title and its editors group follow its name."""
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.save()
    page = OrganisationPage.objects.filter(organisation=organisation).first()
    if page is not None and page.title != organisation.name:
        page.title = organisation.name
        page.save_revision().publish()
    if organisation.editors_group and organisation.editors_group.name != f"Redactie {organisation.name}"[:150]:
        organisation.editors_group.name = f"Redactie {organisation.name}"[:150]
        organisation.editors_group.save()
    return organisation


def _page_permissions(codenames: tuple[str, ...]) -> list[Permission]:
    return list(Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames))


def network_group_name(network: Network) -> str:
    return f"Netwerkcoördinatie {network.name}"[:150]


@transaction.atomic
def network_permissions_sync(network: Network) -> Group:
    """Bring the network's coordinators group in step with the network (idempotent; the signals call it).

    The group holds the global coordinators group's model and media permissions (the admin, organisations,
    memberships, themes, images), every page permission on the network's home page, and the editors'
    permissions on each partner's page: a partner shared with another network has its page under one
    network's directory only, so the other network's coordinators need them explicitly. Its members are
    the network's coordinators, who also approve what is sent for review on the network's site.
    """
    group = network.coordinators_group
    if group is None:
        group, _created = Group.objects.get_or_create(name=network_group_name(network))
        Network.objects.filter(pk=network.pk).update(coordinators_group=group)
        network.coordinators_group = group
    elif group.name != network_group_name(network):
        group.name = network_group_name(network)
        group.save(update_fields=["name"])
    coordinators = Group.objects.filter(name=ROLE_GROUP_NAMES[Role.COORDINATOR]).first()
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    group.permissions.set([access_admin, *(coordinators.permissions.all() if coordinators else [])])
    for collection_permission in GroupCollectionPermission.objects.filter(group=coordinators):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection_id=collection_permission.collection_id, permission=collection_permission.permission
        )

    wanted: set[tuple[int, int]] = set()
    home_id = None
    if network.site_id is not None:
        home_id = type(network).objects.filter(pk=network.pk).values_list("site__root_page_id", flat=True).get()
        wanted |= {(home_id, permission.pk) for permission in _page_permissions(COORDINATOR_PAGE_PERMISSIONS)}
    partner_pages = OrganisationPage.objects.filter(organisation__networks=network).values_list("pk", flat=True)
    editor_permissions = _page_permissions(EDITOR_PAGE_PERMISSIONS)
    wanted |= {(page_id, permission.pk) for page_id in partner_pages for permission in editor_permissions}
    held = {(row.page_id, row.permission_id): row.pk for row in GroupPagePermission.objects.filter(group=group)}
    GroupPagePermission.objects.filter(pk__in=[pk for key, pk in held.items() if key not in wanted]).delete()
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group=group, page_id=page_id, permission_id=permission_id)
        for page_id, permission_id in wanted - set(held)
    )
    group.user_set.set(network.coordinators.all())
    _network_review_sync(network, group, home_id)
    return group


def _network_review(group: Group) -> GroupApprovalTask | None:
    """The network's review task: the one approved by its coordinators group under the review task's name."""
    return GroupApprovalTask.objects.filter(groups=group, name__startswith=REVIEW_TASK_NAME).first()


def _network_review_sync(network: Network, group: Group, home_id: int | None) -> None:
    """What is sent for review on the network's site (a partner's offer, a page) waits for its coordinators.

    Wagtail's default workflow covers the whole tree; the network's own workflow on its home page takes its
    place there (a page follows the nearest workflow above it; the expertise review stays nearer still).
    """
    workflow_name, task_name = (f"{name} {network.name}"[:255] for name in (REVIEW_WORKFLOW_NAME, REVIEW_TASK_NAME))
    task = _network_review(group)
    if task is None:
        task = GroupApprovalTask.objects.create(name=task_name)
        task.groups.set([group])
    elif task.name != task_name:
        task.name = task_name
        task.save(update_fields=["name"])
    workflow_task = WorkflowTask.objects.filter(task=task).select_related("workflow").first()
    workflow = workflow_task.workflow if workflow_task else Workflow.objects.create(name=workflow_name)
    if workflow.name != workflow_name:
        workflow.name = workflow_name
        workflow.save(update_fields=["name"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.filter(workflow=workflow).exclude(page_id=home_id).delete()
    if home_id is not None:
        WorkflowPage.objects.update_or_create(page_id=home_id, defaults={"workflow": workflow})


@transaction.atomic
def network_review_end(group: Group) -> None:
    """A deleted network's review ends: what waits in it is cancelled, its pages fall back to the workflow above."""
    task = _network_review(group)
    if task is None:
        return
    for workflow_task in WorkflowTask.objects.filter(task=task).select_related("workflow"):
        workflow_task.workflow.deactivate()
    task.deactivate()


@transaction.atomic
def coordinators_root_permissions_sync() -> None:
    """The global coordinators group edits every page, and approves the installation's review, only while the
    installation has no networks.

    From the first network on, each network's own group gives its coordinators their network's pages and
    its review; a permission on the root would let every coordinator edit every network's site, and the
    installation's review task would let them approve what another network's partners send. Both come
    back when the last network is deleted.
    """
    coordinators = Group.objects.filter(name=ROLE_GROUP_NAMES[Role.COORDINATOR]).first()
    root = Page.get_first_root_node()
    if coordinators is None or root is None:
        return
    on_root = GroupPagePermission.objects.filter(group=coordinators, page=root)
    installation_review = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME)
    if Network.objects.exists():
        on_root.delete()
        for task in installation_review:
            task.groups.remove(coordinators)
        return
    for task in installation_review:
        task.groups.add(coordinators)
    held = set(on_root.values_list("permission_id", flat=True))
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group=coordinators, page=root, permission=permission)
        for permission in _page_permissions(COORDINATOR_PAGE_PERMISSIONS)
        if permission.pk not in held
    )


def _join_groups(user: AbstractBaseUser, organisation: Organisation, role: Role | str) -> None:
    user.groups.add(Group.objects.get(name=ROLE_GROUP_NAMES[role]))
    if role == Role.PARTNER_EDITOR and organisation.editors_group:
        user.groups.add(organisation.editors_group)


def _leave_groups(user: AbstractBaseUser, organisation: Organisation, role: Role | str) -> None:
    """Take away what a membership gave, unless another membership still gives it."""
    memberships = Membership.objects.filter(user=user, role=role)
    if role == Role.PARTNER_EDITOR and organisation.editors_group and not memberships.filter(organisation=organisation):
        user.groups.remove(organisation.editors_group)
    if not memberships.exists():
        user.groups.remove(Group.objects.get(name=ROLE_GROUP_NAMES[role]))


@transaction.atomic
def membership_grant(*, user: AbstractBaseUser, organisation: Organisation, role: Role | str) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    _join_groups(user, organisation, role)
    return membership


@transaction.atomic
def membership_change(
    *, membership: Membership, user: AbstractBaseUser, organisation: Organisation, role: Role | str
) -> Membership:
    """Move a membership to another person, organisation or role, with the groups following."""
    before = Membership.objects.select_related("user", "organisation").get(pk=membership.pk)
    membership.user, membership.organisation, membership.role = user, organisation, role
    membership.save()
    _leave_groups(before.user, before.organisation, before.role)
    _join_groups(user, organisation, role)
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership) -> None:
    user, organisation, role = membership.user, membership.organisation, membership.role
    membership.delete()
    _leave_groups(user, organisation, role)


# An API key reads "vtn_<prefix>_<secret>": the prefix finds the row, the secret is only ever hashed.
API_KEY_LABEL = "vtn"
# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
API_KEY_USAGE_RESOLUTION = timedelta(minutes=1)


def _secret_hash(prefix: str, secret: str) -> str:
    """A keyed hash (HMAC-SHA256 with the site's SECRET_KEY): fast to check, useless without the key."""
    message = f"{prefix}.{secret}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


@transaction.atomic
def api_key_issue(*, organisation: Organisation, name: str, by: AbstractBaseUser) -> tuple[ApiKey, str]:
    """Issue a key for the organisation; returns the key and its plaintext, which is never stored or shown again."""
    if not can_edit_for(by, organisation):
        raise PermissionDenied
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(
        organisation=organisation, name=name, prefix=prefix, secret_hash=_secret_hash(prefix, secret), created_by=by
    )
    return api_key, f"{API_KEY_LABEL}_{prefix}_{secret}"


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, by: AbstractBaseUser) -> bool:
    """Revoke the key from now on; returns whether anything changed (revoking twice is harmless)."""
    if not can_edit_for(by, api_key.organisation):
        raise PermissionDenied
    return bool(ApiKey.objects.filter(pk=api_key.pk, revoked_at=None).update(revoked_at=timezone.now()))


def api_key_find(plaintext: str) -> ApiKey | None:
    """The key this plaintext belongs to, revoked or not, or None when it matches no key.

    Marks an active key as used (at most once per ``API_KEY_USAGE_RESOLUTION``).
    """
    label, _, rest = plaintext.partition("_")
    prefix, _, secret = rest.partition("_")
    if label != API_KEY_LABEL or not prefix or not secret:
        return None
    api_key = ApiKey.objects.select_related("organisation").filter(prefix=prefix).first()
    if api_key is None or not hmac.compare_digest(api_key.secret_hash, _secret_hash(prefix, secret)):
        return None
    now = timezone.now()
    if api_key.is_active and (api_key.last_used_at is None or now - api_key.last_used_at >= API_KEY_USAGE_RESOLUTION):
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key
