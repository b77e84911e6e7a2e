"""The vision note as a PDF, drawn server-side with ReportLab from its headings and rich-text HTML."""

from collections.abc import Sequence
from datetime import date
from html.parser import HTMLParser
from io import BytesIO
from urllib.parse import urljoin
from xml.sax.saxutils import escape, quoteattr

from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

LINK_COLOUR = "#0a4f8a"
INLINE_TAGS = {"b": "b", "strong": "b", "i": "i", "em": "i"}
BLOCK_STYLES = {"p": "BodyText", "h2": "Heading3", "h3": "Heading3", "h4": "Heading4"}


class _RichTextFlowables(HTMLParser):
    """Turns Wagtail's rich-text HTML (paragraphs, level 3 headings, lists, bold, italic, links) into flowables.

    ReportLab's paragraphs understand a small markup of their own; anything else in the HTML is
    reduced to its text, so unexpected markup can never break the document.
    """

    def __init__(self, styles: StyleSheet1, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.styles = styles
        self.base_url = base_url
        self.flowables: list[Flowable] = []
        self._text: list[str] = []
        self._style = "BodyText"
        self._links: list[bool] = []
        self._lists: list[tuple[bool, list[ListItem]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_STYLES:
            self._flush()
            self._style = BLOCK_STYLES[tag]
        elif tag in ("ul", "ol"):
            self._flush()
            self._lists.append((tag == "ol", []))
        elif tag == "li":
            self._flush()
        elif tag in INLINE_TAGS:
            self._text.append(f"<{INLINE_TAGS[tag]}>")
        elif tag == "br":
            self._text.append("<br/>")
        elif tag == "a":
            href = dict(attrs).get("href")
            self._links.append(bool(href))
            if href:
                self._text.append(f"<a href={quoteattr(urljoin(self.base_url, href))} color={quoteattr(LINK_COLOUR)}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_STYLES or tag == "li":
            self._flush()
            self._style = "BodyText"
        elif tag in ("ul", "ol") and self._lists:
            ordered, items = self._lists.pop()
            if items:
                listing = ListFlowable(items, bulletType="1" if ordered else "bullet", leftIndent=6 * mm)
                self._add(listing)
        elif tag in INLINE_TAGS:
            self._text.append(f"</{INLINE_TAGS[tag]}>")
        elif tag == "a" and self._links and self._links.pop():
            self._text.append("</a>")

    def handle_data(self, data: str) -> None:
        self._text.append(escape(data))

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        markup = "".join(self._text).strip()
        self._text = []
        if markup:
            self._add(Paragraph(markup, self.styles[self._style]))

    def _add(self, flowable: Flowable) -> None:
        if self._lists:
            self._lists[-1][1].append(ListItem(flowable))
        else:
            self.flowables.append(flowable)


def _styles() -> StyleSheet1:
    styles = getSampleStyleSheet()
    styles.add(ParagraphStyle("Meta", parent=styles["BodyText"], textColor="#4a4a4a"))
    styles["BodyText"].fontSize = 11
    styles["BodyText"].leading = 16
    return styles


def vision_note_pdf(
    *,
    title: str,
    intro: str,
    version: str,
    approved_on: date,
    sections: Sequence[dict[str, str]],
    base_url: str = "",
) -> bytes:
    """The PDF of one version of the vision note: title, version line, summary, then each section."""
    styles = _styles()
    version_line = _("Version %(version)s, approved on %(date)s") % {
        "version": version,
        "date": date_format(approved_on, "DATE_FORMAT"),
    }
    story: list[Flowable] = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(escape(version_line), styles["Meta"]),
        Spacer(1, 4 * mm),
    ]
    if intro:
        story.append(Paragraph(escape(intro), styles["BodyText"]))
    for section in sections:
        story.append(Paragraph(escape(section["heading"]), styles["Heading2"]))
        parser = _RichTextFlowables(styles, base_url)
        parser.feed(section["body"])
        parser.close()
        story.extend(parser.flowables)

    footer = f"{title} {version}"

    def draw_footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 9)
        canvas.drawString(document.leftMargin, 12 * mm, footer)
        canvas.drawRightString(A4[0] - document.rightMargin, 12 * mm, str(document.page))
        canvas.restoreState()

    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{title} {version}",
        author="Vrijetijdsnet",
        subject=version_line,
        lang=to_locale(get_language() or "nl-be").replace("_", "-"),
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
    )
    document.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()


def vision_note_pdf_response(*, filename_stem: str, base_url: str, **content) -> HttpResponse:
    """A download of the vision note PDF, named after the note and its version."""
    response = HttpResponse(vision_note_pdf(base_url=base_url, **content), content_type="application/pdf")
    filename = f"{slugify(filename_stem)}-{slugify(content['version'].replace('.', '-'))}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
