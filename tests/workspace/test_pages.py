"""The workspace pages: a mediator goes from a new case to matches, a shortlist and a printed sheet."""

from django.urls import reverse

import pytest

from portal.workspace.models import AuditEntry, ClientCase, ShortlistItem

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def test_new_case_form_makes_a_case_with_a_generated_code(client, mediator_a, ocmw_a, kiel, login):
    """A mediator posts the form without a code and gets a case with a generated code, owned by their organisation."""
    login(client, mediator_a)
    page = client.get(reverse("workspace:case_create"), headers=EN)
    assert page.status_code == 200 and b"<legend>Money</legend>" in page.content
    response = client.post(
        reverse("workspace:case_create"),
        {
            "organisation": ocmw_a.pk,
            "code": "",
            "ages": "34, 9",
            "budget": "5",
            "has_uitpas": "on",
            "home_neighbourhood": kiel.pk,
            "travel_km": "3.0",
            "accessibility": ["step_free"],
            "domains": ["sport"],
            "weekdays": ["5"],
            "parts_of_day": ["morning"],
            "needs_contact_person": "on",
        },
    )
    case = ClientCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("workspace:case_detail", args=[case.pk])
    assert case.organisation == ocmw_a and case.ages == [34, 9] and case.has_uitpas and case.weekdays == [5]
    assert len(case.code) == 7 and AuditEntry.objects.filter(case_code=case.code, action="create").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("code", "Jan Peeters", "may not be a name"),
        ("code", "85.07.30-033.61", "national register number"),
        ("ages", "thirty", "whole numbers"),
        ("budget", "-3", "greater than or equal to 0"),
    ],
)
def test_bad_input_is_refused_naming_the_field(client, mediator_a, ocmw_a, field, value, message, login):
    """Error case: a bad value comes back as a 400 with the field's label and the problem, and nothing is saved."""
    login(client, mediator_a)
    response = client.post(reverse("workspace:case_create"), {"organisation": ocmw_a.pk, field: value}, headers=EN)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert f'href="#id_{field}"' in response.content.decode()
    assert not ClientCase.objects.exists() and not AuditEntry.objects.exists()


def test_a_code_already_used_in_the_organisation_is_refused(client, mediator_a, ocmw_a, case_a, login):
    """Error case: a second case with the same code in one organisation is refused on the code field."""
    login(client, mediator_a)
    response = client.post(reverse("workspace:case_create"), {"organisation": ocmw_a.pk, "code": "kx-4821"}, headers=EN)
    assert response.status_code == 400 and "already has a case with this code" in response.content.decode()
    assert ClientCase.objects.count() == 1


def test_closing_a_case_starts_its_retention(client, mediator_a, case_a, login):
    """Closing a case through the edit form records when it closed."""
    login(client, mediator_a)
    response = client.post(
        reverse("workspace:case_edit", args=[case_a.pk]), {"code": case_a.code, "status": "closed", "ages": "34"}
    )
    assert response.status_code == 302
    case_a.refresh_from_db()
    assert case_a.status == "closed" and case_a.closed_at is not None


def test_case_detail_shows_matches_with_reasons_and_is_audited(client, mediator_a, case_a, make_offer, login):
    """The case page lists matching offers with why they fit, and the read is written to the audit log."""
    make_offer("Om de hoek", km=0.8)
    login(client, mediator_a)
    response = client.get(reverse("workspace:case_detail", args=[case_a.pk]), headers=EN)
    body = response.content.decode()
    assert response.status_code == 200 and "Om de hoek" in body and "800 m from home" in body
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(case_code="KX-4821", action="read", username="mediator-a").count() == 1


def test_shortlist_sheet_and_pdf(client, mediator_a, case_a, make_offer, login):
    """A mediator shortlists an offer, opens its client sheet in Dutch with a QR code, and downloads the PDF."""
    offer = make_offer(
        "Om de hoek",
        km=0.8,
        public_transport_stop="tram 4, halte Kiel",
        welcome_contact_name="Els",
        what_to_bring="Sportschoenen",
    )
    login(client, mediator_a)
    client.post(reverse("workspace:shortlist_add", args=[case_a.pk, offer.pk]))
    client.post(reverse("workspace:shortlist_add", args=[case_a.pk, offer.pk]))
    assert ShortlistItem.objects.filter(case=case_a, offer=offer).count() == 1
    sheet = client.get(reverse("workspace:client_sheet", args=[case_a.pk, offer.pk]), headers=EN)
    body = sheet.content.decode()
    assert sheet.status_code == 200 and "no-store" in sheet["Cache-Control"]
    assert 'lang="nl-be"' in body and "tram 4, halte Kiel" in body and "Sportschoenen" in body
    assert '<svg role="img" viewBox="0 0 ' in body and 'class="qr-code"' in body and "<svg width" not in body
    assert "KX-4821" not in body.split('<article class="sheet">')[1].split("</article>")[0]
    assert f"<p>http://127.0.0.1:8000{offer.url}</p>" in body  # the public address (PUBLIC_BASE_URL), not the Site
    pdf = client.get(reverse("workspace:client_sheet_pdf", args=[case_a.pk, offer.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "no-store" in pdf["Cache-Control"]
    client.post(reverse("workspace:shortlist_remove", args=[case_a.pk, offer.pk]))
    assert not ShortlistItem.objects.exists()
    actions = list(AuditEntry.objects.filter(case_code="KX-4821").values_list("action", flat=True))
    assert {"shortlist_add", "shortlist_remove", "sheet"} <= set(actions) and actions.count("shortlist_add") == 1


def test_partner_editors_and_visitors_are_kept_out(client, editor_a):
    """Error case: a visitor is sent to log in and a partner editor is refused the workspace."""
    assert client.get(reverse("workspace:case_list")).status_code == 302
    client.force_login(editor_a)
    assert client.get(reverse("workspace:case_list")).status_code == 403
    assert client.get(reverse("workspace:case_create")).status_code == 403
