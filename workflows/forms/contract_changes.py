"""The forms of a contract change: the structure's request (prolongation, renewal, amendment) and the hub's
decision."""

from django import forms
from django.conf import settings
from dsfr.forms import DsfrBaseForm

from common.forms import BoundedDateField
from workflows.audiences import MESSAGE_TO_STRUCTURE_HELP
from workflows.enums import ContractChangeType, ContractType, RequestDecision
from workflows.forms.decisions import DecisionForm
from workflows.forms.fields import DateInput, internal_note_field, message_field, refusal_reason_field

DATE_HELP = "Format attendu : JJ/MM/AAAA."


class ContractChangeRequestForm(DsfrBaseForm):
    """What the structure asks for; the fields a type does not use are ignored by the service."""

    type = forms.ChoiceField(
        label="Nature de la demande", choices=ContractChangeType.choices, widget=forms.RadioSelect
    )
    new_contract_type = forms.ChoiceField(
        label="Type du nouveau contrat",
        choices=[("", "Choisir un type"), *ContractType.choices],
        required=False,
        help_text="Renouvellement seulement.",
    )
    new_start = BoundedDateField(
        label="Nouvelle date de début",
        widget=DateInput,
        required=False,
        help_text=f"Modification seulement (un renouvellement commence après la fin du contrat). {DATE_HELP}",
    )
    new_end = BoundedDateField(
        label="Nouvelle date de fin",
        widget=DateInput,
        required=False,
        help_text=f"Obligatoire pour une prolongation et pour un renouvellement (sauf CDI). {DATE_HELP}",
    )
    new_weekly_hours = forms.DecimalField(
        label="Durée hebdomadaire (heures)",
        required=False,
        min_value=1,
        max_value=35,
        max_digits=4,
        decimal_places=1,
        help_text="Entre 1 et 35 heures. Renouvellement ou modification ; vide : inchangée.",
    )
    new_salary = forms.IntegerField(
        label="Salaire brut mensuel (€)",
        required=False,
        min_value=0,
        max_value=20000,
        help_text=f"Au moins le SMIC : {settings.SMIC_MONTHLY_GROSS} € brut mensuel. Renouvellement (obligatoire) "
        "ou modification ; vide : inchangé.",
    )
    motivation = forms.CharField(
        label="Motif de la demande",
        min_length=10,
        max_length=1000,
        help_text="Entre 10 et 1 000 caractères. Lu par le hub et l'équipe nationale, qui valident la demande.",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
    )
    field_order = ["type", "new_end", "new_contract_type", "new_start", "new_weekly_hours", "new_salary", "motivation"]


class ContractChangeDecisionForm(DecisionForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[(RequestDecision.GRANT, "Valider la demande"), (RequestDecision.REFUSE, "Refuser la demande")],
        widget=forms.RadioSelect,
    )
    reason = refusal_reason_field("Motif de refus", "Obligatoire pour un refus : il sera envoyé à la structure.")
    message_to_applicant = message_field(
        "Message à la structure (facultatif)", f"{MESSAGE_TO_STRUCTURE_HELP} Obligatoire avec « Autre motif »."
    )
    internal_note = internal_note_field()
    field_order = ["decision", "reason", "message_to_applicant", "internal_note"]
    consequences = [
        "Valider une prolongation ou une modification : le contrat est modifié dès maintenant ; la structure et le "
        "conseiller sont prévenus par e-mail.",
        "Valider un renouvellement : le nouveau contrat commence le lendemain de la fin du contrat en cours (à cette "
        "date s'il est déjà passé) ; la structure et le conseiller sont prévenus.",
        "Refuser : le contrat reste inchangé ; le motif et votre message sont envoyés à la structure. Votre note "
        "interne ne lui est jamais transmise.",
    ]


class ContractChangeCancelForm(DsfrBaseForm):
    comment = forms.CharField(
        label="Raison de l'annulation",
        max_length=1000,
        help_text="Envoyée par e-mail à la structure, et au conseiller si le renouvellement lui avait été annoncé "
        "(10 caractères au moins).",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )
