"""Client cases, their shortlists and the append-only audit log; a case never holds a name.

A case belongs to one organisation (the mediator's); who may see it is decided by
``organisations.permissions.cases_visible_to`` and nowhere else.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import DutchLevel
from search.query import BudgetPer

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
        _("budget (EUR)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_per = models.CharField(
        _("the budget is"), max_length=10, choices=BudgetPer.choices, default=BudgetPer.SESSION
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
    INTAKE_CONTACT = "intake_contact", _("read a resident's contact")
    TRIAGE = "triage", _("triaged an intake")
    TRAJECTORY = "trajectory", _("changed the trajectory")
    STEP = "step", _("recorded a step")
    EVALUATION = "evaluation", _("recorded an evaluation")
    INTERVENTION = "intervention", _("recorded a fund intervention")
    ENROL = "enrol", _("enrolled in a group programme")
    ATTENDANCE = "attendance", _("recorded attendance")


class AuditEntryQuerySet(models.QuerySet):
    """Refuses bulk updates and deletes; only the retention purge removes entries (``purge_expired``).

    The database refuses them too, whatever the path (``portal/workspace/audit_guard.py``).
    """

    def update(self, **kwargs):
        raise ValidationError(_("The audit log cannot be changed."))

    def delete(self):
        raise ValidationError(_("The audit log cannot be changed."))

    def purge_expired(self, *, retention_days: int) -> int:
        """Remove entries older than the retention period, counted from now; the one way entries leave the log.

        The purge is recorded first (``AuditPurge``): the database allows deleting only entries older
        than a recorded purge's cutoff, and refuses to record a cutoff that is not past the period.
        """
        cutoff = timezone.now() - timedelta(days=retention_days)
        AuditPurge.objects.create(cutoff=cutoff, retention_days=retention_days)
        return models.QuerySet.delete(self.filter(at__lt=cutoff))[0]


class AuditPurge(models.Model):
    """A run of the audit log's retention purge: when, and up to which moment it removed entries."""

    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)
    cutoff = models.DateTimeField(_("removed entries before"))
    retention_days = models.PositiveIntegerField(_("retention period (days)"))

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("audit log purge")
        verbose_name_plural = _("audit log purges")

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} < {self.cutoff:%Y-%m-%d}"


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


class PlaceStatus(models.TextChoices):
    """A reserved place ("kansenplaats") asked for with a referral; the partner answers within set days."""

    NONE = "", _("No reserved place asked")
    REQUESTED = "requested", _("Reserved place asked")
    CONFIRMED = "confirmed", _("Reserved place confirmed")
    DECLINED = "declined", _("Reserved place declined")
    LAPSED = "lapsed", _("Reserved place request lapsed")
    USED = "used", _("Reserved place used")


# The requests that hold one of the offer's kept places, and those that take one of its places.
PLACE_HOLDING = (PlaceStatus.REQUESTED, PlaceStatus.CONFIRMED, PlaceStatus.USED)
PLACE_TAKING = (PlaceStatus.CONFIRMED, PlaceStatus.USED)


class WelcomeRating(models.IntegerChoices):
    COLD = 1, _("Not welcoming")
    OK = 2, _("Welcoming enough")
    WARM = 3, _("Very welcoming")


class Referral(models.Model):
    """A client referred to an offer ("toeleiding"), after the client agreed to share the case code and wishes.

    The partner sees only the case code, the first-visit wishes and the contact arrangement (with the
    mediator's name and work phone when the partner is to call the mediator). The
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
    # Only when the partner calls the mediator: the mediator's work phone, never the client's.
    mediator_phone = models.CharField(_("mediator's work phone"), max_length=20, blank=True)
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
    place_status = models.CharField(
        _("reserved place"), max_length=20, choices=PlaceStatus.choices, blank=True, default=PlaceStatus.NONE
    )
    place_price = models.DecimalField(
        _("price of the reserved place (EUR)"), max_digits=8, decimal_places=2, null=True, blank=True, editable=False
    )
    place_answer_by = models.DateField(_("partner answers by"), null=True, blank=True, editable=False)
    place_answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
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

    @property
    def partner_calls_mediator(self) -> bool:
        return self.contact_arrangement == ContactArrangement.PARTNER_CALLS_MEDIATOR

    @property
    def mediator_name(self) -> str:
        """Who the partner calls: the referring mediator's full name, or their username when it has none."""
        if self.created_by is None:
            return ""
        return self.created_by.get_full_name() or self.created_by.get_username()


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
    # Where the need was: the figures across networks count unmet needs per municipality.
    municipality = models.ForeignKey(
        "catalogue.Area",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"level": "municipality"},
    )
    threshold = models.CharField(_("threshold that blocked"), max_length=20, choices=ThresholdGroup.choices, blank=True)
    note = models.CharField(_("what was missing"), max_length=200, blank=True)
    automatic = models.BooleanField(_("from a search without result"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("unmet need")
        verbose_name_plural = _("unmet needs")
        permissions = [("view_platform_figures", _("Can see the anonymised figures across networks"))]

    def __str__(self) -> str:
        return f"{self.domain or '-'} {self.neighbourhood_id or '-'} {self.threshold or '-'}"


# --- Trajectories (issue 15): intake, triage, the trajectory, evaluations and participation funds ---------

# The six threshold groups a referrer or mediator names; "other" is for stops and unmet needs only.
THRESHOLD_GROUPS = [choice for choice in ThresholdGroup.choices if choice[0] != ThresholdGroup.OTHER]


class IntakeSource(models.TextChoices):
    OTHER_SERVICE = "other_service", _("A social worker of another service")
    OWN_SERVICE = "own_service", _("The leisure service itself")
    RESIDENT = "resident", _("A resident who asks for help")


class ReferrerKind(models.TextChoices):
    OCMW_OFFICE = "ocmw_office", _("OCMW neighbourhood office")
    CAW = "caw", _("CAW (centre for general welfare work)")
    SCHOOL = "school", _("School or pupil guidance centre (CLB)")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisation")
    CARE = "care", _("Health or mental health care")
    LEISURE_SERVICE = "leisure_service", _("The leisure service itself")
    OTHER = "other", _("Other")


class ContactWay(models.TextChoices):
    """How a first contact can happen; the intake proposes one, the first-contact step records the one used."""

    HOME_VISIT = "home_visit", _("A home visit")
    OFFICE_HOURS = "office_hours", _("At the team's office hours")
    AT_REFERRER = "at_referrer", _("At the referring organisation")
    AT_PROVIDER = "at_provider", _("At the provider of the activity")
    PHONE = "phone", _("By phone")


class IntakeStatus(models.TextChoices):
    NEW = "new", _("Waiting for triage")
    MORE_INFO = "more_info", _("More information asked")
    ACCEPTED = "accepted", _("Accepted")
    REDIRECTED = "redirected", _("Redirected to another service")
    DECLINED = "declined", _("Declined")


class IntakeEvent(models.TextChoices):
    """What happened to an intake, as its referrer reads it: status, never the case's content."""

    RECEIVED = "received", _("Received by the team")
    TAKEN = "taken", _("A mediator is looking at it")
    MORE_INFO = "more_info", _("The team asks for more information")
    INFORMATION_ADDED = "information_added", _("More information was added")
    ACCEPTED = "accepted", _("Accepted: a mediator starts a trajectory")
    REDIRECTED = "redirected", _("Redirected to another service")
    DECLINED = "declined", _("Declined")
    FIRST_CONTACT = "first_contact", _("First contact done")
    CLOSED = "closed", _("The trajectory was closed")


class Intake(models.Model):
    """A referral to the mediation team ("aanmelding"): from a referrer's account, the public form, or a resident.

    The referrer is a professional and leaves their work contact. A resident who asks for help
    leaves a way to be reached; that contact is stored encrypted (``contact.py``) and erased at the
    first contact or after ``WORKSPACE_RETENTION_DAYS["resident_contact"]``, whichever comes first.
    Who reads the content is decided by ``organisations.permissions.intakes_visible_to``.
    """

    team = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("mediation team"),
        on_delete=models.PROTECT,
        related_name="intakes",
    )
    source = models.CharField(_("who refers"), max_length=20, choices=IntakeSource.choices)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    referrer_organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    referrer_organisation_name = models.CharField(_("referring organisation"), max_length=200, blank=True)
    referrer_kind = models.CharField(_("kind of organisation"), max_length=30, choices=ReferrerKind.choices, blank=True)
    referrer_name = models.CharField(_("your name"), max_length=150, blank=True)
    referrer_email = models.EmailField(_("your work e-mail"), blank=True)
    referrer_phone = models.CharField(_("your work phone"), max_length=40, blank=True)
    question = models.TextField(_("the question"), max_length=600)
    motivation = models.TextField(_("why a mediator could help"), max_length=1500, blank=True)
    extra_information = models.TextField(_("more information"), max_length=3000, blank=True, editable=False)
    thresholds = models.JSONField(_("thresholds seen"), default=list, blank=True)
    household_ages = models.JSONField(_("ages in the household"), default=list, blank=True)
    neighbourhood = models.ForeignKey(
        "catalogue.Neighbourhood",
        verbose_name=_("neighbourhood"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    first_contact_way = models.CharField(_("first contact"), max_length=20, choices=ContactWay.choices)
    client_agreed = models.BooleanField(_("the client agreed"), default=False)
    # A Fernet token (text), never the contact in plain; empty once erased.
    resident_contact = models.TextField(blank=True, editable=False)
    resident_contact_erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=IntakeStatus.choices, default=IntakeStatus.NEW)
    # The referrer's link to the status page when they have no account: long, random, unguessable.
    status_token = models.CharField(max_length=64, unique=True, editable=False)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    redirected_to = models.CharField(_("redirected to"), max_length=200, blank=True)
    decision_reason = models.TextField(_("reason"), max_length=600, blank=True)
    # Deleting the case deletes the intake with it: its content belongs to the case from then on.
    case = models.OneToOneField(
        ClientCase, null=True, blank=True, on_delete=models.CASCADE, related_name="intake", editable=False
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    changed_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The intake's number as people say it and the audit log records it, e.g. AM-0042."""
        return f"AM-{self.pk:04d}" if self.pk else "AM-"

    @property
    def has_resident_contact(self) -> bool:
        return bool(self.resident_contact)

    @property
    def is_open(self) -> bool:
        return self.status in (IntakeStatus.NEW, IntakeStatus.MORE_INFO)

    @property
    def last_change(self) -> "IntakeChange | None":
        """The latest event (from the prefetched history when there is one)."""
        changes = list(self.changes.all())
        return changes[-1] if changes else None

    @property
    def threshold_labels(self) -> list[str]:
        labels = dict(THRESHOLD_GROUPS)
        return [str(labels[value]) for value in self.thresholds if value in labels]


class IntakeChange(models.Model):
    """One event in an intake's life, with the short message its referrer reads; sent once (``notified_at``)."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="changes")
    event = models.CharField(_("what happened"), max_length=20, choices=IntakeEvent.choices)
    message = models.TextField(_("message for the referrer"), max_length=600, blank=True)
    by_username = models.CharField(_("by"), max_length=150)
    at = models.DateTimeField(_("at"), default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("intake change")
        verbose_name_plural = _("intake changes")

    def __str__(self) -> str:
        return f"{self.intake_id} {self.event} {self.at:%Y-%m-%d}"


class TrajectoryKind(models.TextChoices):
    SHORT = "short", _("Short: a clear question, mainly information thresholds")
    LONG = "long", _("Long: underlying needs, trust comes first")


class Destination(models.TextChoices):
    """Where a client went when the trajectory closed."""

    REGULAR_OFFER = "regular_offer", _("The regular offer, on their own")
    GROUP = "group", _("A group activity")
    OTHER_SERVICE = "other_service", _("Another service")
    STOPPED = "stopped", _("Stopped")


class Trajectory(models.Model):
    """The guidance of one case ("begeleidingstraject"): its kind, goals in the client's words, steps, evaluations."""

    case = models.OneToOneField(
        ClientCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="trajectory", editable=False
    )
    kind = models.CharField(_("kind of trajectory"), max_length=10, choices=TrajectoryKind.choices)
    goals = models.TextField(
        _("goals, in the client's words"),
        max_length=1000,
        blank=True,
        help_text=_("For example: 'I want to get out of the house once a week.' No names or contact details."),
    )
    main_threshold = models.CharField(
        _("main threshold"), max_length=20, choices=THRESHOLD_GROUPS, blank=True, db_index=True
    )
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mediator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_on = models.DateField(_("started on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    destination = models.CharField(
        _("where the client went"), max_length=20, choices=Destination.choices, blank=True, editable=False
    )
    closure_reason = models.CharField(
        _("why"), max_length=20, choices=ThresholdGroup.choices, blank=True, editable=False
    )

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.started_on}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class StepKind(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("First contact")
    ACCOMPANIED_ACTIVITY = "accompanied_activity", _("Accompanied activity")
    # Enrolling a case in a group programme records this step (portal.workspace.groups); its note names it.
    GROUP_PROGRAMME = "group_programme", _("Group programme")
    REGULAR_OFFER = "regular_offer", _("Referral to the regular offer")
    AFTERCARE = "aftercare", _("Aftercare check")


class TrajectoryStep(models.Model):
    """One step on a trajectory's timeline: planned (in the agenda) or done."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind of step"), max_length=30, choices=StepKind.choices)
    on = models.DateField(_("date"))
    done = models.BooleanField(_("done"), default=False)
    contact_way = models.CharField(_("how"), max_length=20, choices=ContactWay.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("short note"), max_length=300, blank=True)
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("referral"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="steps",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("trajectory step")
        verbose_name_plural = _("trajectory steps")

    def __str__(self) -> str:
        return f"{self.trajectory_id} {self.kind} {self.on}"


class EffectScore(models.IntegerChoices):
    """A four-point answer a mediator gives in seconds; no middle, and never shown to the client as a mark."""

    HARDLY = 1, _("Hardly")
    A_LITTLE = 2, _("A little")
    CLEARLY = 3, _("Clearly")
    STRONGLY = 4, _("Strongly")


class Independence(models.IntegerChoices):
    WITH_MEDIATOR = 1, _("Only with the mediator there")
    WITH_COMPANION = 2, _("With a companion or buddy")
    WITH_CHECK_IN = 3, _("Mostly alone, with a check-in")
    ON_OWN = 4, _("On their own")


class LadderRung(models.IntegerChoices):
    """The activation ladder as OCMW Gent's social activation reports it."""

    CARE = 1, _("Care and assistance")
    LANGUAGE = 2, _("Language activation")
    SOCIAL = 3, _("Social activation")
    WORK_ACTIVATION = 4, _("Work activation")
    GUIDANCE_TO_WORK = 5, _("Guidance to work")
    WORK = 6, _("Work")


# The three effects the practice names, in the order the form and the chart show them.
EFFECT_DIMENSIONS = ("intrapersonal", "interpersonal", "other_domains")


class Evaluation(models.Model):
    """A two-minute look at the effects, at the start and every ``WORKSPACE_EVALUATION_MONTHS`` months."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="evaluations")
    on = models.DateField(_("date"))
    intrapersonal = models.PositiveSmallIntegerField(_("self-confidence"), choices=EffectScore.choices)
    interpersonal = models.PositiveSmallIntegerField(_("social contacts and network"), choices=EffectScore.choices)
    other_domains = models.PositiveSmallIntegerField(_("other life domains"), choices=EffectScore.choices)
    independence = models.PositiveSmallIntegerField(_("takes part independently"), choices=Independence.choices)
    ladder_rung = models.PositiveSmallIntegerField(
        _("activation ladder"), choices=LadderRung.choices, null=True, blank=True
    )
    note = models.CharField(_("short note"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return f"{self.trajectory_id} {self.on}"


class FundCategory(models.TextChoices):
    MEMBERSHIP = "membership", _("Membership fee")
    TICKET = "ticket", _("Ticket or entrance")
    EQUIPMENT = "equipment", _("Equipment or clothing")
    TRANSPORT = "transport", _("Transport")
    CAMP = "camp", _("Camp or course")
    OTHER = "other", _("Other")


class Fund(models.TextChoices):
    PARTICIPATION = "participation", _("Participation and social activation (POD MI)")
    CHILD_POVERTY = "child_poverty", _("Its child-poverty part (POD MI)")
    LOCAL = "local", _("The local authority's own fund")
    OTHER = "other", _("Another fund")


class FundIntervention(models.Model):
    """What a participation fund paid for a case; kept for the OCMW's accounts after the case is gone.

    For a group activity with a mixed public only the target group's share is charged (POD MI:
    6 of 20 participants pay 6/20 of the cost); ``amount`` is what the fund pays.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="fund_interventions", editable=False
    )
    case = models.ForeignKey(
        ClientCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="interventions", editable=False
    )
    # The case's number, kept so the yearly report still counts cases after the case itself is purged.
    case_ref = models.BigIntegerField(editable=False)
    on = models.DateField(_("date"))
    category = models.CharField(_("what it paid"), max_length=20, choices=FundCategory.choices)
    fund = models.CharField(_("fund"), max_length=20, choices=Fund.choices)
    total_cost = models.DecimalField(
        _("cost (EUR)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    group_target = models.PositiveIntegerField(_("participants from the target group"), null=True, blank=True)
    group_total = models.PositiveIntegerField(_("participants in all"), null=True, blank=True)
    amount = models.DecimalField(_("paid by the fund (EUR)"), max_digits=10, decimal_places=2, editable=False)
    note = models.CharField(_("short note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("fund intervention")
        verbose_name_plural = _("fund interventions")

    def __str__(self) -> str:
        return f"{self.on} {self.fund} {self.category} {self.amount}"


class FundBudget(models.Model):
    """A fund's budget for one year in one organisation, set by its coordinator (the OCMW lead)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="fund_budgets", editable=False
    )
    fund = models.CharField(_("fund"), max_length=20, choices=Fund.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    amount = models.DecimalField(
        _("budget (EUR)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "fund"]
        verbose_name = _("fund budget")
        verbose_name_plural = _("fund budgets")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "fund", "year"], name="unique_fund_budget_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.fund} {self.year}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("enrolled")
    WAITING = "waiting", _("on the waiting list")
    LEFT = "left", _("left")


class ProgrammeOutcome(models.TextChoices):
    REGULAR_OFFER = "regular_offer", _("went on to the regular offer")
    OTHER_PROGRAMME = "other_programme", _("went on to another programme")
    STOPPED = "stopped", _("stopped")


class Enrolment(models.Model):
    """A case in a group programme: holding a place, or waiting for one in order (``position``).

    The partner guiding the programme sees the case code only (portal.workspace.groups).
    """

    case = models.ForeignKey(ClientCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="enrolments")
    offer = models.ForeignKey(
        "catalogue.OfferPage", verbose_name=_("group programme"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=EnrolmentStatus.choices)
    position = models.PositiveIntegerField(_("place on the waiting list"), null=True, blank=True)
    outcome = models.CharField(_("afterwards"), max_length=20, choices=ProgrammeOutcome.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    absence_prompted = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["status", "position", "created_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["case", "offer"], name="one_enrolment_per_case_and_programme")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.offer_id} {self.status}"


class Presence(models.TextChoices):
    PRESENT = "present", _("present")
    EXCUSED = "excused", _("excused")
    ABSENT = "absent", _("absent without notice")


class Attendance(models.Model):
    """Whether an enrolled case came to one session of the programme, recorded by the guide."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    session = models.ForeignKey("catalogue.OfferSession", on_delete=models.CASCADE, related_name="+")
    presence = models.CharField(_("attendance"), max_length=10, choices=Presence.choices)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="one_attendance_per_enrolment_and_session")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.session_id} {self.presence}"
