"""The admin page chooser shows a partner editor published pages and their own drafts, nothing else (issue 11)."""

from django.urls import reverse

import pytest

from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(partner_a, partner_b):
    OfferFactory(organisation=partner_b, title="Gepubliceerd bij B")
    OfferFactory(organisation=partner_b, title="Geheim concept van B", publish=False)
    OfferFactory(organisation=partner_a, title="Eigen concept van A", publish=False)
    return partner_b.page


def _titles_in(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_browsing_another_organisation_shows_only_its_published_pages(client, editor_a, catalogue):
    """Attack: editor A browsing B's pages in the chooser sees B's published offer, not its draft's title."""
    client.force_login(editor_a)
    body = _titles_in(client.get(reverse("wagtailadmin_choose_page_child", args=[catalogue.pk])))
    assert "Gepubliceerd bij B" in body and "Geheim concept van B" not in body


def test_browsing_one_s_own_organisation_shows_one_s_drafts(client, editor_a, partner_a, catalogue):
    """Happy path: editor A browsing A's own pages in the chooser sees A's draft."""
    client.force_login(editor_a)
    body = _titles_in(client.get(reverse("wagtailadmin_choose_page_child", args=[partner_a.page.pk])))
    assert "Eigen concept van A" in body


def test_a_coordinator_sees_every_draft(client, coordinator, catalogue):
    """Coordinators edit every page, so the chooser shows them every draft."""
    client.force_login(coordinator)
    body = _titles_in(client.get(reverse("wagtailadmin_choose_page_child", args=[catalogue.pk])))
    assert "Geheim concept van B" in body
