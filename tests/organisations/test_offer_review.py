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
