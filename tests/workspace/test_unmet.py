"""The unmet-need form: linked from the top of the case page, with a short note free of contact details."""

from django.urls import reverse

import pytest

from portal.workspace.models import UnmetNeed

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def test_the_form_is_linked_from_the_top_of_the_case_page(client, mediator_a, case_a, login):
    """The contents under the case's heading link into the missing-offer form (a browser opens its folded
    section when the link is followed), which has the note field."""
    login(client, mediator_a)
    page = client.get(reverse("workspace:case_detail", args=[case_a.pk]), headers=EN).content.decode()
    top = page.split("</h1>")[1].split("</nav>")[0]
    assert 'href="#unmet-form"' in top and 'id="unmet-form"' in page and 'name="note"' in page
    assert 'id="unmet-heading"' in page


def test_a_note_is_kept_with_the_need_and_shown_to_coordinators(client, mediator_a, coordinator, case_a, login):
    """The note is kept with domain, place and threshold, the mediator returns to the form, and coordinators read it."""
    login(client, mediator_a)
    url = reverse("workspace:unmet_need_create", args=[case_a.pk])
    response = client.post(url, {"domain": "sport", "note": "Zwemmen voor vrouwen, 's avonds"}, headers=EN)
    assert response["Location"].endswith("#unmet-heading")
    assert UnmetNeed.objects.get(automatic=False).note == "Zwemmen voor vrouwen, 's avonds"
    login(client, coordinator)
    body = client.get(reverse("workspace:unmet_needs"), headers=EN).content.decode()
    assert "Zwemmen voor vrouwen, &#x27;s avonds" in body


def test_a_note_with_contact_details_is_refused_naming_the_field(client, mediator_a, case_a, login):
    """Error case: a phone number or e-mail in the note is refused, the message names the field, nothing is kept."""
    login(client, mediator_a)
    url = reverse("workspace:unmet_need_create", args=[case_a.pk])
    for note in ("bel 0470 12 34 56", "mail an@example.test"):
        response = client.post(url, {"domain": "sport", "note": note}, headers=EN, follow=True)
        body = response.content.decode()
        assert "What was missing, in a few words: Leave out e-mail addresses" in body
    assert not UnmetNeed.objects.filter(automatic=False).exists()
