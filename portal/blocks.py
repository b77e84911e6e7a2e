"""StreamField blocks for the network pages: sections, method steps, case stories, quotes, checklists."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

# Optional text blocks default to "", as the editor saves them: content written by code (the demo) then has
# the same shape, and wagtail-localize can cut it into strings to translate (it refuses None).
# Rich text offers only what these pages need: a section's own heading is a level 2 heading, so the
# text itself may go down to level 3 and no further, and there are no images or embeds to describe.
SECTION_FEATURES = ["h3", "bold", "italic", "link", "document-link", "ul", "ol"]
SHORT_TEXT_FEATURES = ["bold", "italic", "link", "ul", "ol"]

PLAIN_LANGUAGE_HELP = _(
    "Write in clear Dutch (level B1): short sentences, everyday words, one idea per paragraph. "
    "Explain an abbreviation the first time you use it."
)
HEADING_HELP = _("A short heading that says what follows. It is shown as a level 2 heading.")


class SectionBlock(blocks.StructBlock):
    """A heading with its text: the building block of the vision note and longer pages."""

    heading = blocks.CharBlock(label=_("heading"), max_length=120, help_text=HEADING_HELP)
    body = blocks.RichTextBlock(
        label=_("text"),
        features=SECTION_FEATURES,
        help_text=_("Use 'Heading 3' for a sub-heading inside this section; never skip a level."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Section")
        template = "blocks/section_block.html"


class MethodStepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("step"), max_length=120, help_text=_("What you do, starting with a verb."))
    text = blocks.TextBlock(label=_("explanation"), required=False, default="", help_text=PLAIN_LANGUAGE_HELP)


class MethodStepsBlock(blocks.StructBlock):
    """A method as numbered steps, so a reader can follow it along."""

    heading = blocks.CharBlock(label=_("heading"), max_length=120, help_text=HEADING_HELP)
    intro = blocks.TextBlock(label=_("introduction"), required=False, default="")
    steps = blocks.ListBlock(MethodStepBlock(), label=_("steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("Method steps")
        template = "blocks/method_steps_block.html"


class CaseStoryBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120, help_text=HEADING_HELP)
    story = blocks.RichTextBlock(
        label=_("story"),
        features=SHORT_TEXT_FEATURES,
        help_text=_("Tell what happened. Never use a client's real name or details that make them recognisable."),
    )
    lesson = blocks.TextBlock(label=_("what we learned"), required=False, default="")

    class Meta:
        icon = "openquote"
        label = _("Case story")
        template = "blocks/case_story_block.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(
        label=_("who said it"),
        max_length=120,
        required=False,
        default="",
        help_text=_("Only with their permission. A first name or a role is enough, for example 'a mother of three'."),
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote_block.html"


class ChecklistBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120, help_text=HEADING_HELP)
    items = blocks.ListBlock(blocks.CharBlock(label=_("item"), max_length=200), label=_("items"), min_num=1)

    class Meta:
        icon = "tasks"
        label = _("Checklist")
        template = "blocks/checklist_block.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    description = blocks.CharBlock(
        label=_("what is in it"),
        max_length=200,
        required=False,
        default="",
        help_text=_("One sentence, for example 'a blank form'."),
    )

    class Meta:
        icon = "doc-full-inverse"
        label = _("Document")
        template = "blocks/document_block.html"


class RelatedOffersBlock(blocks.StructBlock):
    """Offers from the catalogue that put the expertise into practice; only published ones are shown."""

    heading = blocks.CharBlock(label=_("heading"), max_length=120, help_text=HEADING_HELP)
    offers = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="catalogue.OfferPage", label=_("offer")), label=_("offers"), min_num=1
    )

    class Meta:
        icon = "link"
        label = _("Related offers")
        template = "blocks/related_offers_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["live_offers"] = [page.specific for page in value["offers"] if page is not None and page.live]
        return context


class ExpertiseStreamBlock(blocks.StreamBlock):
    section = SectionBlock()
    method_steps = MethodStepsBlock()
    case_story = CaseStoryBlock()
    quote = QuoteBlock()
    checklist = ChecklistBlock()
    document = DocumentBlock()
    related_offers = RelatedOffersBlock()


class NewsStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("text"), features=SECTION_FEATURES, help_text=PLAIN_LANGUAGE_HELP)
    section = SectionBlock()
    quote = QuoteBlock()
    document = DocumentBlock()
