"""The decision form of each human step (the step registry, workflows/steps.py, says which)."""

from django import forms
from django.conf import settings
from dsfr.forms import DsfrBaseForm

from common.forms import BoundedDateField, SingleLineCharField
from workflows import attachments
from workflows.audiences import MESSAGE_TO_BOTH_HELP, MESSAGE_TO_STRUCTURE_HELP
from workflows.enums import (
    ContractType,
    PrefectureOpinion,
    RecruitmentHubDecision,
    RuptureDecision,
    StructureHubDecision,
)
from workflows.forms.fields import (
    DateInput,
    internal_note_field,
    message_field,
    refusal_reason_field,
)
from workflows.forms.threads import MultipleFileField


class DecisionForm(DsfrBaseForm):
    """A step's decision form; `consequences` says, before the agent submits, what each decision does next."""

    consequences: list[str] = []


class PrefectureOpinionForm(DecisionForm):
    opinion = forms.ChoiceField(label="Avis du préfet", choices=PrefectureOpinion.choices, widget=forms.RadioSelect)
    internal_note = internal_note_field("Note interne pour le hub", "Entre 10 et 1 000 caractères.", required=True)
    message_to_applicant = message_field("Message à la structure (facultatif)", MESSAGE_TO_STRUCTURE_HELP)
    field_order = ["opinion", "internal_note", "message_to_applicant"]
    consequences = [
        "Avis favorable ou défavorable, la candidature passe ensuite au hub, qui décide de l'attribution des postes.",
        "La structure est prévenue par e-mail que sa candidature passe au hub, avec votre message s'il y en a un ; "
        "votre note interne ne lui est jamais transmise.",
    ]


class RecruitmentPrefectureForm(DecisionForm):
    opinion = forms.ChoiceField(label="Avis du préfet", choices=PrefectureOpinion.choices, widget=forms.RadioSelect)
    reason = refusal_reason_field(
        "Motif (en cas d'avis défavorable)",
        "Obligatoire si l'avis est défavorable : il sera envoyé au candidat et à la structure.",
    )
    internal_note = internal_note_field("Note interne pour le hub", "Entre 10 et 1 000 caractères.", required=True)
    message_to_applicant = message_field(
        "Message au candidat et à la structure (facultatif)",
        f"{MESSAGE_TO_BOTH_HELP} Obligatoire avec « Autre motif ».",
    )
    field_order = ["opinion", "reason", "internal_note", "message_to_applicant"]
    consequences = [
        "Avis favorable : le recrutement passe au hub pour validation ; la structure en est prévenue.",
        "Avis défavorable : le recrutement prend fin ; le motif et votre message sont envoyés au candidat et à la "
        "structure.",
    ]


class StructureHubForm(DecisionForm):
    decision = forms.ChoiceField(label="Décision", choices=StructureHubDecision.choices, widget=forms.RadioSelect)
    posts_granted = forms.IntegerField(
        label="Nombre de postes attribués", required=False, min_value=1, help_text="Obligatoire pour une attribution."
    )
    reason = refusal_reason_field("Motif de refus", "Obligatoire pour un refus : il sera envoyé à la structure.")
    message_to_applicant = message_field(
        "Message à la structure (facultatif)", f"{MESSAGE_TO_STRUCTURE_HELP} Obligatoire avec « Autre motif »."
    )
    internal_note = internal_note_field(
        extra="Obligatoire pour renvoyer au préfet : elle lui dit quoi réexaminer (10 caractères au moins)."
    )
    field_order = ["decision", "posts_granted", "reason", "message_to_applicant", "internal_note"]
    consequences = [
        "Attribuer : la structure est validée et son gestionnaire invité par e-mail ; la préfecture est informée.",
        "Refuser ou classer comme doublon : la candidature prend fin ; le motif et votre message sont envoyés à la "
        "structure, la préfecture est informée.",
        "Renvoyer au préfet : la préfecture reçoit votre note interne et donne un nouvel avis.",
    ]


class RecruitmentHubForm(DecisionForm):
    decision = forms.ChoiceField(label="Décision", choices=RecruitmentHubDecision.choices, widget=forms.RadioSelect)
    reason = refusal_reason_field(
        "Motif de refus", "Obligatoire pour un refus : il sera envoyé au candidat et à la structure."
    )
    message_to_applicant = message_field(
        "Message au candidat et à la structure (facultatif)",
        f"{MESSAGE_TO_BOTH_HELP} Obligatoire avec « Autre motif ».",
    )
    internal_note = internal_note_field(
        extra="Obligatoire pour renvoyer au préfet : elle lui dit quoi réexaminer (10 caractères au moins)."
    )
    field_order = ["decision", "reason", "message_to_applicant", "internal_note"]
    consequences = [
        "Valider : le recrutement passe en formation ; le candidat et la structure sont prévenus.",
        "Refuser : le recrutement prend fin ; le motif et votre message sont envoyés au candidat et à la structure.",
        "Renvoyer au préfet : la préfecture reçoit votre note interne et donne un nouvel avis.",
    ]


class ContractForm(DecisionForm):
    contract_type = forms.ChoiceField(label="Type de contrat", choices=ContractType.choices, widget=forms.RadioSelect)
    contract_start = BoundedDateField(
        label="Date de début du contrat", widget=DateInput, help_text="Format attendu : JJ/MM/AAAA."
    )
    contract_end = BoundedDateField(
        label="Date de fin du contrat",
        widget=DateInput,
        required=False,
        help_text="Obligatoire sauf pour un CDI. Format attendu : JJ/MM/AAAA.",
    )
    salary = forms.IntegerField(
        label="Salaire brut mensuel (€)",
        min_value=0,
        max_value=20000,
        help_text=f"Au moins le SMIC : {settings.SMIC_MONTHLY_GROSS} € brut mensuel.",
    )
    is_coordinator_post = forms.BooleanField(label="Poste de conseiller numérique coordinateur", required=False)
    message_to_applicant = message_field(
        "Précisions sur le contrat (facultatif)",
        "Lues par la préfecture, le hub et votre structure ; jamais envoyées au candidat.",
    )
    field_order = [
        "contract_type",
        "contract_start",
        "contract_end",
        "salary",
        "is_coordinator_post",
        "message_to_applicant",
    ]
    consequences = [
        "Le contrat est examiné par la préfecture puis par le hub ; le candidat est prévenu par e-mail de la "
        "proposition."
    ]


class TrainingForm(DecisionForm):
    session_start = BoundedDateField(
        label="Début de la formation", widget=DateInput, help_text="Format attendu : JJ/MM/AAAA."
    )
    session_end = BoundedDateField(
        label="Fin de la formation", widget=DateInput, help_text="Format attendu : JJ/MM/AAAA."
    )
    completed = forms.BooleanField(
        label="Formation terminée",
        required=False,
        help_text="Non cochée : seules les dates sont enregistrées et l'étape reste ouverte.",
    )
    certified = forms.BooleanField(label="Certification obtenue", required=False)
    internal_note = internal_note_field()
    field_order = ["session_start", "session_end", "completed", "certified", "internal_note"]
    consequences = [
        "Formation terminée : la structure est prévenue par e-mail et enregistre la prise de poste.",
        "Non terminée : seules les dates sont enregistrées ; personne n'est prévenu.",
    ]


class DeploymentForm(DecisionForm):
    started_at = BoundedDateField(
        label="Date de prise de poste", widget=DateInput, help_text="Format attendu : JJ/MM/AAAA."
    )
    place = forms.ModelChoiceField(
        label="Lieu d'activité principal",
        queryset=None,
        required=False,
        empty_label="Nouveau lieu (à décrire ci-dessous)",
    )
    new_place_name = SingleLineCharField(label="Nom du nouveau lieu", required=False, max_length=200)
    new_place_address = forms.CharField(
        label="Adresse du nouveau lieu", required=False, max_length=255, help_text="Dans la commune de la structure."
    )
    consequences = ["Le conseiller est en poste : son compte est créé et il reçoit une invitation par e-mail."]

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class RuptureDecisionForm(DecisionForm):
    decision = forms.ChoiceField(label="Décision", choices=RuptureDecision.choices, widget=forms.RadioSelect)
    comment = message_field(
        "Message à la structure",
        f"{MESSAGE_TO_STRUCTURE_HELP} Obligatoire pour demander des pièces : listez-les.",
    )
    field_order = ["decision", "comment"]
    consequences = [
        "Valider : la fin de contrat est enregistrée et la structure est prévenue par e-mail.",
        "Demander des pièces : la structure reçoit votre message et répond depuis son espace.",
    ]


class DocumentsForm(DecisionForm):
    answer = forms.CharField(
        label="Pièces transmises et précisions",
        max_length=1000,
        help_text="Lues par le hub et l'équipe nationale, qui valident la fin de contrat.",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
    )
    files = MultipleFileField(
        label="Pièces (facultatif)",
        required=False,
        help_text=f"Lettre de démission, courrier de fin de contrat… {attachments.HELP}",
    )
    consequences = ["La fin de contrat repart en validation ; le hub est prévenu par e-mail."]
