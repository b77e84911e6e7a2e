"""The one-page client sheet for an offer: plain Dutch (B1), what it costs this client, a QR code and a PDF."""

from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import segno
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from catalogue.formatting import euro
from catalogue.models import OfferPage, SessionStatus, Weekday
from catalogue.pricing import client_costs, compulsory_extras, free_of_charge, unit_suffix

from .models import ClientCase
from .qr import QUIET_ZONE, qr_svg


@dataclass
class SheetSection:
    icon: str
    heading: str
    lines: list[str]


@dataclass
class ClientSheet:
    title: str
    summary: str
    sections: list[SheetSection]
    url: str
    message: str

    def qr_svg(self) -> SafeString:
        """The QR code to the public offer page, as inline SVG (no image file, no JavaScript)."""
        return qr_svg(self.url, title=_("QR code to the offer page"))


def cost_for_case(case: ClientCase, offer: OfferPage) -> Decimal | None:
    """What this client pays, with the reduced tariff they qualify for (the same rule as the search)."""
    costs = client_costs(offer)
    if case.has_uitpas and case.social_tariff:
        return costs["cost_all"]
    if case.has_uitpas:
        return costs["cost_uitpas"]
    if case.social_tariff:
        return costs["cost_social"]
    return costs["cost_regular"]


def _cost_lines(case: ClientCase, offer: OfferPage) -> list[str]:
    cost = cost_for_case(case, offer)
    if cost is None:
        return [_("The price is not known yet: ask the organiser before you go.")]
    lines = [
        _("You pay nothing.")
        if free_of_charge(cost, compulsory_extras(offer))
        else _("You pay %(cost)s %(unit)s.") % {"cost": euro(cost), "unit": unit_suffix(offer.price_unit)}
    ]
    if cost < offer.list_price:
        lines.append(_("That is the reduced price. Bring your UiTPAS or proof of your tariff."))
    for extra in offer.extra_costs.all():
        if extra.required:
            lines.append(
                _("Extra: %(what)s, %(cost)s.")
                % {"what": extra.description or extra.get_kind_display(), "cost": euro(extra.amount)}
            )
    if offer.free_trial:
        lines.append(_("The first time is free."))
    return lines


def _start_line(offer: OfferPage) -> str:
    if offer.start_date is None:
        return _("It runs all year: you can start at any time.")
    return _("It starts on %(date)s.") % {"date": formats.date_format(offer.start_date, "l j F Y")}


SHEET_SESSIONS = 3  # the next dates a sheet lists; the offer page has all of them


def _session_lines(offer: OfferPage) -> list[str]:
    """The next dated sessions that still take place (a fully booked or postponed one says so)."""
    now = timezone.now()
    upcoming = sorted(
        (s for s in offer.sessions.all() if s.end >= now and s.status != SessionStatus.CANCELLED),
        key=lambda session: session.start,
    )
    lines = []
    for session in upcoming[:SHEET_SESSIONS]:
        start, end = timezone.localtime(session.start), timezone.localtime(session.end)
        line = _("%(day)s from %(start)s to %(end)s.") % {
            "day": capfirst(formats.date_format(start, "l j F")),
            "start": start.strftime("%H:%M"),
            "end": end.strftime("%H:%M"),
        }
        if session.status != SessionStatus.SCHEDULED:
            line = f"{line} {session.get_status_display()}."
        lines.append(line)
    if len(upcoming) > SHEET_SESSIONS:
        more = len(upcoming) - SHEET_SESSIONS
        text = ngettext(
            "And %(count)s more date: see the offer page.", "And %(count)s more dates: see the offer page.", more
        )
        lines.append(text % {"count": more})
    return lines


def _when_lines(offer: OfferPage) -> list[str]:
    sessions = _session_lines(offer)
    first = sessions if sessions and offer.start_date is None else [_start_line(offer), *sessions]
    lines = first + [
        _("Every %(day)s from %(start)s to %(end)s.")
        % {
            "day": Weekday(slot.weekday).label.lower(),
            "start": slot.start_time.strftime("%H:%M"),
            "end": slot.end_time.strftime("%H:%M"),
        }
        for slot in offer.time_slots.all()
    ]
    if offer.schedule_note:
        lines.append(offer.schedule_note)
    lines.append(offer.get_registration_display() + ".")
    return lines


def build_sheet(case: ClientCase, offer: OfferPage, *, url: str, mediator: str) -> ClientSheet:
    """Everything the client needs to go, in short sentences; nothing about the client is printed.

    ``mediator`` is the name of the client's mediator, whom the client can ask when in doubt.
    """
    where = [f"{offer.street_address}, {offer.postal_code} {offer.city}"]
    if offer.public_transport_stop:
        where.append(_("Nearest stop: %(stop)s.") % {"stop": offer.public_transport_stop})
    welcome = []
    if offer.welcome_contact_name:
        welcome.append(_("%(name)s welcomes you.") % {"name": offer.welcome_contact_name})
        if offer.welcome_contact_phone:
            welcome.append(_("Phone: %(phone)s") % {"phone": offer.welcome_contact_phone})
    if offer.first_visit:
        welcome.append(offer.first_visit)
    if offer.companion_welcome:
        welcome.append(_("You may bring someone along."))
    sections = [
        SheetSection("people", _("Who organises it"), [offer.organisation.name]),
        SheetSection("when", _("When"), _when_lines(offer)),
        SheetSection("where", _("Where"), where),
        SheetSection("cost", _("What it costs you"), _cost_lines(case, offer)),
    ]
    if welcome:
        sections.append(SheetSection("contact", _("Who welcomes you"), welcome))
    if offer.what_to_bring:
        sections.append(SheetSection("check", _("What to bring"), [offer.what_to_bring]))
    sections.append(
        SheetSection(
            "companion", _("Your mediator"), [_("%(name)s helps you if you have a question.") % {"name": mediator}]
        )
    )
    first = offer.time_slots.all()[0] if offer.time_slots.all() else None
    when = (
        _(" on %(day)s at %(time)s")
        % {"day": Weekday(first.weekday).label.lower(), "time": first.start_time.strftime("%H:%M")}
        if first
        else ""
    )
    message = _("%(title)s%(when)s, %(address)s. You pay: %(cost)s. More: %(url)s") % {
        "title": offer.title,
        "when": when,
        "address": offer.street_address,
        "cost": _("nothing") if cost_for_case(case, offer) == 0 else euro(cost_for_case(case, offer)),
        "url": url,
    }
    return ClientSheet(title=offer.title, summary=offer.plain_summary, sections=sections, url=url, message=message)


class _QrFlowable(Flowable):
    """The QR code drawn as vector squares, so the PDF stays sharp and needs no image library."""

    def __init__(self, url: str, size: float) -> None:
        super().__init__()
        self.matrix = segno.make(url, error="m").matrix
        self.size = size
        self.width = self.height = size

    def draw(self) -> None:
        modules = len(self.matrix) + 2 * QUIET_ZONE
        cell = self.size / modules
        drawing = Drawing(self.size, self.size)
        for row_index, row in enumerate(self.matrix):
            for column_index, dark in enumerate(row):
                if dark:
                    x = (column_index + QUIET_ZONE) * cell
                    y = self.size - (row_index + QUIET_ZONE + 1) * cell
                    drawing.add(Rect(x, y, cell, cell, fillColor="black", strokeColor=None))
        renderPDF.draw(drawing, self.canv, 0, 0)


def sheet_pdf(sheet: ClientSheet) -> bytes:
    """The sheet on one A4 page in large type (14 pt body, 24 pt title)."""
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=sheet.title,
    )
    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=24, leading=29, spaceAfter=6)
    heading = ParagraphStyle("heading", fontName="Helvetica-Bold", fontSize=17, leading=21, spaceBefore=8)
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=14, leading=19)
    story: list[Flowable] = [Paragraph(escape(sheet.title), title), Paragraph(escape(sheet.summary), body)]
    for section in sheet.sections:
        story.append(Paragraph(escape(section.heading), heading))
        story.extend(Paragraph(escape(line), body) for line in section.lines)
    story += [
        Spacer(1, 6 * mm),
        Paragraph(escape(_("Scan the code for more information:")), body),
        _QrFlowable(sheet.url, 35 * mm),
    ]
    document.build(story)
    return buffer.getvalue()
