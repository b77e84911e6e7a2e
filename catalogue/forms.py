"""The resident's catalogue filter form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Neighbourhood


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, max_length=200)
    wijk = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=Neighbourhood.objects.select_related("district").order_by("district__name", "name"),
        to_field_name="code",
        required=False,
        empty_label=_("All neighbourhoods"),
    )
