"""The client sheet names the organiser, the start date and the mediator, on screen and in the PDF."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse

import pypdfium2
import pytest

from catalogue.models import OfferSession, SessionStatus

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    return " ".join(page.get_textpage().get_text_range() for page in document)


def test_the_sheet_names_the_organiser_the_start_date_and_the_mediator(client, mediator_a, case_a, make_offer, login):
    """The sheet and its PDF say which organisation runs the offer, the day it starts and the mediator's name."""
    mediator_a.first_name, mediator_a.last_name = "Sara", "Peeters"
    mediator_a.save()
    offer = make_offer("Om de hoek", km=0.8, start_date=date(2026, 9, 7), end_date=date(2027, 6, 28))
    login(client, mediator_a)
    page = client.get(reverse("workspace:client_sheet", args=[case_a.pk, offer.pk])).content.decode()
    sheet = page.split('<article class="sheet">')[1].split("</article>")[0]
    pdf = _pdf_text(client.get(reverse("workspace:client_sheet_pdf", args=[case_a.pk, offer.pk])).content)
    for text in (sheet, pdf):
        assert "Zwemclub A" in text
        assert "maandag 7 september 2026" in text
        assert "Sara Peeters" in text
    assert "KX-4821" not in sheet and "KX-4821" not in pdf


def test_a_permanent_offer_says_the_client_can_start_at_any_time(client, mediator_a, case_a, make_offer, login):
    """An offer without dates is not given an invented start: the sheet says it runs all year."""
    offer = make_offer("Om de hoek", km=0.8)
    login(client, mediator_a)
    page = client.get(reverse("workspace:client_sheet", args=[case_a.pk, offer.pk])).content.decode()
    assert "je kunt op elk moment beginnen" in page.lower()
    assert "mediator-a" in page


def test_the_sheet_lists_the_next_dated_sessions(client, mediator_a, case_a, make_offer, login):
    """Dated sessions: the next three that still take place, a fully booked one marked, the rest counted."""
    offer = make_offer("Om de hoek", km=0.8)
    first = datetime.now(ZoneInfo("Europe/Brussels")).replace(hour=14, minute=0, second=0, microsecond=0)
    first += timedelta(days=2)
    statuses = [SessionStatus.CANCELLED, SessionStatus.SCHEDULED, SessionStatus.FULLY_BOOKED]
    statuses += [SessionStatus.SCHEDULED] * 3
    for week, status in enumerate(statuses):
        start = first + timedelta(weeks=week)
        OfferSession.objects.create(offer=offer, start=start, end=start + timedelta(hours=2), status=status)
    OfferSession.objects.create(offer=offer, start=first - timedelta(weeks=1), end=first - timedelta(weeks=1))
    login(client, mediator_a)
    page = client.get(reverse("workspace:client_sheet", args=[case_a.pk, offer.pk])).content.decode()
    sheet = page.split('<article class="sheet">')[1].split("</article>")[0]
    assert len(re.findall(r"[A-Z][a-z]+dag \d{1,2} [a-z]+ van 14:00 tot 16:00\.", sheet)) == 3
    assert "Volzet." in sheet
    assert "En nog 2 data: kijk op de pagina van het aanbod." in sheet
    assert "op elk moment beginnen" not in sheet
