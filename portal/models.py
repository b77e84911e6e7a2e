"""CMS pages of the portal: the home page with the network's three tracks."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page


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
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from catalogue.selectors import recent_offers

        context = super().get_context(request, *args, **kwargs)
        context["recent_offers"] = recent_offers(limit=6)
        return context
