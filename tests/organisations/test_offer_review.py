"""An offer a partner sends for review reaches a network coordinator, who approves it and so publishes it."""

from wagtail.models import GroupApprovalTask

import pytest

from catalogue.models import OfferPage
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def test_a_partner_s_submitted_offer_waits_for_a_coordinator_who_approves_it(partner_a, editor_a, coordinator):
    """The page tree's default approval task is the coordinators' too: their review panel lists the partner's
    draft, they may approve it, and approving publishes it."""
    offer = OfferFactory(organisation=partner_a, title="Zwemmen")
    offer.title = "Zwemmen, nieuw seizoen"
    offer.save_revision(user=editor_a)
    offer.get_workflow().start(offer, editor_a)
    task = offer.current_workflow_task.specific
    assert isinstance(task, GroupApprovalTask)

    waiting = task.get_task_states_user_can_moderate(coordinator)
    assert [state.revision.object_id for state in waiting] == [str(offer.pk)]
    assert "approve" in [name for name, _label, _modal in task.get_actions(offer, coordinator)]

    offer.current_workflow_task_state.approve(user=coordinator)
    published = OfferPage.objects.get(pk=offer.pk)
    assert (published.live, published.title, published.has_unpublished_changes) == (
        True,
        "Zwemmen, nieuw seizoen",
        False,
    )


def test_a_partner_editor_cannot_approve_its_own_offer(partner_a, editor_a):
    """Error case: the partner who sent the offer is not among those who approve it."""
    offer = OfferFactory(organisation=partner_a, title="Zwemmen")
    offer.save_revision(user=editor_a)
    offer.get_workflow().start(offer, editor_a)
    task = offer.current_workflow_task.specific
    assert not task.get_task_states_user_can_moderate(editor_a).exists()
    assert task.get_actions(offer, editor_a) == []


def test_the_submit_button_names_the_coordinators_in_dutch(partner_a, editor_a, client):
    """A partner's edit page offers to send the offer to the network coordination, not to Wagtail's
    "Moderators approval"."""
    offer = OfferFactory(organisation=partner_a, title="Zwemmen")
    client.force_login(editor_a)
    page = client.get(f"/admin/pages/{offer.pk}/edit/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Stuur door naar Netwerkcoördinatie" in page
    assert "Moderators approval" not in page


@pytest.fixture
def two_networks(db):
    """Antwerpen and Gent on their own sites, each with a partner (and its editor) and a coordinator."""
    from organisations.roles import Role
    from organisations.services import membership_grant
    from tests.factories import UserFactory
    from tests.test_authorisation_matrix import IN_GENT, _network_coordinator, _network_partner, _network_with_site

    world = {}
    for name in ("Antwerpen", "Gent"):
        network, _home, _note, directory = _network_with_site(name)
        partner = _network_partner(network, directory, f"Zwemclub {name}")
        editor = UserFactory(username=f"editor-{network.slug}")
        membership_grant(user=editor, organisation=partner, role=Role.PARTNER_EDITOR)
        world[network.slug] = {
            "network": network,
            "partner": partner,
            "editor": editor,
            "coordinator": _network_coordinator(network, directory, f"coordinator-{network.slug}"),
        }
    world["antwerpen"]["offer"] = OfferFactory(organisation=world["antwerpen"]["partner"], title="Zwemmen")
    world["gent"]["offer"] = OfferFactory(organisation=world["gent"]["partner"], title="Zwemmen", **IN_GENT)
    return world


def _approve_url(offer, task_state) -> str:
    from django.urls import reverse

    return reverse("wagtailadmin_pages:workflow_action", args=[offer.pk, "approve", task_state.pk])


def _submit(offer, editor) -> OfferPage:
    offer.title = f"{offer.title}, nieuw seizoen"
    offer.save_revision(user=editor)
    offer.get_workflow().start(offer, editor)
    return OfferPage.objects.get(pk=offer.pk)


def test_each_network_s_coordinators_review_its_own_partners_offers(two_networks, client):
    """A partner's offer sent for review waits for its own network's coordinators: they see it on their
    dashboard and approve it in the admin, which publishes it."""
    antwerpen = two_networks["antwerpen"]
    offer = _submit(antwerpen["offer"], antwerpen["editor"])
    assert offer.get_workflow().name == "Netwerkcoördinatie Antwerpen"
    client.force_login(antwerpen["coordinator"])
    assert "Zwemmen, nieuw seizoen" in client.get("/admin/").content.decode()
    task_state = offer.current_workflow_task_state
    response = client.post(_approve_url(offer, task_state), {"comment": ""})
    assert response.status_code in (200, 302)
    published = OfferPage.objects.get(pk=offer.pk)
    assert (published.live, published.title, published.has_unpublished_changes) == (
        True,
        "Zwemmen, nieuw seizoen",
        False,
    )


def test_a_coordinator_of_another_network_neither_sees_nor_approves_an_offer_under_review(two_networks, client):
    """Error case: Gent's coordinator (in the installation's coordinators group too, through their membership)
    is not among the approvers of Antwerp's offers: nothing on their dashboard, the approval refused, the offer
    unchanged."""
    antwerpen, gent = two_networks["antwerpen"], two_networks["gent"]
    offer = _submit(antwerpen["offer"], antwerpen["editor"])
    task = offer.current_workflow_task.specific
    outsider = gent["coordinator"]
    assert not task.get_task_states_user_can_moderate(outsider).exists()
    assert task.get_actions(offer, outsider) == []
    client.force_login(outsider)
    assert "Zwemmen, nieuw seizoen" not in client.get("/admin/").content.decode()
    task_state = offer.current_workflow_task_state
    response = client.post(_approve_url(offer, task_state), {"comment": ""})
    assert (response.status_code, response["Location"]) == (302, "/admin/")  # Wagtail's refusal: the dashboard
    after = OfferPage.objects.get(pk=offer.pk)
    assert (after.title, after.has_unpublished_changes) == ("Zwemmen", True)
    assert after.current_workflow_task_state.pk == task_state.pk
