"""The case form: every need as a labelled field, grouped in fieldsets, usable without JavaScript."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalogue import facts
from catalogue.models import Domain, Language, Neighbourhood, Theme, Weekday
from search.filters import PART_OF_DAY_LABELS
from search.query import BudgetPer

from .models import ClientCase, ContactArrangement, ReferralStatus, ThresholdGroup, WelcomeRating
from .validators import validate_case_code, validate_no_contact_details

TRAVEL_CHOICES = [("", _("not known"))] + [(str(float(km)), f"{km} km") for km in (1, 2, 3, 5, 10, 20)]
MAX_AGES = 10

# Fields as the template shows them, one fieldset per group.
FIELDSETS = (
    (_("The case"), ("organisation", "code", "status")),
    (_("Who takes part"), ("ages",)),
    (_("Money"), ("budget", "budget_per", "has_uitpas", "social_tariff")),
    (_("Where"), ("home_neighbourhood", "travel_km")),
    (_("Accessibility"), ("accessibility",)),
    (_("Language"), ("dutch_level", "languages")),
    (_("Interests"), ("domains", "themes")),
    (_("When the client is free"), ("weekdays", "parts_of_day")),
    (
        _("What could hold the client back"),
        ("needs_childcare", "needs_contact_person", "wants_companion", "no_experience", "wants_free_trial"),
    ),
)


def parse_ages(text: str) -> list[int]:
    """Ages typed as '34, 9' (commas, semicolons or spaces); refused with a message naming the problem."""
    parts = [part for part in re.split(r"[,;\s]+", (text or "").strip()) if part]
    if not all(part.isdigit() for part in parts):
        raise ValidationError(_("Give ages as whole numbers separated by commas, for example: 34, 9."))
    ages = [int(part) for part in parts]
    if any(age > 120 for age in ages):
        raise ValidationError(_("Each age is a whole number from 0 to 120."))
    if len(ages) > MAX_AGES:
        raise ValidationError(_("Give at most ten ages."))
    return ages


class CaseForm(forms.ModelForm):
    code = forms.CharField(
        label=_("Case code"),
        required=False,
        max_length=20,
        help_text=_("Leave empty to get a code. Never a name, national register number, address, phone or e-mail."),
    )
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, empty_label=None)
    ages = forms.CharField(
        label=_("Ages"),
        required=False,
        help_text=_("The client's age first, then family members who come along, separated by commas: 34, 9."),
    )
    travel_km = forms.TypedChoiceField(
        label=_("How far can the client travel?"),
        choices=TRAVEL_CHOICES,
        required=False,
        coerce=float,
        empty_value=None,
    )
    home_neighbourhood = forms.ModelChoiceField(
        label=_("Home neighbourhood"),
        queryset=Neighbourhood.objects.select_related("district").defer("geometry"),
        required=False,
        empty_label=_("not known"),
    )
    accessibility = forms.MultipleChoiceField(
        label=_("The client needs"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(fact.field, fact.label) for fact in facts.ACCESSIBILITY_FACTS],
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Other languages the client speaks"),
        queryset=Language.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    domains = forms.MultipleChoiceField(
        label=_("Domains"), required=False, widget=forms.CheckboxSelectMultiple, choices=Domain.choices
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"), required=False, widget=forms.CheckboxSelectMultiple, choices=Weekday.choices, coerce=int
    )
    parts_of_day = forms.MultipleChoiceField(
        label=_("Parts of the day"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(str(part), label) for part, label in PART_OF_DAY_LABELS.items()],
    )

    class Meta:
        model = ClientCase
        fields = [
            "code",
            "status",
            "ages",
            "budget",
            "budget_per",
            "has_uitpas",
            "social_tariff",
            "home_neighbourhood",
            "travel_km",
            "accessibility",
            "dutch_level",
            "languages",
            "domains",
            "themes",
            "weekdays",
            "parts_of_day",
            "needs_childcare",
            "needs_contact_person",
            "wants_companion",
            "no_experience",
            "wants_free_trial",
        ]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["budget_per"].required = False
        if self.instance.pk:
            del self.fields["organisation"]
            self.fields["code"].help_text = _("Never a name, national register number, address, phone or e-mail.")
            self.initial["ages"] = ", ".join(str(age) for age in self.instance.ages)
        else:
            del self.fields["status"]
            if organisations.count() == 1:
                self.fields["organisation"].widget = forms.HiddenInput()
                self.initial["organisation"] = organisations.first()

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if code:
            validate_case_code(code)
        elif self.instance.pk:
            raise ValidationError(_("A case keeps its code; give one."))
        return code

    def clean_budget_per(self) -> str:
        # The select always sends one; a post without it (a script, an old form) keeps the earlier meaning, per session.
        return self.cleaned_data["budget_per"] or BudgetPer.SESSION

    def clean_ages(self) -> list[int]:
        return parse_ages(self.cleaned_data["ages"])

    def fieldsets(self) -> list[dict]:
        return [
            {"legend": legend, "fields": [self[name] for name in names if name in self.fields]}
            for legend, names in FIELDSETS
        ]

    def values(self) -> dict:
        """The case's own fields, for the services; relations are passed apart."""
        data = dict(self.cleaned_data)
        for name in ("organisation", "languages", "themes"):
            data.pop(name, None)
        return data


class ReferralForm(forms.Form):
    consent = forms.BooleanField(
        label=_("The client agrees that the partner receives the case code and these wishes"),
        required=False,
    )
    contact_arrangement = forms.ChoiceField(
        label=_("How the first contact goes"), choices=ContactArrangement.choices, widget=forms.RadioSelect
    )
    first_visit_wishes = forms.CharField(
        label=_("Wishes for the first visit"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: prefers a morning, would like to watch first. No names or contact details."),
    )
    mediator_phone = forms.CharField(
        label=_("Your work phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Needed when the partner calls you. Never the client's number. For example: 03 123 45 67."),
    )
    reserve_place = forms.BooleanField(
        label=_("Ask the partner for a reserved place for this client"),
        required=False,
        help_text=_("The partner confirms or declines it in their inbox; without an answer in time it lapses."),
    )


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ReferralStatus.choices)
    stop_reason = forms.ChoiceField(
        label=_("If stopped: which threshold"), choices=[("", "—"), *ThresholdGroup.choices], required=False
    )


class WelcomeForm(forms.Form):
    welcome_rating = forms.TypedChoiceField(
        label=_("How welcoming was it?"), choices=WelcomeRating.choices, coerce=int, widget=forms.RadioSelect
    )


class UnmetNeedForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=[("", "—"), *Domain.choices], required=False)
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=Neighbourhood.objects.select_related("district").defer("geometry"),
        required=False,
        empty_label="—",
    )
    threshold = forms.ChoiceField(
        label=_("Threshold that blocked"), choices=[("", "—"), *ThresholdGroup.choices], required=False
    )
    note = forms.CharField(
        label=_("What was missing, in a few words"),
        required=False,
        max_length=200,
        help_text=_("For example: swimming for women only, on a weekday evening. No names or contact details."),
    )

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        validate_no_contact_details(note)
        return note

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("domain") or data.get("neighbourhood") or data.get("threshold")):
            raise ValidationError({"domain": _("Give at least a domain, a neighbourhood or a threshold.")})
        return data


class MatchNarrowForm(forms.Form):
    """Narrowing a case's matches, sent as GET parameters so it works without JavaScript and can be linked."""

    q = forms.CharField(
        label=_("Words"), required=False, max_length=100, help_text=_("In the title, organiser, summary or themes.")
    )
    domain = forms.ChoiceField(label=_("Domain"), choices=[("", _("Every domain")), *Domain.choices], required=False)
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Every theme"),
    )
    day = forms.TypedChoiceField(
        label=_("Day"),
        choices=[("", _("Every day")), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    page = forms.IntegerField(label=_("Page"), min_value=1, required=False)

    def __init__(self, *args, **kwargs) -> None:
        # The case page has other forms with a domain field: these ids stay apart from theirs.
        kwargs.setdefault("auto_id", "matches-%s")
        super().__init__(*args, **kwargs)

    def narrowing(self) -> dict:
        """The cleaned narrowing for ``narrow_matches``; call only on a valid form."""
        data = self.cleaned_data
        return {"text": data["q"].strip(), "domain": data["domain"], "theme": data["theme"], "weekday": data["day"]}

    @property
    def narrowed(self) -> bool:
        return self.is_valid() and any(value not in ("", None) for value in self.narrowing().values())
