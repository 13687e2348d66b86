"""The dossier page's follow-up forms (agents only): a label of the team, the colleague a task is confided to."""

from django import forms
from dsfr.forms import DsfrBaseForm

from common.forms import SingleLineCharField
from workflows.services.labels import NAME_MAX_LENGTH


class LabelForm(DsfrBaseForm):
    name = SingleLineCharField(
        label="Ajouter une étiquette",
        max_length=NAME_MAX_LENGTH,
        help_text=f"{NAME_MAX_LENGTH} caractères au plus. Lue seulement par votre équipe, jamais par le demandeur.",
        widget=forms.TextInput(attrs={"list": "follow-up-labels", "autocomplete": "off"}),
    )


class AssignForm(DsfrBaseForm):
    assignee = forms.ModelChoiceField(
        label="Confier à",
        queryset=None,
        empty_label="Choisir un agent",
        help_text="Un agent de votre équipe dont le territoire couvre ce dossier. Il en est prévenu.",
    )

    def __init__(self, *args, agents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = agents
