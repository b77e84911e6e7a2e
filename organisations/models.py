"""Organisations, memberships and the organisation's page in the site tree."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Locale, Page

from .roles import Role


class OrganisationKind(models.TextChoices):
    CITY_CULTURE = "city_culture", _("City culture service")
    CITY_SPORT = "city_sport", _("City sport service")
    CITY_YOUTH = "city_youth", _("City youth service")
    OCMW = "ocmw", _("OCMW (public social welfare centre)")
    POVERTY_ASSOCIATION = "poverty_association", _("Sta-An or an association where people in poverty speak")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisation")
    LEISURE_PROVIDER = "leisure_provider", _("Leisure provider")


UITDATABANK_ID = RegexValidator(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    _("Give the organizer's UiTdatabank id, such as 5e0b3f9c-5947-46a0-b8f2-a1a5a37f3b83 (the end of its address)."),
)


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
    # The live pull (catalogue.importing.uitdatabank_api) takes the events and places these select in UiTdatabank.
    uitdatabank_organizer_id = models.CharField(
        _("UiTdatabank organizer id"),
        max_length=36,
        blank=True,
        validators=[UITDATABANK_ID],
        help_text=_("The events and places this organizer has in UiTdatabank are pulled in every night."),
    )
    uitdatabank_label = models.CharField(
        _("UiTdatabank label"),
        max_length=255,
        blank=True,
        help_text=_(
            "The events and places with this label in UiTdatabank are pulled in every night; "
            "with an organizer id as well, only that organizer's offers with the label."
        ),
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
        MultiFieldPanel(
            [FieldPanel("uitdatabank_organizer_id"), FieldPanel("uitdatabank_label")],
            heading=_("UiTdatabank"),
        ),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def pulls_from_uitdatabank(self) -> bool:
        return bool(self.uitdatabank_organizer_id or self.uitdatabank_label)


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


class UntranslatablePageMixin:
    """For page types that exist once, in the default locale: the partner directory, organisations and offers.

    They are the catalogue's data: a translation or alias in another locale would be a second copy of
    each offer in the catalogue, its search and its feeds. wagtail-localize's translate actions are
    hidden for them (organisations.wagtail_hooks); this refuses any other way of making one.
    """

    def clean(self) -> None:
        super().clean()
        self._refuse_other_locales()

    def minimal_clean(self) -> None:
        """Wagtail's validation of a draft, which is how a translation starts."""
        super().minimal_clean()
        self._refuse_other_locales()

    def _refuse_other_locales(self) -> None:
        if self.locale_id is not None and self.locale_id != Locale.get_default().pk:
            raise ValidationError(_("Partner pages and offers are not translated: they exist in Dutch only."))


def is_translatable(page_type: type[Page] | None) -> bool:
    return not (page_type and issubclass(page_type, UntranslatablePageMixin))


class OrganisationIndexPage(UntranslatablePageMixin, Page):
    """The partner directory: every organisation's page lives under it."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["organisations.OrganisationPage"]
    parent_page_types = ["portal.HomePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("partner directory")

    def get_context(self, request, *args, **kwargs):
        """The directory, generated from the organisations: grouped by kind, each with its live offers count.

        A network's directory lists that network's partners, wherever their page lives (a partner shared
        by two networks has its page in one directory); a directory on no network's site, its own children.
        """
        from .networks import network_for_site

        context = super().get_context(request, *args, **kwargs)
        network = network_for_site(self.get_site())
        organisation_pages = (
            OrganisationPage.objects.filter(organisation__networks=network)
            if network is not None
            else OrganisationPage.objects.child_of(self)
        )
        pages = list(
            organisation_pages.live()
            .select_related("organisation")
            .annotate(
                live_offers=models.Count("organisation__offers", filter=models.Q(organisation__offers__live=True))
            )
            .order_by("title")
        )
        context["organisation_pages"] = pages
        context["kinds"] = [
            {"value": value, "label": label, "pages": [page for page in pages if page.organisation.kind == value]}
            for value, label in OrganisationKind.choices
            if any(page.organisation.kind == value for page in pages)
        ]
        return context


class OrganisationPage(UntranslatablePageMixin, Page):
    """An organisation's place in the site; its offers are its child pages."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="page"
    )

    content_panels = [*Page.content_panels, FieldPanel("organisation")]
    parent_page_types = ["organisations.OrganisationIndexPage"]
    subpage_types = ["catalogue.OfferPage"]

    class Meta:
        verbose_name = _("organisation page")


class ApiKey(models.Model):
    """A partner system's key to the offers API: it acts for one organisation and nothing else.

    Only a short public prefix (to find the row) and a keyed hash of the secret are stored; the
    plaintext is shown once, when the key is issued (see ``services.api_key_issue``).
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("Which system uses it, e.g. 'our booking site'."))
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(_("secret hash"), max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["organisation__name", "-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class OrganisationPrincipal:
    """Who acts when a request carries an API key: the key's organisation, not a person.

    It looks enough like a user for DRF and for ``permissions.can_edit_for`` (authenticated, never
    staff or superuser), so the one organisation rule decides what a key may change.
    """

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None

    def __init__(self, api_key: ApiKey) -> None:
        self.api_key = api_key
        self.organisation = api_key.organisation

    def __str__(self) -> str:
        return f"{self.organisation} ({self.api_key})"

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return False


# Only who may create a network sets its host, area, kind and coordinators; its coordinators edit the rest.
NETWORK_SETUP_PERMISSION = "organisations.add_network"


class NetworkKind(models.TextChoices):
    LOCAL = "local", _("Local network: one municipality")
    CITY = "city", _("City with districts")
    SUPRALOCAL = "supralocal", _("Supralocal network: several municipalities")
    BRUSSELS_VGC = "brussels_vgc", _("Brussels (VGC)")


class SubAreaLevel(models.TextChoices):
    """The level below the municipality a network works with: its filters, figures and offer pages use it."""

    DEELGEMEENTE = "deelgemeente", _("deelgemeenten")
    WIJK = "wijk", _("wijken")
    DISTRICT = "district", _("districts and the city's own neighbourhoods (Antwerp)")


class Network(models.Model):
    """A local or supralocal network for leisure participation: one of many on this installation.

    Its area is a set of municipalities; an offer belongs to every network whose area holds its
    point (``catalogue`` places it), so a partner working in several networks publishes once.
    Its site (home, vision note, expertise, news, directory) is a Wagtail site on its own host.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=NetworkKind.choices)
    municipalities = models.ManyToManyField(
        "catalogue.Area",
        verbose_name=_("municipalities"),
        related_name="networks",
        limit_choices_to={"level": "municipality"},
        help_text=_("The municipalities the network works in: its area."),
    )
    sub_area_level = models.CharField(
        _("sub-areas"), max_length=20, choices=SubAreaLevel.choices, default=SubAreaLevel.DEELGEMEENTE
    )
    site = models.OneToOneField(
        "wagtailcore.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network",
        help_text=_("The network's own site: its host name and home page."),
    )
    coordinators_group = models.OneToOneField(
        Group,
        verbose_name=_("coordinators group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_network",
        editable=False,
        help_text=_("Holds the page permissions on this network's site and partners; managed automatically."),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("coordinators"), related_name="coordinated_networks", blank=True
    )
    partners = models.ManyToManyField(Organisation, verbose_name=_("partners"), related_name="networks", blank=True)
    mediation_teams = models.ManyToManyField(
        Organisation,
        verbose_name=_("mediation teams"),
        related_name="mediation_networks",
        blank=True,
        help_text=_("The organisations whose mediators match clients in this network."),
    )
    reduced_tariff_rules = models.TextField(
        _("UiTPAS and reduced-tariff rules"),
        blank=True,
        help_text=_("Only where the network's rules differ from UiTPAS's usual ones, e.g. a regional UiTPAS."),
    )
    retention_days = models.JSONField(
        _("retention periods"),
        default=dict,
        blank=True,
        help_text=_("Days per kind of client data, where the network keeps it shorter than the installation."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug", permission=NETWORK_SETUP_PERMISSION),
        FieldPanel("kind", permission=NETWORK_SETUP_PERMISSION),
        MultiFieldPanel(
            [
                FieldPanel("municipalities", permission=NETWORK_SETUP_PERMISSION),
                FieldPanel("sub_area_level", permission=NETWORK_SETUP_PERMISSION),
            ],
            heading=_("Area"),
        ),
        FieldPanel("site", permission=NETWORK_SETUP_PERMISSION),
        FieldPanel("coordinators", permission=NETWORK_SETUP_PERMISSION),
        FieldPanel("partners"),
        FieldPanel("mediation_teams"),
        FieldPanel("reduced_tariff_rules"),
        FieldPanel("retention_days"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        defaults = settings.WORKSPACE_RETENTION_DAYS
        # The audit log answers who read a case: no network keeps it shorter than the installation.
        kinds = set(defaults) - {"audit_entry"}
        unknown = sorted(set(self.retention_days or {}) - kinds)
        if unknown:
            raise ValidationError(
                {"retention_days": _("Unknown kind of data: %(kinds)s.") % {"kinds": ", ".join(unknown)}}
            )
        for kind, days in (self.retention_days or {}).items():
            if not isinstance(days, int) or not 0 < days <= defaults[kind]:
                raise ValidationError(
                    {
                        "retention_days": _("%(kind)s: give whole days, from 1 to the installation's %(limit)s.")
                        % {"kind": kind, "limit": defaults[kind]}
                    }
                )

    def retention(self, kind: str) -> int:
        """Days this network keeps one kind of client data: its own period, never longer than the installation's."""
        return min(
            self.retention_days.get(kind, settings.WORKSPACE_RETENTION_DAYS[kind]),
            settings.WORKSPACE_RETENTION_DAYS[kind],
        )

    def municipality_codes(self) -> list[str]:
        return sorted(self.municipalities.values_list("code", flat=True))
