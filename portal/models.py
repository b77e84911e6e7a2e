"""CMS pages of the portal: home, vision note, expertise, news, the accessibility statement and contact."""

from django.core.paginator import Paginator
from django.db import models
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.signals import page_published

from wagtail_localize.fields import SynchronizedField

from .blocks import (
    PLAIN_LANGUAGE_HELP,
    SHORT_TEXT_FEATURES,
    ExpertiseStreamBlock,
    NewsStreamBlock,
    SectionBlock,
)
from .content_language import default_content_language, page_language
from .pdf import vision_note_pdf_response

SUMMARY_HELP = _(
    "Two or three short sentences in clear Dutch (B1) that say what the page is about. "
    "Shown in lists and in the search results."
)
NEWS_PER_PAGE = 10


class HomePage(Page):
    intro = models.TextField(_("introduction"), help_text=_("Who the network is and what it does, in plain Dutch."))
    track_guidance = models.TextField(_("track: guiding people to the offer"), blank=True)
    track_thresholds = models.TextField(_("track: removing thresholds"), blank=True)
    track_cooperation = models.TextField(_("track: working together and raising awareness"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("track_guidance"), FieldPanel("track_thresholds"), FieldPanel("track_cooperation")],
            heading=_("The network's three tracks"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "organisations.OrganisationIndexPage",
        "portal.VisionNotePage",
        "portal.ExpertiseIndexPage",
        "portal.NewsIndexPage",
        "portal.AccessibilityStatementPage",
        "portal.ContactPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from catalogue.selectors import recent_offers
        from organisations.networks import network_for_site

        context = super().get_context(request, *args, **kwargs)
        context["recent_offers"] = recent_offers(limit=6, network=network_for_site(self.get_site()))
        context["vision_note"] = VisionNotePage.objects.child_of(self).live().first()
        context["expertise_index"] = ExpertiseIndexPage.objects.child_of(self).live().first()
        context["contact_page"] = ContactPage.objects.child_of(self).live().first()
        news_index = NewsIndexPage.objects.child_of(self).live().first()
        context["news_index"] = news_index
        context["latest_news"] = (
            NewsPage.objects.child_of(news_index).live().public().order_by("-date", "-pk")[:3] if news_index else []
        )
        return context


class VisionNotePage(RoutablePageMixin, Page):
    """The network's shared vision note; every approved version stays readable under 'versies/'."""

    intro = models.TextField(_("summary"), help_text=SUMMARY_HELP)
    version = models.CharField(
        _("version"),
        max_length=20,
        help_text=_(
            "For example 2026.1. Give a new version number whenever the network approves a new text: publishing "
            "a new number keeps the previous text readable as an earlier version. Corrections without a new "
            "number do not change the archived copy."
        ),
    )
    approved_on = models.DateField(_("approved on"), help_text=_("The day the network approved this version."))
    sections = StreamField(
        [("section", SectionBlock())],
        verbose_name=_("sections"),
        help_text=_("One section per subject, each with its own heading, in the order the note is read."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("version"), FieldPanel("approved_on")]),
        FieldPanel("sections"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("sections")]
    # A translation carries the version it translates; wagtail-localize copies it instead of asking for it.
    override_translatable_fields = [SynchronizedField("version")]
    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("vision note")

    def snapshot_sections(self) -> list[dict[str, str]]:
        """The sections as headings and finished HTML, the form in which a version is archived and printed."""
        return [
            {"heading": block.value["heading"], "body": str(block.value["body"])}
            for block in self.sections
            if block.block_type == "section"
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["note_sections"] = self.snapshot_sections()
        return context

    @path("pdf/", name="pdf")
    def current_pdf(self, request: HttpRequest) -> HttpResponse:
        return self._pdf_response(
            request,
            title=self.title,
            intro=self.intro,
            version=self.version,
            approved_on=self.approved_on,
            sections=self.snapshot_sections(),
        )

    @path("versies/", name="versions")
    def version_list(self, request: HttpRequest) -> TemplateResponse:
        context = self.get_context(request)
        context["versions"] = self.versions.all()
        return TemplateResponse(request, "portal/vision_note_versions.html", context)

    @path("versies/<slug:slug>/", name="version")
    def version_detail(self, request: HttpRequest, slug: str) -> TemplateResponse:
        context = self.get_context(request)
        context["archived"] = get_object_or_404(self.versions, slug=slug)
        return TemplateResponse(request, "portal/vision_note_version.html", context)

    @path("versies/<slug:slug>/pdf/", name="version_pdf")
    def version_pdf(self, request: HttpRequest, slug: str) -> HttpResponse:
        archived = get_object_or_404(self.versions, slug=slug)
        return self._pdf_response(
            request,
            title=archived.title,
            intro=archived.intro,
            version=archived.version,
            approved_on=archived.approved_on,
            sections=archived.sections,
        )

    def _pdf_response(self, request: HttpRequest, **content) -> HttpResponse:
        """The PDF is a document in the note's own language, whatever the interface language."""
        language = page_language(self)
        stem = self.slug if language == default_content_language() else f"{self.slug}-{language}"
        with translation.override(language):
            return vision_note_pdf_response(filename_stem=stem, base_url=request.build_absolute_uri("/"), **content)


class VisionNoteVersion(models.Model):
    """An approved version of the vision note, frozen when it was published; never edited afterwards."""

    page = models.ForeignKey(
        VisionNotePage, verbose_name=_("vision note"), on_delete=models.CASCADE, related_name="versions"
    )
    version = models.CharField(_("version"), max_length=20)
    slug = models.SlugField(
        _("slug"), max_length=30, help_text=_("The version in its web address: 2026.1 becomes 2026-1.")
    )
    approved_on = models.DateField(_("approved on"))
    title = models.CharField(_("title"), max_length=255)
    intro = models.TextField(_("summary"), blank=True)
    sections = models.JSONField(_("sections"), help_text=_("Headings and their HTML, as published."))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-approved_on", "-recorded_at"]
        verbose_name = _("vision note version")
        verbose_name_plural = _("vision note versions")
        constraints = [
            models.UniqueConstraint(fields=["page", "version"], name="unique_vision_note_version"),
            models.UniqueConstraint(fields=["page", "slug"], name="unique_vision_note_version_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"


@receiver(page_published, sender=VisionNotePage, dispatch_uid="portal.vision_note_version_record")
def _record_vision_note_version(sender, instance: VisionNotePage, **kwargs) -> None:
    """Every publish, from the editor, a workflow or the scheduler, archives a version it has not seen."""
    from .services import vision_note_version_record  # services imports these models

    vision_note_version_record(page=instance)


class ExpertiseTheme(models.TextChoices):
    GUIDANCE = "guidance", _("Guiding people to the offer")
    THRESHOLDS = "thresholds", _("Removing thresholds")
    COOPERATION = "cooperation", _("Working together")
    AWARENESS = "awareness", _("Raising awareness")


class ExpertiseIndexPage(Page):
    """Methods and good practice of the network, grouped by theme; new pages are reviewed before they go live."""

    intro = models.TextField(_("introduction"), blank=True, help_text=PLAIN_LANGUAGE_HELP)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.ExpertisePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("expertise index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pages = list(ExpertisePage.objects.child_of(self).live().public().order_by("title"))
        context["themes"] = [
            {"value": value, "label": label, "pages": [page for page in pages if page.theme == value]}
            for value, label in ExpertiseTheme.choices
            if any(page.theme == value for page in pages)
        ]
        return context


class ExpertisePage(Page):
    theme = models.CharField(_("theme"), max_length=20, choices=ExpertiseTheme.choices)
    summary = models.TextField(_("summary"), max_length=400, help_text=SUMMARY_HELP)
    body = StreamField(
        ExpertiseStreamBlock(),
        verbose_name=_("content"),
        help_text=_("Build the page from blocks, in reading order. A block's heading is shown as a level 2 heading."),
    )

    content_panels = [*Page.content_panels, FieldPanel("theme"), FieldPanel("summary"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("theme"),
    ]
    parent_page_types = ["portal.ExpertiseIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("expertise page")


class NewsIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.child_of(self).live().public().order_by("-date", "-pk")
        context["news_page"] = Paginator(news, NEWS_PER_PAGE).get_page(request.GET.get("pagina"))
        return context


class NewsPage(Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("summary"), max_length=400, help_text=SUMMARY_HELP)
    body = StreamField(NewsStreamBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("date"), FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["portal.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news item")


class ComplianceStatus(models.TextChoices):
    """The three statuses of the EU model accessibility statement (Implementing Decision 2018/1523)."""

    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NONE = "none", _("not compliant")


def _email_panels() -> MultiFieldPanel:
    return MultiFieldPanel(
        [FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]), FieldPanel("subject")],
        heading=_("E-mail to the coordinators"),
    )


class AccessibilityFeedbackField(AbstractFormField):
    page = ParentalKey("AccessibilityStatementPage", on_delete=models.CASCADE, related_name="form_fields")


class AccessibilityStatementPage(AbstractEmailForm):
    """The accessibility statement, with a form to report what does not work; linked from every footer."""

    scope = models.TextField(
        _("scope"), help_text=_("Which website and which parts this statement covers, and which standard.")
    )
    status = models.CharField(
        _("compliance status"),
        max_length=10,
        choices=ComplianceStatus.choices,
        help_text=_("Measured against WCAG 2.1 level AA."),
    )
    known_gaps = RichTextField(
        _("known gaps"),
        blank=True,
        features=SHORT_TEXT_FEATURES,
        help_text=_("What does not work yet, for whom, what to do instead, and when it will be fixed. One item each."),
    )
    evaluation = models.TextField(_("how we checked"), blank=True)
    prepared_on = models.DateField(_("statement drawn up on"))
    review_date = models.DateField(_("next review"), help_text=_("Review the statement at least once a year."))
    feedback_intro = models.TextField(_("introduction to the feedback form"), blank=True, help_text=PLAIN_LANGUAGE_HELP)
    thank_you_text = models.TextField(_("thank-you text"), blank=True)

    content_panels = [
        *Page.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("scope"),
        FieldPanel("status"),
        FieldPanel("known_gaps"),
        FieldPanel("evaluation"),
        FieldRowPanel([FieldPanel("prepared_on"), FieldPanel("review_date")]),
        FieldPanel("feedback_intro"),
        InlinePanel("form_fields", label=_("Feedback form fields")),
        FieldPanel("thank_you_text"),
        _email_panels(),
    ]
    search_fields = [*Page.search_fields, index.SearchField("scope"), index.SearchField("known_gaps")]
    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("accessibility statement")


class ContactFormField(AbstractFormField):
    page = ParentalKey("ContactPage", on_delete=models.CASCADE, related_name="form_fields")


class ContactPage(AbstractEmailForm):
    intro = models.TextField(_("introduction"), blank=True, help_text=PLAIN_LANGUAGE_HELP)
    contact_details = RichTextField(
        _("other ways to reach us"),
        blank=True,
        features=SHORT_TEXT_FEATURES,
        help_text=_("Address, phone number and opening hours, for people who prefer not to write."),
    )
    thank_you_text = models.TextField(_("thank-you text"), blank=True)

    content_panels = [
        *Page.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        FieldPanel("contact_details"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("thank_you_text"),
        _email_panels(),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("contact page")
