"""Each network's coordinators group follows its record: its coordinators, its site's pages, its partners' pages.

The signals (organisations/signals.py) call ``services.network_permissions_sync`` and
``services.coordinators_root_permissions_sync``; these tests change the records as the admin and the
services do and read the groups and page permissions that result.
"""

from django.contrib.auth.models import Group

from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage

import pytest

from organisations.models import Network, NetworkKind
from organisations.roles import ROLE_GROUP_NAMES, Role
from organisations.services import (
    COORDINATOR_PAGE_PERMISSIONS,
    EDITOR_PAGE_PERMISSIONS,
    REVIEW_TASK_NAME,
    coordinators_root_permissions_sync,
    network_permissions_sync,
)
from portal.models import HomePage
from portal.services import network_site_create
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _network(name: str = "Gent") -> Network:
    return Network.objects.create(name=name, slug=name.lower(), kind=NetworkKind.CITY)


def _root_codenames() -> set[str]:
    """The page permissions the installation's coordinators group holds on the root of the page tree."""
    return set(
        GroupPagePermission.objects.filter(
            group__name=ROLE_GROUP_NAMES[Role.COORDINATOR], page=Page.get_first_root_node()
        ).values_list("permission__codename", flat=True)
    )


def _page_permissions(group: Group) -> set[tuple[int, str]]:
    return set(GroupPagePermission.objects.filter(group=group).values_list("page_id", "permission__codename"))


def _group(network: Network) -> Group:
    return Network.objects.get(pk=network.pk).coordinators_group


def test_without_networks_the_coordinators_group_edits_every_page(coordinator):
    """An installation without networks: the coordinators group holds every page permission on the root, so
    a coordinator edits the home page and every partner's page, as before networks were records."""
    assert _root_codenames() == set(COORDINATOR_PAGE_PERMISSIONS)
    coordinators_root_permissions_sync()
    assert _root_codenames() == set(COORDINATOR_PAGE_PERMISSIONS)
    partner = OrganisationFactory(name="Zwemclub")
    for page in (HomePage.objects.get(), partner.page):
        assert page.permissions_for_user(coordinator).can_publish()


def test_the_first_network_takes_the_root_permissions_away_and_the_last_one_gives_them_back(coordinator):
    """Edge case: a second network and deleting one of two change nothing on the root; deleting the last
    network gives the installation's coordinators every page again."""
    home = HomePage.objects.get()
    gent = _network("Gent")
    assert _root_codenames() == set()
    assert not home.permissions_for_user(coordinator).can_edit()
    wervik = _network("Wervik")
    gent.delete()
    assert _root_codenames() == set()
    wervik.delete()
    assert _root_codenames() == set(COORDINATOR_PAGE_PERMISSIONS)
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)  # Wagtail caches permissions on the user
    assert home.permissions_for_user(coordinator).can_publish()


def test_a_network_gets_its_own_group_with_the_coordinators_admin_permissions():
    """The group is named for the network and holds the installation's coordinators' model permissions."""
    gent = _network("Gent")
    group = _group(gent)
    assert group.name == "Netwerkcoördinatie Gent"
    coordinators = Group.objects.get(name=ROLE_GROUP_NAMES[Role.COORDINATOR])
    held = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("wagtailadmin", "access_admin") in held
    assert set(coordinators.permissions.values_list("content_type__app_label", "codename")) <= held


def test_deleting_a_network_deletes_its_group():
    gent = _network("Gent")
    group_id = _group(gent).pk
    gent.delete()
    assert not Group.objects.filter(pk=group_id).exists()


def test_renaming_a_network_renames_its_group():
    gent = _network("Gent")
    group_id = _group(gent).pk
    gent.name = "Stad Gent"
    gent.save()
    assert Group.objects.get(pk=group_id).name == "Netwerkcoördinatie Stad Gent"


def test_adding_and_removing_a_coordinator_from_either_side_changes_the_groups_members():
    """Edge case: ``network.coordinators`` and ``user.coordinated_networks`` (add, remove, clear) both count."""
    gent, wervik = _network("Gent"), _network("Wervik")
    person, other = UserFactory(username="coordinator-gent"), UserFactory(username="coordinator-2")
    gent.coordinators.add(person, other)
    assert set(_group(gent).user_set.all()) == {person, other}
    gent.coordinators.remove(other)
    assert list(_group(gent).user_set.all()) == [person]
    person.coordinated_networks.add(wervik)
    assert list(_group(wervik).user_set.all()) == [person]
    person.coordinated_networks.remove(gent)
    assert not _group(gent).user_set.exists()
    person.coordinated_networks.clear()
    assert not _group(wervik).user_set.exists()
    gent.coordinators.set([other])
    gent.coordinators.clear()
    assert not _group(gent).user_set.exists()


def test_the_networks_site_gives_its_group_every_page_permission_on_its_home_page():
    """A network's site: its home page, and so every page under it, is its coordinators' own."""
    gent = _network("Gent")
    home = network_site_create(network=gent, hostname="gent.localhost", home={"title": "Gent", "intro": "Gent."})
    assert _page_permissions(_group(gent)) == {(home.pk, codename) for codename in COORDINATOR_PAGE_PERMISSIONS}
    person = UserFactory(username="coordinator-gent")
    gent.coordinators.add(person)
    assert home.permissions_for_user(person).can_publish()
    assert not HomePage.objects.exclude(pk=home.pk).get().permissions_for_user(person).can_edit()


def test_the_site_moving_to_another_home_page_moves_the_permissions():
    gent = _network("Gent")
    network_site_create(network=gent, hostname="gent.localhost", home={"title": "Gent", "intro": "Gent."})
    other_home = HomePage(slug="gent-2", title="Gent opnieuw", intro="Gent.")
    Page.get_first_root_node().add_child(instance=other_home)
    site = Network.objects.get(pk=gent.pk).site
    site.root_page = other_home
    site.save()
    assert _page_permissions(_group(gent)) == {(other_home.pk, codename) for codename in COORDINATOR_PAGE_PERMISSIONS}


def test_adding_and_removing_a_partner_from_either_side_changes_the_groups_partner_pages():
    """A partner's page (wherever its directory is) gets the editors' permissions for the network's
    coordinators, and loses them when it leaves; ``organisation.networks`` counts too."""
    gent, wervik = _network("Gent"), _network("Wervik")
    partner, other = OrganisationFactory(name="Zwemclub"), OrganisationFactory(name="Theater")
    gent.partners.add(partner, other)
    assert _page_permissions(_group(gent)) == {
        (page.pk, codename) for page in (partner.page, other.page) for codename in EDITOR_PAGE_PERMISSIONS
    }
    gent.partners.remove(other)
    assert _page_permissions(_group(gent)) == {(partner.page.pk, codename) for codename in EDITOR_PAGE_PERMISSIONS}
    partner.networks.add(wervik)
    assert _page_permissions(_group(wervik)) == {(partner.page.pk, codename) for codename in EDITOR_PAGE_PERMISSIONS}
    partner.networks.clear()
    assert _page_permissions(_group(gent)) == set()
    assert _page_permissions(_group(wervik)) == set()


def test_a_partner_of_two_networks_is_both_coordinators_and_no_other_partner_is():
    gent, wervik = _network("Gent"), _network("Wervik")
    shared, own = OrganisationFactory(name="Provinciale federatie"), OrganisationFactory(name="Zwemclub Gent")
    gent.partners.add(shared, own)
    wervik.partners.add(shared)
    in_gent, in_wervik = UserFactory(username="coordinator-gent"), UserFactory(username="coordinator-wervik")
    gent.coordinators.add(in_gent)
    wervik.coordinators.add(in_wervik)
    assert shared.page.permissions_for_user(in_gent).can_publish()
    assert shared.page.permissions_for_user(in_wervik).can_publish()
    assert own.page.permissions_for_user(in_gent).can_publish()
    assert not own.page.permissions_for_user(in_wervik).can_edit()


def test_syncing_twice_changes_nothing():
    """Edge case: the sync is idempotent: the same group, the same rows (same ids), the same members."""
    partner, gent = OrganisationFactory(name="Zwemclub"), _network("Gent")
    network_site_create(network=gent, hostname="gent.localhost", home={"title": "Gent", "intro": "Gent."})
    gent.partners.add(partner)
    gent.coordinators.add(UserFactory(username="coordinator-gent"))
    gent = Network.objects.get(pk=gent.pk)

    def state() -> tuple:
        group = _group(gent)
        return (
            group.pk,
            group.name,
            sorted(GroupPagePermission.objects.filter(group=group).values_list("pk", "page_id", "permission_id")),
            sorted(group.permissions.values_list("pk", flat=True)),
            sorted(group.user_set.values_list("pk", flat=True)),
            sorted(group.collection_permissions.values_list("pk", flat=True)),
            _root_codenames(),
            _installation_reviewers(),
            sorted(GroupApprovalTask.objects.values_list("pk", "name", "active")),
            sorted(Workflow.objects.values_list("pk", "name", "active")),
            sorted(WorkflowPage.objects.values_list("page_id", "workflow_id")),
        )

    before = state()
    for _ in range(2):
        assert network_permissions_sync(gent).pk == before[0]
        coordinators_root_permissions_sync()
        assert state() == before


def test_joining_a_network_leaves_the_partners_own_editors_their_page(editor_a, partner_a, partner_b):
    """Edge case: joining a network adds its coordinators; the partner's editors keep their page, and no other."""
    gent = _network("Gent")
    gent.partners.add(partner_a, partner_b)
    assert partner_a.page.permissions_for_user(editor_a).can_publish()
    assert not partner_b.page.permissions_for_user(editor_a).can_edit()


def _installation_reviewers() -> set[str]:
    """The groups that approve what is sent for review under the installation's default workflow."""
    return set(GroupApprovalTask.objects.get(name=REVIEW_TASK_NAME).groups.values_list("name", flat=True))


def _home_workflow(home: Page) -> Workflow | None:
    return Page.objects.get(pk=home.pk).get_workflow()


def test_the_first_network_takes_the_installation_s_review_from_its_coordinators_and_the_last_gives_it_back():
    """Edge case: with networks, the installation's coordinators group approves nothing under the default
    workflow (each network's group approves its own); without, it approves as before."""
    coordinators = ROLE_GROUP_NAMES[Role.COORDINATOR]
    assert coordinators in _installation_reviewers()
    gent = _network("Gent")
    assert coordinators not in _installation_reviewers()
    gent.delete()
    assert coordinators in _installation_reviewers()


def test_a_network_s_site_has_its_own_review_approved_by_its_coordinators_only():
    """What is sent for review on the network's site (its offers, its pages) waits for its coordinators group."""
    gent = _network("Gent")
    home = network_site_create(network=gent, hostname="gent.localhost", home={"title": "Gent", "intro": "Gent."})
    workflow = _home_workflow(home)
    assert workflow.name == "Netwerkcoördinatie Gent"
    [task] = [task.specific for task in workflow.tasks.all()]
    assert task.name == "Nalezen door de netwerkcoördinatie Gent"
    assert list(task.groups.all()) == [_group(gent)]
    assert _home_workflow(HomePage.objects.exclude(pk=home.pk).get()).name == "Netwerkcoördinatie"


def test_renaming_a_network_renames_its_review():
    gent = _network("Gent")
    home = network_site_create(network=gent, hostname="gent.localhost", home={"title": "Gent", "intro": "Gent."})
    gent.name = "Stad Gent"
    gent.save()
    workflow = _home_workflow(home)
    assert workflow.name == "Netwerkcoördinatie Stad Gent"
    assert [task.name for task in workflow.tasks.all()] == ["Nalezen door de netwerkcoördinatie Stad Gent"]
    assert Workflow.objects.filter(name__startswith="Netwerkcoördinatie ").count() == 1


def test_the_review_follows_the_site_to_another_home_page():
    gent = _network("Gent")
    home = network_site_create(network=gent, hostname="gent.localhost", home={"title": "Gent", "intro": "Gent."})
    other_home = HomePage(slug="gent-2", title="Gent opnieuw", intro="Gent.")
    Page.get_first_root_node().add_child(instance=other_home)
    site = Network.objects.get(pk=gent.pk).site
    site.root_page = other_home
    site.save()
    assert _home_workflow(other_home).name == "Netwerkcoördinatie Gent"
    assert _home_workflow(home).name == "Netwerkcoördinatie"


def test_deleting_a_network_ends_its_review_and_its_pages_fall_back_to_the_installation_s():
    """Edge case: what waited in the deleted network's review is cancelled; its pages follow the default workflow."""
    gent = _network("Gent")
    home = network_site_create(network=gent, hostname="gent.localhost", home={"title": "Gent", "intro": "Gent."})
    home.save_revision()
    workflow = _home_workflow(home)
    state = workflow.start(Page.objects.get(pk=home.pk).specific, None)
    gent.delete()
    state.refresh_from_db()
    assert state.status == state.STATUS_CANCELLED
    assert not Workflow.objects.get(pk=workflow.pk).active
    assert _home_workflow(home).name == "Netwerkcoördinatie"
