"""Search and case are one flow: a search result goes onto a case's shortlist, and every save says so in place."""

from django.urls import reverse

import pytest

from portal.workspace.models import ShortlistItem
from portal.workspace.referrals import referral_create

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def test_a_mediator_adds_a_search_result_to_a_cases_shortlist_and_returns_to_it(
    client, mediator_a, case_a, make_offer, login
):
    """Each result offers the mediator's open cases; adding returns to the same result with a status message that
    links the case (the search page has no other way back to it)."""
    offer = make_offer("Zwemles voor beginners", km=0.8)
    login(client, mediator_a)
    search = f"{reverse('search:mediator')}?q=zwemles"
    page = client.get(search, headers=EN).content.decode()
    assert f'id="hit-{offer.pk}"' in page and f'<option value="{case_a.pk}">KX-4821</option>' in page
    url = reverse("workspace:shortlist_add_from_search", args=[offer.pk])
    response = client.post(url, {"case": case_a.pk, "next": f"{search}#hit-{offer.pk}"}, headers=EN)
    assert response.status_code == 302 and response["Location"] == f"{search}#hit-{offer.pk}"
    assert ShortlistItem.objects.filter(case=case_a, offer=offer).exists()
    page = client.get(search, headers=EN).content.decode()
    assert '<div class="messages" role="status">' in page
    assert "Zwemles voor beginners is on the shortlist of case KX-4821." in page
    assert (
        f'<a href="{reverse("workspace:case_detail", args=[case_a.pk])}#shortlist-heading">Open case KX-4821</a>'
        in page
    )


def test_another_organisations_mediator_cannot_add_to_the_case(client, mediator_b, case_a, make_offer, login):
    """Error case: B's mediator is not offered A's case and posting it anyway is a 404 that writes nothing."""
    offer = make_offer("Zwemles voor beginners", km=0.8)
    login(client, mediator_b)
    assert "KX-4821" not in client.get(f"{reverse('search:mediator')}?q=zwemles").content.decode()
    url = reverse("workspace:shortlist_add_from_search", args=[offer.pk])
    assert client.post(url, {"case": case_a.pk}).status_code == 404
    assert client.post(url, {"case": "", "next": "https://evil.test/"}, headers=EN)["Location"] == reverse(
        "search:mediator"
    )
    assert not ShortlistItem.objects.exists()


def test_on_the_case_page_adding_and_removing_keep_the_place_and_say_what_happened(
    client, mediator_a, case_a, make_offer, login
):
    """Shortlist saves on the case page return to the shortlist and announce the change in a status message."""
    offer = make_offer("Zwemles voor beginners", km=0.8)
    login(client, mediator_a)
    added = client.post(reverse("workspace:shortlist_add", args=[case_a.pk, offer.pk]), headers=EN, follow=True)
    assert added.redirect_chain[-1][0].endswith("#shortlist-heading")
    assert "is on the shortlist of case KX-4821." in added.content.decode()
    removed = client.post(reverse("workspace:shortlist_remove", args=[case_a.pk, offer.pk]), headers=EN, follow=True)
    assert "was taken off the shortlist of case KX-4821." in removed.content.decode()
    assert 'role="status"' in removed.content.decode()


def test_a_referral_status_save_returns_to_that_referral_and_says_the_new_status(
    client, mediator_a, case_a, make_offer, login
):
    """Saving a referral's status returns to that referral on the case page and announces the new status."""
    offer = make_offer("Zwemles voor beginners", km=0.8)
    referral = referral_create(
        by=mediator_a, case=case_a, offer=offer, consent=True, contact_arrangement="client_comes"
    )
    login(client, mediator_a)
    url = reverse("workspace:referral_status", args=[referral.pk])
    response = client.post(url, {"status": "contacted"}, headers=EN, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"#referral-{referral.pk}")
    assert f'id="referral-{referral.pk}"' in response.content.decode()
    assert "The referral to Zwemles voor beginners is now: Contacted." in response.content.decode()
