"""Writes for organisations and memberships, keeping Wagtail's page permissions in step."""

from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.db import transaction
from django.utils.text import slugify

from wagtail.models import GroupPagePermission

from .models import Membership, Organisation, OrganisationIndexPage, OrganisationPage
from .roles import ROLE_GROUP_NAMES, Role

# What an organisation's editors may do on their own subtree, and nowhere else.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")


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
def membership_grant(*, user: AbstractBaseUser, organisation: Organisation, role: Role | str) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    user.groups.add(Group.objects.get(name=ROLE_GROUP_NAMES[role]))
    if role == Role.PARTNER_EDITOR and organisation.editors_group:
        user.groups.add(organisation.editors_group)
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership) -> None:
    user, organisation, role = membership.user, membership.organisation, membership.role
    membership.delete()
    if role == Role.PARTNER_EDITOR and organisation.editors_group:
        user.groups.remove(organisation.editors_group)
    if not Membership.objects.filter(user=user, role=role).exists():
        user.groups.remove(Group.objects.get(name=ROLE_GROUP_NAMES[role]))
