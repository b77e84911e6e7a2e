"""Client cases, their shortlists and the append-only audit log; a case never holds a name.

A case belongs to one organisation (the mediator's); who may see it is decided by
``organisations.permissions.cases_visible_to`` and nowhere else.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.models import DutchLevel

from .validators import validate_case_code


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ClientCase(models.Model):
    """What one client needs, under a pseudonymous code; the mediator keeps who it is outside the system."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="client_cases",
        editable=False,
    )
    code = models.CharField(
        _("case code"),
        max_length=20,
        validators=[validate_case_code],
        help_text=_("A code only you can link to the client, for example KX-4821. Never a name or number."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    # Who takes part: the client and, where they come along, family members.
    ages = models.JSONField(_("ages"), default=list, blank=True)
    # Money
    budget = models.DecimalField(
        _("budget per session (EUR)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    has_uitpas = models.BooleanField(_("has UiTPAS with opportunity tariff"), default=False)
    social_tariff = models.BooleanField(_("qualifies for a social tariff"), default=False)
    # Where
    home_neighbourhood = models.ForeignKey(
        "catalogue.Neighbourhood",
        verbose_name=_("home neighbourhood"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    travel_km = models.FloatField(
        _("can travel (km)"), null=True, blank=True, validators=[MinValueValidator(0.1), MaxValueValidator(100)]
    )
    # Accessibility facts the client needs (catalogue.facts.ACCESSIBILITY_FACTS field names).
    accessibility = models.JSONField(_("accessibility needs"), default=list, blank=True)
    # Language
    dutch_level = models.PositiveSmallIntegerField(
        _("Dutch the client has"), choices=DutchLevel.choices, null=True, blank=True
    )
    languages = models.ManyToManyField(
        "catalogue.Language", verbose_name=_("other languages"), blank=True, related_name="+"
    )
    # Interests
    domains = models.JSONField(_("domains"), default=list, blank=True)
    themes = models.ManyToManyField("catalogue.Theme", verbose_name=_("themes"), blank=True, related_name="+")
    # Time
    weekdays = models.JSONField(_("available days"), default=list, blank=True)
    parts_of_day = models.JSONField(_("available parts of the day"), default=list, blank=True)
    # Thresholds the mediator sees
    needs_childcare = models.BooleanField(_("needs childcare"), default=False)
    needs_contact_person = models.BooleanField(_("needs a named contact person"), default=False)
    wants_companion = models.BooleanField(_("wants to bring a companion"), default=False)
    no_experience = models.BooleanField(_("has no experience"), default=False)
    wants_free_trial = models.BooleanField(_("wants a free first try"), default=False)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("client case")
        verbose_name_plural = _("client cases")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                name="unique_case_code_per_organisation",
                violation_error_message=_("Your organisation already has a case with this code."),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        super().clean()
        if any(not isinstance(age, int) or not 0 <= age <= 120 for age in self.ages):
            raise ValidationError({"ages": _("Each age is a whole number from 0 to 120.")})


class ShortlistItem(models.Model):
    """An offer the mediator keeps in mind for one case."""

    case = models.ForeignKey(ClientCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="shortlist")
    offer = models.ForeignKey(
        "catalogue.OfferPage", verbose_name=_("offer"), on_delete=models.CASCADE, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["added_at"]
        verbose_name = _("shortlisted offer")
        verbose_name_plural = _("shortlisted offers")
        constraints = [models.UniqueConstraint(fields=["case", "offer"], name="unique_shortlist_offer")]

    def __str__(self) -> str:
        return f"{self.case_id} – {self.offer_id}"


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    READ = "read", _("read")
    UPDATE = "update", _("changed")
    SHORTLIST_ADD = "shortlist_add", _("added to shortlist")
    SHORTLIST_REMOVE = "shortlist_remove", _("removed from shortlist")
    SHEET = "sheet", _("made a client sheet")
    EXPORT = "export", _("exported")
    REFER = "refer", _("referred")
    REFERRAL_STATUS = "referral_status", _("changed a referral")
    DELETE = "delete", _("deleted")


class AuditEntryQuerySet(models.QuerySet):
    """Refuses bulk updates and deletes; only the retention period removes entries (``expire_before``)."""

    def update(self, **kwargs):
        raise ValidationError(_("The audit log cannot be changed."))

    def delete(self):
        raise ValidationError(_("The audit log cannot be changed."))

    def expire_before(self, moment) -> int:
        """Remove entries older than the retention period; the one way entries ever leave the log."""
        return models.QuerySet.delete(self.filter(at__lt=moment))[0]


class AuditEntry(models.Model):
    """One read or change of a case: append-only, so the log can be trusted.

    It holds copies (user name, organisation name, case code) rather than keys, so an entry
    outlives a deleted case or account and can never be rewritten through them.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user_id = models.BigIntegerField(_("user id"), null=True)
    username = models.CharField(_("user"), max_length=150)
    organisation_id = models.BigIntegerField(_("organisation id"), null=True, db_index=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    case_code = models.CharField(_("case code"), max_length=20, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.case_code}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("The audit log cannot be changed."))
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The audit log cannot be changed."))


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONTACTED = "contacted", _("Contacted")
    FIRST_VISIT = "first_visit", _("First visit")
    PARTICIPATING = "participating", _("Participating")
    STOPPED = "stopped", _("Stopped")
    NO_RESPONSE = "no_response", _("No response")


class ThresholdGroup(models.TextChoices):
    """The threshold groups of the network's vision; a stop or an unmet need names one."""

    FINANCIAL = "financial", _("Financial")
    PRACTICAL = "practical", _("Practical")
    ACCESSIBILITY = "accessibility", _("Physical or sensory accessibility")
    SOCIAL = "social", _("Social or psychological")
    LANGUAGE = "language", _("Language or cultural")
    INFORMATION = "information", _("Information")
    OTHER = "other", _("Other")


class ContactArrangement(models.TextChoices):
    PARTNER_CALLS_MEDIATOR = "partner_calls_mediator", _("The partner calls the mediator to plan the first visit")
    MEDIATOR_COMES_ALONG = "mediator_comes_along", _("The mediator comes along to the first visit")
    CLIENT_COMES = "client_comes", _("The client comes at the time on the sheet and asks for the contact person")


class WelcomeRating(models.IntegerChoices):
    COLD = 1, _("Not welcoming")
    OK = 2, _("Welcoming enough")
    WARM = 3, _("Very welcoming")


class Referral(models.Model):
    """A client referred to an offer ("toeleiding"), after the client agreed to share the case code and wishes.

    The partner sees only the case code, the first-visit wishes and the contact arrangement. The
    offer's organisation and domain are copied so the figures survive an offer's deletion.
    """

    case = models.ForeignKey(ClientCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="referrals")
    offer = models.ForeignKey(
        "catalogue.OfferPage", verbose_name=_("offer"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    offer_title = models.CharField(_("offer"), max_length=255)
    partner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("partner"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="received_referrals",
    )
    domain = models.CharField(_("domain"), max_length=20)
    district = models.CharField(_("district"), max_length=100, blank=True)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    consent_at = models.DateTimeField(_("consent recorded at"))
    first_visit_wishes = models.TextField(
        _("wishes for the first visit"),
        max_length=500,
        blank=True,
        help_text=_("For example: prefers a morning, would like to watch first. No names or contact details."),
    )
    contact_arrangement = models.CharField(_("contact arrangement"), max_length=30, choices=ContactArrangement.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED
    )
    stop_reason = models.CharField(_("why it stopped"), max_length=20, choices=ThresholdGroup.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    sent_at = models.DateTimeField(_("sent at"))
    first_visit_on = models.DateField(_("first visit on"), null=True, blank=True)
    welcome_rating = models.PositiveSmallIntegerField(
        _("how welcoming it was"), choices=WelcomeRating.choices, null=True, blank=True
    )
    # Reminder markers, so the reminders command can run any number of times a day.
    partner_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    coordinator_told_at = models.DateTimeField(null=True, blank=True, editable=False)
    aftercare_done = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.case.code} → {self.offer_title}"


class ReferralStatusChange(models.Model):
    """Every status a referral went through, with who changed it and when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices)
    stop_reason = models.CharField(_("why it stopped"), max_length=20, choices=ThresholdGroup.choices, blank=True)
    by_username = models.CharField(_("by"), max_length=150)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("referral status change")
        verbose_name_plural = _("referral status changes")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.status} {self.at:%Y-%m-%d}"


class UnmetNeed(models.Model):
    """A need no offer meets ("signaleren"); it never points to a case, so it can be kept and counted."""

    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    domain = models.CharField(_("domain"), max_length=20, blank=True)
    neighbourhood = models.ForeignKey(
        "catalogue.Neighbourhood",
        verbose_name=_("neighbourhood"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    threshold = models.CharField(_("threshold that blocked"), max_length=20, choices=ThresholdGroup.choices, blank=True)
    automatic = models.BooleanField(_("from a search without result"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("unmet need")
        verbose_name_plural = _("unmet needs")

    def __str__(self) -> str:
        return f"{self.domain or '-'} {self.neighbourhood_id or '-'} {self.threshold or '-'}"
