"""The demo network's pages under the home page, created once: loading the demo again changes nothing."""

from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet

from wagtail.documents import get_document_model
from wagtail.models import Locale, Page

from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from catalogue.models import OfferPage, ReducedTariff

from . import demo_content as content
from .models import (
    AccessibilityFeedbackField,
    AccessibilityStatementPage,
    ContactFormField,
    ContactPage,
    ExpertiseIndexPage,
    ExpertisePage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    VisionNotePage,
)
from .services import expertise_review_ensure

RELATED_OFFERS_SHOWN = 3


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def ensure_vision_note(home: HomePage, texts: content.NetworkTexts = content.ANTWERPEN) -> VisionNotePage:
    """The vision note, published version after version (Antwerp's 2025.1, then 2026.1), so each is archived."""
    note = VisionNotePage.objects.child_of(home).first()
    if note is not None:
        return note
    first, *later = texts.vision_note_versions
    note = _publish(home, VisionNotePage(**texts.vision_note, **first))
    for version in later:
        for field, value in version.items():
            setattr(note, field, value)
        note.save_revision().publish()
    return note


def ensure_vision_note_translations(note: VisionNotePage) -> list[VisionNotePage]:
    """The vision note in English and French, made the way a coordinator makes them with wagtail-localize:
    a translation source from the Dutch note, a translation of each of its strings, then the published page.

    A language whose translation exists is left alone, so a coordinator's later edits are kept.
    """
    source, _created = TranslationSource.get_or_create_from_instance(note)
    segments = list(source.stringsegment_set.select_related("string", "context"))
    translations = []
    for language in ("en", "fr"):
        locale = Locale.objects.get(language_code=language)
        existing = note.get_translation_or_none(locale)
        if existing is not None and existing.alias_of_id is None:
            translations.append(existing)
            continue
        for segment in segments:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": content.VISION_NOTE_TRANSLATIONS[segment.string.data][language],
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )
        translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
        # A draft first: wagtail-localize would publish only once the transaction commits.
        translation.save_target(publish=False)
        note.get_translation(locale).get_latest_revision().publish()
        translations.append(note.get_translation(locale))
    return translations


def _worksheet_document():
    """A small PDF worksheet for the threshold scan, so the demo shows a document block."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import ListFlowable, Paragraph, SimpleDocTemplate

    Document = get_document_model()
    title = content.THRESHOLD_SCAN_WORKSHEET["title"]
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing
    styles = getSampleStyleSheet()
    buffer = BytesIO()
    questions = [Paragraph(question, styles["BodyText"]) for question in content.THRESHOLD_SCAN_WORKSHEET["questions"]]
    SimpleDocTemplate(buffer, title=title, lang="nl-BE").build(
        [Paragraph(title, styles["Title"]), ListFlowable(questions, bulletType="1")]
    )
    document = Document(title=title)
    document.file.save("drempelscan-werkblad.pdf", ContentFile(buffer.getvalue()), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


def _related_offers(heading: str, offers) -> list[dict]:
    ids = list(offers.live().order_by("pk").values_list("pk", flat=True)[:RELATED_OFFERS_SHOWN])
    if not ids:
        return []
    return [{"type": "related_offers", "value": {"heading": heading, "offers": ids}}]


def ensure_expertise(home: HomePage, offers: QuerySet[OfferPage] | None = None) -> ExpertiseIndexPage:
    """The expertise index with its review workflow, and three expertise pages that show some of ``offers``."""
    offers = OfferPage.objects.all() if offers is None else offers
    index = ExpertiseIndexPage.objects.child_of(home).first()
    if index is None:
        index = _publish(home, ExpertiseIndexPage(**content.EXPERTISE_INDEX))
    expertise_review_ensure(index=index)
    worksheet = _worksheet_document()
    extra_blocks = {
        content.FIRST_VISIT["slug"]: _related_offers(
            "Aanbod waar iemand gratis mee mag", offers.filter(companion_free=True)
        ),
        content.TARIFFS["slug"]: _related_offers(
            "Aanbod met kansentarief",
            offers.filter(reduced_tariff__in=[ReducedTariff.UITPAS, ReducedTariff.BOTH]),
        ),
        content.THRESHOLD_SCAN["slug"]: [
            {
                "type": "document",
                "value": {"document": worksheet.pk, "description": "Zes vragen om je drempelscan mee te beginnen."},
            }
        ],
    }
    existing = set(ExpertisePage.objects.child_of(index).values_list("slug", flat=True))
    for page in (content.FIRST_VISIT, content.TARIFFS, content.THRESHOLD_SCAN):
        if page["slug"] in existing:
            continue
        body = [*page["body"], *extra_blocks[page["slug"]]]
        _publish(index, ExpertisePage(**{**page, "body": body}))
    return index


def ensure_news(home: HomePage) -> NewsIndexPage:
    index = NewsIndexPage.objects.child_of(home).first()
    if index is None:
        index = _publish(home, NewsIndexPage(**content.NEWS_INDEX))
    if not NewsPage.objects.child_of(index).filter(slug=content.NEWS_ITEM["slug"]).exists():
        _publish(index, NewsPage(**content.NEWS_ITEM))
    return index


def _form_fields(field_model, values: dict, choices: str = "") -> list:
    return [
        field_model(
            sort_order=order,
            label=label,
            field_type=field_type,
            required=required,
            help_text=help_text,
            choices=choices if field_type == "dropdown" else "",
        )
        for order, (label, field_type, required, help_text) in enumerate(values["fields"])
    ]


def _email_settings(values: dict, to_address: str) -> dict:
    return {
        "to_address": to_address,
        "from_address": settings.DEFAULT_FROM_EMAIL,
        "subject": values["subject"],
    }


def ensure_accessibility_statement(
    home: HomePage, texts: content.NetworkTexts = content.ANTWERPEN
) -> AccessibilityStatementPage:
    statement = AccessibilityStatementPage.objects.child_of(home).first()
    if statement is not None:
        return statement
    given = texts.accessibility_statement
    values = {key: value for key, value in given.items() if key not in ("fields", "subject")}
    statement = AccessibilityStatementPage(**values, **_email_settings(given, texts.coordinator_email))
    statement.form_fields = _form_fields(AccessibilityFeedbackField, given)
    return _publish(home, statement)


def ensure_contact(home: HomePage, texts: content.NetworkTexts = content.ANTWERPEN) -> ContactPage:
    contact = ContactPage.objects.child_of(home).first()
    if contact is not None:
        return contact
    given = texts.contact
    values = {key: value for key, value in given.items() if key not in ("fields", "subject", "who_choices")}
    contact = ContactPage(**values, **_email_settings(given, texts.coordinator_email))
    contact.form_fields = _form_fields(ContactFormField, given, choices=given["who_choices"])
    return _publish(home, contact)


@transaction.atomic
def ensure_network_pages(
    home: HomePage, texts: content.NetworkTexts = content.ANTWERPEN, offers: QuerySet[OfferPage] | None = None
) -> dict[str, Page]:
    """Vision note, expertise (with its review workflow), news, accessibility statement and contact page.

    ``texts`` are the network's own (Antwerp's by default); the expertise pages show some of ``offers`` (all).
    """
    return {
        "vision_note": ensure_vision_note(home, texts),
        "expertise": ensure_expertise(home, offers),
        "news": ensure_news(home),
        "accessibility_statement": ensure_accessibility_statement(home, texts),
        "contact": ensure_contact(home, texts),
    }
