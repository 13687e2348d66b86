"""The form of an agent's private annotation on a dossier."""

from django import forms
from dsfr.forms import DsfrBaseForm

from workflows.audiences import INTERNAL_NOTE_HELP
from workflows.services.annotations import BODY_MAX


class AnnotationForm(DsfrBaseForm):
    """A private note: the label and hint say that only the agents read it."""

    body = forms.CharField(
        label="Nouvelle annotation (agents seulement)",
        max_length=BODY_MAX,
        help_text=f"{INTERNAL_NOTE_HELP} 2 000 caractères au maximum.",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": BODY_MAX}),
        error_messages={
            "required": "Écrivez l'annotation.",
            "max_length": "2 000 caractères au maximum (vous en avez écrit %(show_value)d).",
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "annotation")
        super().__init__(*args, **kwargs)
