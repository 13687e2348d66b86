"""Forms of the switch-over pages."""

from django import forms
from dsfr.forms import DsfrBaseForm

from territories.models import Department


class DepartmentFilterForm(DsfrBaseForm):
    """Narrow the advisors to invite to one department (of their structure)."""

    departement = forms.ModelChoiceField(
        label="Département", queryset=Department.objects.all(), required=False, empty_label="Tous les départements"
    )
