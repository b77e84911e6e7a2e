"""Writes for the network pages: each network's site, archiving vision note versions, the expertise review."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Site, Workflow, WorkflowPage, WorkflowTask

from organisations.models import Network, OrganisationIndexPage
from organisations.networks import network_for_site
from organisations.roles import ROLE_GROUP_NAMES, Role
from organisations.services import network_permissions_sync

from .models import ExpertiseIndexPage, HomePage, VisionNotePage, VisionNoteVersion

EXPERTISE_WORKFLOW_NAME = "Expertise review"
EXPERTISE_TASK_NAME = "Approval by a network coordinator"
# Partner editors write and revise expertise pages; only the review workflow can make them live.
PARTNER_EXPERTISE_PERMISSIONS = ("add_page", "change_page")


@transaction.atomic
def network_site_create(
    *, network: Network, hostname: str, home: dict, port: int = 80, directory_intro: str = "", default: bool = False
) -> HomePage:
    """The network's own Wagtail site on ``hostname``: a published home page with its partner directory.

    The vision note, expertise, news and the other pages are the coordinators' to write under that home.
    ``home`` holds the home page's fields (``title``, ``intro``, the three tracks); its slug is the network's.
    """
    root = Page.get_first_root_node()
    page = HomePage(slug=network.slug, **home)
    root.add_child(instance=page)
    page.save_revision().publish()
    directory = OrganisationIndexPage(title="Partners", slug="partners", intro=directory_intro)
    page.add_child(instance=directory)
    directory.save_revision().publish()
    if default:
        Site.objects.filter(is_default_site=True).update(is_default_site=False)
    network.site = Site.objects.create(
        hostname=hostname, port=port, root_page=page, site_name=network.name, is_default_site=default
    )
    network.save(update_fields=["site"])
    return page


def version_slug(version: str) -> str:
    """A version number as it appears in a web address; Wagtail's page URLs allow no dots."""
    return slugify(version.replace(".", "-"))


def vision_note_version_record(*, page: VisionNotePage) -> VisionNoteVersion | None:
    """Archive the published vision note under its version number, unless that number is archived already.

    Returns the new version, or None when the version was known: an archived text is never rewritten.
    """
    slug = version_slug(page.version)
    if page.versions.filter(Q(version=page.version) | Q(slug=slug)).exists():
        return None
    return VisionNoteVersion.objects.create(
        page=page,
        version=page.version,
        slug=slug,
        approved_on=page.approved_on,
        title=page.title,
        intro=page.intro,
        sections=page.snapshot_sections(),
    )


@transaction.atomic
def expertise_review_ensure(*, index: ExpertiseIndexPage) -> Workflow:
    """Partner editors may draft expertise pages; a network coordinator approves them (idempotent).

    On a network's site, that network's coordinators approve, in a workflow of its own; on an installation
    without networks, the coordinators group of the whole installation.
    """
    editors = Group.objects.get(name=ROLE_GROUP_NAMES[Role.PARTNER_EDITOR])
    network = network_for_site(index.get_site())
    if network is not None:
        coordinators = network.coordinators_group or network_permissions_sync(network)
        task_name = f"{EXPERTISE_TASK_NAME}: {network.name}"
        workflow_name = f"{EXPERTISE_WORKFLOW_NAME}: {network.name}"
    else:
        coordinators = Group.objects.get(name=ROLE_GROUP_NAMES[Role.COORDINATOR])
        task_name, workflow_name = EXPERTISE_TASK_NAME, EXPERTISE_WORKFLOW_NAME
    for codename in PARTNER_EXPERTISE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=editors,
            page=index,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    task, _created = GroupApprovalTask.objects.get_or_create(name=task_name[:255])
    task.groups.set([coordinators])
    workflow, _created = Workflow.objects.get_or_create(name=workflow_name[:255])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    return workflow
