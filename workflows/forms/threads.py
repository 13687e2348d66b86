"""The forms of a dossier's thread: a message with up to 5 files, and for the agents the correction request tick."""

from django import forms
from dsfr.forms import DsfrBaseForm

from workflows import attachments
from workflows.models import Message

MAX_BODY = Message._meta.get_field("body").max_length


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by its content (workflows/attachments.py)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": attachments.ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        uploads = [super(MultipleFileField, self).clean(upload, initial) for upload in uploads if upload]
        if not uploads and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        attachments.check_files(uploads)
        return uploads


class MessageForm(DsfrBaseForm):
    """A message on one thread (the party is in the form's URL or hidden field, never trusted alone)."""

    body = forms.CharField(
        label="Votre message",
        max_length=MAX_BODY,
        help_text="5 000 caractères au plus. N'y mettez pas de données de santé ni de mot de passe.",
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_BODY}),
    )
    files = MultipleFileField(label="Pièces jointes (facultatif)", required=False, help_text=attachments.HELP)

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Écrivez votre message.")
        return body


class AgentMessageForm(MessageForm):
    """An agent's message, which may ask the applicant to correct her dossier (the step's deadline then waits)."""

    correction = forms.BooleanField(
        label="Demande de correction",
        required=False,
        help_text="Le délai de l'étape en cours est suspendu jusqu'à la réponse du demandeur. Une seule demande "
        "à la fois par étape.",
    )
