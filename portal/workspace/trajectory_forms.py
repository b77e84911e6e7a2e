"""Short forms for intake, triage, the trajectory, evaluations and funds: plain words, no JavaScript needed."""

from datetime import date
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Neighbourhood

from .forms import parse_ages
from .intakes import Decision, IntakeInput, mediation_teams
from .models import (
    THRESHOLD_GROUPS,
    ContactWay,
    Destination,
    EffectScore,
    Fund,
    FundCategory,
    Independence,
    LadderRung,
    ReferrerKind,
    StepKind,
    ThresholdGroup,
    TrajectoryKind,
)
from .validators import validate_case_code

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
# What a resident can choose for a first contact: the team comes to them, they come to the team, or a call.
RESIDENT_CONTACT_WAYS = [ContactWay.PHONE, ContactWay.HOME_VISIT, ContactWay.OFFICE_HOURS]


def _neighbourhoods():
    return Neighbourhood.objects.select_related("district").defer("geometry").order_by("name")


class DateInput(forms.DateInput):
    """The browser's own date picker where it has one, and a plain text field that takes 31/12/2026 otherwise."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label, *, initial_today: bool = True, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        initial=timezone.localdate if initial_today else None,
        **kwargs,
    )


class EuroField(forms.DecimalField):
    """An amount in euro that takes a decimal comma (45,50) as well as a point."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("€", "").replace(" ", "").strip()
            if "," in value:
                value = value.replace(".", "").replace(",", ".")
        return super().to_python(value)


class HoneypotMixin(forms.Form):
    """A field people never see or fill; a form that comes back with it filled was sent by a robot."""

    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def is_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class _IntakeForm(HoneypotMixin):
    team = forms.ModelChoiceField(label=_("Mediation team"), queryset=None, empty_label=None)
    question = forms.CharField(
        label=_("What would the client like?"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In a few sentences, for example: 'She would like to swim again, with her son.' No names."),
    )
    thresholds = forms.MultipleChoiceField(
        label=_("What holds the client back?"),
        choices=THRESHOLD_GROUPS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    household_ages = forms.CharField(
        label=_("Ages of who would take part"),
        required=False,
        help_text=_("Separated by commas, for example: 34, 9."),
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"), queryset=None, required=False, empty_label=_("not known")
    )
    first_contact_way = forms.ChoiceField(
        label=_("How can the first contact happen?"), choices=ContactWay.choices, widget=forms.RadioSelect
    )
    client_agreed = forms.BooleanField(label=_("The client agrees to this referral"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        teams = mediation_teams()
        self.fields["team"].queryset = teams
        self.fields["neighbourhood"].queryset = _neighbourhoods()
        if teams.count() == 1:
            self.fields["team"].widget = forms.HiddenInput()
            self.initial["team"] = teams.first()

    def clean_household_ages(self) -> list[int]:
        return parse_ages(self.cleaned_data["household_ages"])

    def intake_input(self, **extra) -> IntakeInput:
        data = self.cleaned_data
        return IntakeInput(
            question=data["question"],
            motivation=data.get("motivation", ""),
            thresholds=list(data["thresholds"]),
            household_ages=data["household_ages"],
            neighbourhood=data["neighbourhood"],
            first_contact_way=data["first_contact_way"],
            client_agreed=data["client_agreed"],
            **extra,
        )


class ReferrerIntakeForm(_IntakeForm):
    """A social worker refers a client: who refers, the question and why, what holds the client back."""

    referrer_organisation_name = forms.CharField(label=_("Your organisation"), max_length=200, required=False)
    referrer_kind = forms.ChoiceField(
        label=_("Kind of organisation"), choices=[("", "—"), *ReferrerKind.choices], required=False
    )
    referrer_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    referrer_email = forms.EmailField(
        label=_("Your work e-mail"),
        required=False,
        help_text=_("You get a message here at each change. Never the client's address."),
    )
    referrer_phone = forms.CharField(label=_("Your work phone (optional)"), max_length=40, required=False)
    motivation = forms.CharField(
        label=_("Why could a mediator help?"),
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A short sketch of the situation and what you noticed. No names or contact details."),
    )

    field_order = [
        "team",
        "referrer_organisation_name",
        "referrer_kind",
        "referrer_name",
        "referrer_email",
        "referrer_phone",
        "question",
        "motivation",
        "thresholds",
        "household_ages",
        "neighbourhood",
        "first_contact_way",
        "client_agreed",
        "website",
    ]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        if organisations is not None and organisations.exists():
            # A signed-in referrer refers for their own organisation: it is known, not typed.
            del self.fields["referrer_organisation_name"]
            del self.fields["website"]
            self.fields["referrer_organisation"] = forms.ModelChoiceField(
                label=_("Your organisation"), queryset=organisations, empty_label=None
            )
            self.order_fields(["team", "referrer_organisation", *self.field_order[2:]])
            if organisations.count() == 1:
                self.fields["referrer_organisation"].widget = forms.HiddenInput()
                self.initial["referrer_organisation"] = organisations.first()

    def intake_input(self, **extra) -> IntakeInput:
        data = self.cleaned_data
        return super().intake_input(
            referrer_organisation=data.get("referrer_organisation"),
            referrer_organisation_name=data.get("referrer_organisation_name", ""),
            referrer_kind=data["referrer_kind"],
            referrer_name=data["referrer_name"],
            referrer_email=data["referrer_email"],
            referrer_phone=data["referrer_phone"],
            **extra,
        )

    def fieldsets(self) -> list[dict]:
        groups = (
            (
                _("Who refers"),
                (
                    "team",
                    "referrer_organisation",
                    "referrer_organisation_name",
                    "referrer_kind",
                    "referrer_name",
                    "referrer_email",
                    "referrer_phone",
                ),
            ),
            (_("The client's question"), ("question", "motivation", "thresholds")),
            (_("Who and where"), ("household_ages", "neighbourhood")),
            (_("First contact"), ("first_contact_way", "client_agreed")),
        )
        return [
            {"legend": legend, "fields": [self[name] for name in names if name in self.fields]}
            for legend, names in groups
        ]


class ResidentIntakeForm(_IntakeForm):
    """A resident asks for help: what they would like, what is hard, and how the team can reach them."""

    resident_contact = forms.CharField(
        label=_("How can the team reach you?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "A phone number or e-mail address, and when to call. Only the team's mediators can read it; it is "
            "deleted after the first contact."
        ),
    )

    field_order = [
        "team",
        "question",
        "thresholds",
        "household_ages",
        "neighbourhood",
        "first_contact_way",
        "resident_contact",
        "client_agreed",
        "website",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].label = _("What would you like to do?")
        self.fields["question"].help_text = _("For example: 'I would like to do sport with my children.'")
        self.fields["thresholds"].label = _("What makes it hard? (optional)")
        self.fields["first_contact_way"].label = _("How would you like to meet the team?")
        self.fields["first_contact_way"].choices = [
            (value, label) for value, label in ContactWay.choices if value in RESIDENT_CONTACT_WAYS
        ]
        self.fields["client_agreed"].label = _("I agree that the team keeps this to contact me")

    def intake_input(self, **extra) -> IntakeInput:
        return super().intake_input(resident_contact=self.cleaned_data["resident_contact"], **extra)

    def fieldsets(self) -> list[dict]:
        groups = (
            (_("Your question"), ("team", "question", "thresholds", "household_ages", "neighbourhood")),
            (_("How we meet"), ("first_contact_way", "resident_contact", "client_agreed")),
        )
        return [
            {"legend": legend, "fields": [self[name] for name in names if name in self.fields]}
            for legend, names in groups
        ]


class AddInformationForm(forms.Form):
    text = forms.CharField(
        label=_("The information the team asked for"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("No names or contact details of the client."),
    )


class TriageForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (Decision.ACCEPT, _("Accept: open a case and start a trajectory")),
            (Decision.MORE_INFO, _("Ask the referrer for more information")),
            (Decision.REDIRECT, _("Redirect to another service")),
            (Decision.DECLINE, _("Decline")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("If accepted: kind of trajectory"),
        choices=TrajectoryKind.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    main_threshold = forms.ChoiceField(
        label=_("If accepted: main threshold"), choices=[("", "—"), *THRESHOLD_GROUPS], required=False
    )
    code = forms.CharField(
        label=_("If accepted: case code"),
        max_length=20,
        required=False,
        validators=[validate_case_code],
        help_text=_("Leave empty to get a code. Never a name, national register number, address, phone or e-mail."),
    )
    redirected_to = forms.CharField(label=_("If redirected: to which service"), max_length=200, required=False)
    message = forms.CharField(
        label=_("Message for the referrer"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your question, or the reason for a redirect or a decline. The referrer reads it."),
    )


class TrajectoryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of trajectory"), choices=TrajectoryKind.choices, widget=forms.RadioSelect)
    goals = forms.CharField(
        label=_("Goals, in the client's words"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: 'I want to get out of the house once a week.' No names or contact details."),
    )
    main_threshold = forms.ChoiceField(
        label=_("Main threshold"), choices=[("", "—"), *THRESHOLD_GROUPS], required=False
    )
    mediator = forms.ModelChoiceField(label=_("Mediator"), queryset=None, required=False, empty_label="—")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = people
        self.fields["mediator"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of step"), choices=StepKind.choices)
    on = date_field(_("Date"))
    done = forms.TypedChoiceField(
        label=_("Planned or done?"),
        choices=[("planned", _("Planned")), ("done", _("Done"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "done",
        initial="planned",
    )
    contact_way = forms.ChoiceField(
        label=_("How (for a first contact)"), choices=[("", "—"), *ContactWay.choices], required=False
    )
    who = forms.ModelChoiceField(label=_("Who"), queryset=None, required=False, empty_label=_("me"))
    referral = forms.ModelChoiceField(
        label=_("Which referral (for an activity or the regular offer)"),
        queryset=None,
        required=False,
        empty_label="—",
    )
    note = forms.CharField(
        label=_("Short note"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a group programme: its name. No names or contact details of the client."),
    )

    def __init__(self, *args, people, referrals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].queryset = people
        self.fields["who"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        self.fields["referral"].queryset = referrals
        self.fields["referral"].label_from_instance = lambda referral: referral.offer_title


class StepDoneForm(forms.Form):
    on = date_field(_("Done on"), required=False)
    note = forms.CharField(
        label=_("How is it going?"),
        required=False,
        max_length=300,
        help_text=_("A short note, in a few words. No names or contact details."),
    )
    next_on = date_field(_("Next aftercare check"), initial_today=False, required=False)


class EvaluationForm(forms.Form):
    """Five questions a mediator answers in two minutes; the scores are for following up, not a mark."""

    on = date_field(_("Date"))
    intrapersonal = forms.TypedChoiceField(
        label=_("Self-confidence: does the client dare more, feel at ease, believe in themselves?"),
        choices=EffectScore.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    interpersonal = forms.TypedChoiceField(
        label=_("Social contacts: does the client meet people, have someone to fall back on?"),
        choices=EffectScore.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    other_domains = forms.TypedChoiceField(
        label=_("Other life domains: does taking part help elsewhere (health, daily rhythm, school, work)?"),
        choices=EffectScore.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    independence = forms.TypedChoiceField(
        label=_("How does the client take part now?"),
        choices=Independence.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    ladder_rung = forms.TypedChoiceField(
        label=_("Activation ladder (if your network uses it)"),
        choices=[("", "—"), *LadderRung.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    note = forms.CharField(
        label=_("Short note (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not settings.WORKSPACE_ACTIVATION_LADDER:
            del self.fields["ladder_rung"]


class CloseForm(forms.Form):
    destination = forms.ChoiceField(
        label=_("Where did the client go?"), choices=Destination.choices, widget=forms.RadioSelect
    )
    reason = forms.ChoiceField(label=_("Why? (threshold group)"), choices=[("", "—"), *ThresholdGroup.choices])
    on = date_field(_("Closed on"))


class InterventionForm(forms.Form):
    on = date_field(_("Date"))
    category = forms.ChoiceField(label=_("What did the fund pay?"), choices=FundCategory.choices)
    fund = forms.ChoiceField(label=_("Which fund?"), choices=Fund.choices)
    total_cost = EuroField(
        label=_("Cost (EUR)"),
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("For example 45,50."),
    )
    group_target = forms.IntegerField(
        label=_("Mixed group: participants from the target group"), min_value=1, required=False
    )
    group_total = forms.IntegerField(label=_("Mixed group: participants in all"), min_value=1, required=False)
    note = forms.CharField(label=_("Short note (optional)"), max_length=200, required=False)


class BudgetForm(forms.Form):
    fund = forms.ChoiceField(label=_("Fund"), choices=Fund.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = EuroField(
        label=_("Budget (EUR)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


def year_choices(today: date | None = None, *, back: int = 4) -> list[tuple[int, str]]:
    today = today or timezone.localdate()
    return [(year, str(year)) for year in range(today.year, today.year - back - 1, -1)]


def chosen_year(value: str | None, today: date | None = None) -> int:
    """The year a figures page asks for (this year when it asks for none); refused when not on the list."""
    years = [year for year, _label in year_choices(today)]
    if not value:
        return years[0]
    if not value.isdigit() or int(value) not in years:
        raise ValidationError(_("Choose a year from the list."))
    return int(value)
