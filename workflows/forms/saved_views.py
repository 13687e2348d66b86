"""The forms of the saved views: name the current filters of a task list, rename a view."""

from django import forms
from dsfr.forms import DsfrBaseForm

from common.forms import SingleLineCharField
from workflows.filters import LISTS


class SavedViewForm(DsfrBaseForm):
    """Save the current filters and sort of a list under a name (the list and query are hidden)."""

    name = SingleLineCharField(
        label="Nom de la vue",
        max_length=60,
        help_text="60 caractères au maximum, par exemple « Avis favorables du 93 ». La vue reprend les filtres et le "
        "tri affichés.",
    )
    list_name = forms.ChoiceField(
        choices=[(key, title) for key, (_, title, _) in LISTS.items()], widget=forms.HiddenInput
    )
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)


class SavedViewRenameForm(DsfrBaseForm):
    name = SingleLineCharField(label="Nom de la vue", max_length=60, help_text="60 caractères au maximum.")
