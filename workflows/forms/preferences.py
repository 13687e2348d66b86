"""The form of an agent's notification preferences: one radio group per kind of event."""

from django import forms
from dsfr.forms import DsfrBaseForm

from workflows.enums import NotificationEvent, NotificationMode

# What each event is, in the agent's words (the hint of its radio group).
EVENT_HINTS = {
    NotificationEvent.NEW_TASK: "Une demande arrive, dans votre territoire, à une étape que votre rôle traite (avis "
    "de la préfecture, validation du hub). La synthèse quotidienne les liste toutes ; l'e-mail immédiat en envoie "
    "un par demande.",
    NotificationEvent.ASSIGNED: "Un collègue vous confie un dossier : il apparaît dans « Mes dossiers ».",
    NotificationEvent.APPLICANT_MESSAGE: "La structure ou le candidat a écrit sur un dossier qui vous est confié ou "
    "que vous suivez. L'e-mail ne contient jamais le message : lisez-le sur le dossier.",
    NotificationEvent.CORRECTION_ANSWERED: "Le demandeur a répondu à une demande de correction : l'échéance de "
    "l'étape repart.",
    NotificationEvent.BULK_FINISHED: "Un traitement groupé que vous avez lancé est terminé : son bilan liste les "
    "dossiers traités et ceux qui ne l'ont pas été.",
}


class NotificationPreferencesForm(DsfrBaseForm):
    """For each event the agent may hear of, "E-mail immédiat" or "Synthèse quotidienne"."""

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        for event in events:
            self.fields[event] = forms.ChoiceField(
                label=NotificationEvent(event).label,
                choices=NotificationMode.choices,
                widget=forms.RadioSelect,
                help_text=EVENT_HINTS[event],
                error_messages={
                    "required": "Choisissez « E-mail immédiat » ou « Synthèse quotidienne ».",
                    "invalid_choice": "Choisissez « E-mail immédiat » ou « Synthèse quotidienne ».",
                },
            )
