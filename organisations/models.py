"""Organisations, memberships and the organisation's page in the site tree."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

from .roles import Role


class OrganisationKind(models.TextChoices):
    CITY_CULTURE = "city_culture", _("City culture service")
    CITY_SPORT = "city_sport", _("City sport service")
    CITY_YOUTH = "city_youth", _("City youth service")
    OCMW = "ocmw", _("OCMW (public social welfare centre)")
    POVERTY_ASSOCIATION = "poverty_association", _("Sta-An or an association where people in poverty speak")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisation")
    LEISURE_PROVIDER = "leisure_provider", _("Leisure provider")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=OrganisationKind.choices)
    description = models.TextField(_("what we offer"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    street_address = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("municipality"), max_length=100, blank=True)
    editors_group = models.OneToOneField(
        Group,
        verbose_name=_("editors group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="edited_organisation",
        help_text=_("Holds the page permissions on this organisation's offers; managed automatically."),
        editable=False,
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("email"), FieldPanel("phone"), FieldPanel("website")],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [FieldPanel("street_address"), FieldPanel("postal_code"), FieldPanel("city")],
            heading=_("Address"),
        ),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class OrganisationIndexPage(Page):
    """The partner directory: every organisation's page lives under it."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["organisations.OrganisationPage"]
    max_count = 1

    class Meta:
        verbose_name = _("partner directory")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["organisation_pages"] = (
            OrganisationPage.objects.child_of(self).live().select_related("organisation").order_by("title")
        )
        return context


class OrganisationPage(Page):
    """An organisation's place in the site; its offers are its child pages."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="page"
    )

    content_panels = [*Page.content_panels, FieldPanel("organisation")]
    parent_page_types = ["organisations.OrganisationIndexPage"]
    subpage_types = ["catalogue.OfferPage"]

    class Meta:
        verbose_name = _("organisation page")

    def get_context(self, request, *args, **kwargs):
        from catalogue.models import OfferPage

        context = super().get_context(request, *args, **kwargs)
        context["offers"] = (
            OfferPage.objects.child_of(self).live().select_related("neighbourhood__district").order_by("title")
        )
        return context
