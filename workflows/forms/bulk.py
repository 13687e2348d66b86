"""The bulk action's form: which action on the selected dossiers, and the texts typed once for all of them."""

from django import forms
from dsfr.forms import DsfrBaseForm

from common.forms import SingleLineCharField
from workflows.audiences import INTERNAL_NOTE_HELP, MESSAGE_TO_BOTH_HELP, MESSAGE_TO_STRUCTURE_HELP
from workflows.bulk_decisions import bulk_decision, bulk_decisions_for
from workflows.enums import BulkAction
from workflows.services.labels import NAME_MAX_LENGTH


class BulkActionForm(DsfrBaseForm):
    """One action for every selected dossier: a decision allowed in bulk at their step, an assignment or a label."""

    action = forms.ChoiceField(label="Action", widget=forms.RadioSelect)
    assignee = forms.ModelChoiceField(
        label="Agent à qui confier les dossiers",
        queryset=None,
        required=False,
        empty_label="Choisir un agent",
        help_text="Obligatoire pour « Confier à un agent ». Un agent de votre équipe.",
    )
    name = SingleLineCharField(
        label="Étiquette",
        required=False,
        max_length=NAME_MAX_LENGTH,
        help_text=f"Obligatoire pour « Ajouter une étiquette ». {NAME_MAX_LENGTH} caractères au plus ; une étiquette "
        "existante de votre équipe est reprise, sinon elle est créée. Lue seulement par votre équipe.",
        widget=forms.TextInput(attrs={"list": "bulk-labels", "autocomplete": "off"}),
    )
    internal_note = forms.CharField(
        label="Note interne (commune à tous les dossiers)",
        required=False,
        max_length=1000,
        help_text=f"{INTERNAL_NOTE_HELP} Obligatoire pour un avis : entre 10 et 1 000 caractères.",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )
    message_to_applicant = forms.CharField(
        label="Message au demandeur (facultatif, commun à tous les dossiers)",
        required=False,
        max_length=1000,
        help_text=f"Pour une décision seulement. {MESSAGE_TO_BOTH_HELP}",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )

    def __init__(self, *args, steps=(), colleagues=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(decision.value, f"Décision — {decision.label}") for decision in bulk_decisions_for(steps)]
        choices += [(BulkAction.ASSIGN.value, "Confier à un agent"), (BulkAction.LABEL.value, "Ajouter une étiquette")]
        self.fields["action"].choices = choices
        self.fields["assignee"].queryset = colleagues
        # Who reads the message depends on the dossiers: a candidate only for recruitments.
        recruitments = any(str(step).startswith("recrutement_") for step in steps)
        self.fields[
            "message_to_applicant"
        ].help_text = (
            f"Pour une décision seulement. {MESSAGE_TO_BOTH_HELP if recruitments else MESSAGE_TO_STRUCTURE_HELP}"
        )

    def clean(self):
        data = super().clean()
        action = data.get("action", "")
        decision = bulk_decision(action)
        if action == BulkAction.ASSIGN and not data.get("assignee"):
            self.add_error("assignee", "Choisissez l'agent à qui confier les dossiers.")
        if action == BulkAction.LABEL and not (data.get("name") or "").strip():
            self.add_error("name", "Saisissez le nom de l'étiquette.")
        if decision is not None and decision.note_required and len((data.get("internal_note") or "").strip()) < 10:
            self.add_error("internal_note", "La note interne doit faire entre 10 et 1 000 caractères.")
        return data

    def job_arguments(self) -> tuple[str, dict, dict]:
        """The job's action, its parameters, and what the confirmation page shows of them."""
        data = self.cleaned_data
        decision = bulk_decision(data["action"])
        if decision is not None:
            params = {
                "decision": decision.value,
                "internal_note": data.get("internal_note", ""),
                "message_to_applicant": data.get("message_to_applicant", ""),
            }
            return BulkAction.DECIDE, params, {"label": decision.label}
        if data["action"] == BulkAction.ASSIGN:
            assignee = data["assignee"]
            label = assignee.get_full_name() or assignee.email
            return (
                BulkAction.ASSIGN,
                {"assignee": assignee.pk, "assignee_label": label},
                {"label": "Confier à un agent"},
            )
        return BulkAction.LABEL, {"name": data["name"]}, {"label": "Ajouter une étiquette"}
