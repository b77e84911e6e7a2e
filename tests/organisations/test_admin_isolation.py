"""Partner editor A can never change partner B's offers through any admin path.

Wagtail answers a refused admin action by redirecting to the dashboard with "Sorry, you do not
have permission" (its ``permission_denied`` helper) rather than a bare 403; both count as a
refusal here, and every test also proves the database is unchanged.
"""

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.translation import gettext

from wagtail.search.backends import get_search_backend

import pytest

from catalogue.models import OfferPage
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def snapshot(offer: OfferPage) -> tuple:
    """Everything a refused action could have changed on the offer and the tree around it."""
    offer = OfferPage.objects.get(pk=offer.pk)
    return (
        offer.title,
        offer.live,
        offer.path,
        offer.locked,
        offer.latest_revision_id,
        offer.revisions.count(),
        OfferPage.objects.count(),
        OfferPage.objects.filter(title=offer.title).count(),
    )


def assert_refused(response) -> None:
    if response.status_code in (403, 404, 405):
        return
    assert response.status_code == 302, response.status_code
    assert response["Location"] in (reverse("wagtailadmin_home"), "/admin/")
    denied = gettext("Sorry, you do not have permission to access this area.")
    messages = [str(message).strip() for message in get_messages(response.wsgi_request)]
    assert denied in messages, messages


@pytest.fixture
def offer_b(partner_b) -> OfferPage:
    return OfferFactory(organisation=partner_b, title="Theater van B")


@pytest.fixture
def client_a(client, editor_a, partner_a):
    client.force_login(editor_a)
    return client


def page_action_urls(offer: OfferPage) -> dict[str, str]:
    revision = offer.latest_revision_id
    return {
        "edit": f"/admin/pages/{offer.pk}/edit/",
        "copy": f"/admin/pages/{offer.pk}/copy/",
        "move": f"/admin/pages/{offer.pk}/move/",
        "delete": f"/admin/pages/{offer.pk}/delete/",
        "unpublish": f"/admin/pages/{offer.pk}/unpublish/",
        "lock": f"/admin/pages/{offer.pk}/lock/",
        "history": f"/admin/pages/{offer.pk}/history/",
        "revisions compare": f"/admin/pages/{offer.pk}/revisions/compare/earliest...{revision}/",
        "revision view": f"/admin/pages/{offer.pk}/revisions/{revision}/view/",
        "revision revert": f"/admin/pages/{offer.pk}/revisions/{revision}/revert/",
    }


@pytest.mark.parametrize(
    "action",
    [
        "edit",
        "copy",
        "move",
        "delete",
        "unpublish",
        "lock",
        "history",
        "revisions compare",
        "revision view",
        "revision revert",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_editor_a_is_refused_on_partner_b_offer(client_a, offer_b, partner_a, action, method):
    """Error case: partner A's editor opens or submits an admin action on partner B's offer."""
    before = snapshot(offer_b)
    url = page_action_urls(offer_b)[action]
    data = {
        "title": "Overgenomen door A",
        "new_title": "Kopie door A",
        "new_slug": "kopie-door-a",
        "new_parent_page": partner_a.page.pk,
        "copy_subpages": "false",
        "publish_copies": "true",
    }
    response = client_a.get(url) if method == "get" else client_a.post(url, data)
    assert_refused(response)
    assert snapshot(offer_b) == before


def test_editor_a_cannot_move_offer_b_into_own_subtree(client_a, offer_b, partner_a):
    """Error case: the move confirmation for B's offer into A's page is refused."""
    before = snapshot(offer_b)
    response = client_a.post(f"/admin/pages/{offer_b.pk}/move/{partner_a.page.pk}/confirm/")
    assert_refused(response)
    assert snapshot(offer_b) == before


def test_editor_a_cannot_add_an_offer_under_partner_b(client_a, partner_b):
    before = OfferPage.objects.count()
    response = client_a.post(f"/admin/pages/add/catalogue/offerpage/{partner_b.page.pk}/", {"title": "Van A"})
    assert_refused(response)
    assert OfferPage.objects.count() == before


@pytest.mark.parametrize("action", ["delete", "unpublish", "move"])
def test_bulk_actions_skip_partner_b_offer(client_a, offer_b, partner_a, action):
    """Error case: a bulk action naming B's offer changes nothing of it."""
    before = snapshot(offer_b)
    url = f"/admin/bulk/wagtailcore/page/{action}/?next=/admin/&id={offer_b.pk}"
    client_a.post(url, {"chooser": partner_a.page.pk, "include_descendants": "false"})
    assert snapshot(offer_b) == before


def test_bulk_action_page_says_editor_a_has_no_permission(client_a, offer_b):
    response = client_a.get(f"/admin/bulk/wagtailcore/page/delete/?next=/admin/&id={offer_b.pk}")
    assert response.status_code == 200
    assert "Theater van B" in response.content.decode()
    assert gettext("You don't have permission to delete this page") in response.content.decode()


def test_editor_a_can_edit_own_offer(client_a, partner_a):
    """The same paths work for the owner, so the refusals above are about ownership."""
    own = OfferFactory(organisation=partner_a)
    assert client_a.get(f"/admin/pages/{own.pk}/edit/").status_code == 200
    assert client_a.get(f"/admin/pages/{own.pk}/history/").status_code == 200


def test_editor_a_admin_search_does_not_list_partner_b_offers(client_a, offer_b, partner_a):
    own = OfferFactory(organisation=partner_a, title="Theater van A")
    backend = get_search_backend()
    backend.add(own)
    backend.add(offer_b)
    content = client_a.get("/admin/pages/search/", {"q": "Theater"}).content.decode()
    assert "Theater van A" in content
    assert "Theater van B" not in content


def test_editor_a_explorer_starts_at_own_organisation(client_a, partner_a):
    response = client_a.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{partner_a.page.pk}/"


def test_coordinator_can_edit_every_offer(client, coordinator, offer_b):
    client.force_login(coordinator)
    assert client.get(f"/admin/pages/{offer_b.pk}/edit/").status_code == 200


def test_mediator_has_no_admin_access_to_offers(client, mediator, offer_b):
    client.force_login(mediator)
    before = snapshot(offer_b)
    response = client.get(f"/admin/pages/{offer_b.pk}/edit/")
    assert response.status_code in (302, 403)
    assert snapshot(offer_b) == before
