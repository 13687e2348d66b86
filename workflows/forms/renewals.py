"""The forms of the reconventionnement: the structure's request, the prefecture's opinion, the national decision,
the cancellation."""

from django import forms
from dsfr.forms import DsfrBaseForm

from workflows.audiences import MESSAGE_TO_STRUCTURE_HELP
from workflows.enums import PrefectureOpinion, RequestDecision
from workflows.forms.decisions import DecisionForm
from workflows.forms.fields import internal_note_field, message_field, refusal_reason_field

MOTIVATION_MAX = 2500


class ContractChoiceField(forms.ModelMultipleChoiceField):
    """A current contract, labelled with its advisor and its type."""

    def label_from_instance(self, obj):
        end = f", jusqu'au {obj.end:%d/%m/%Y}" if obj.end else ""
        return f"{obj.advisor.full_name} — {obj.get_contract_type_display()}{end}"


class RenewalRequestForm(DsfrBaseForm):
    """The structure asks to renew its convention: read by the prefecture and the national team."""

    posts_requested = forms.IntegerField(
        label="Nombre de postes demandés pour la prochaine convention",
        min_value=1,
        max_value=100,
        help_text="Au moins 1, et au moins autant que de conseillers qui poursuivent.",
    )
    continuing_contracts = ContractChoiceField(
        label="Conseillers qui poursuivent avec la nouvelle convention",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les contrats des conseillers non cochés prendront fin à la date de fin de la convention actuelle.",
    )
    motivation = forms.CharField(
        label="Motivation",
        min_length=10,
        max_length=MOTIVATION_MAX,
        help_text="Entre 10 et 2 500 caractères. Lue par la préfecture et l'équipe nationale.",
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MOTIVATION_MAX}),
    )

    def __init__(self, *args, contracts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["continuing_contracts"].queryset = contracts

    def clean(self):
        cleaned = super().clean()
        posts, kept = cleaned.get("posts_requested"), cleaned.get("continuing_contracts")
        if posts and kept is not None and len(kept) > posts:
            self.add_error(
                "continuing_contracts",
                f"Vous avez coché {len(kept)} conseillers pour {posts} poste(s) demandé(s) : demandez au moins "
                f"{len(kept)} postes ou décochez des conseillers.",
            )
        return cleaned


class RenewalPrefectureForm(DecisionForm):
    opinion = forms.ChoiceField(label="Avis du préfet", choices=PrefectureOpinion.choices, widget=forms.RadioSelect)
    internal_note = internal_note_field(
        "Note interne pour l'équipe nationale", "Entre 10 et 1 000 caractères.", required=True
    )
    message_to_applicant = message_field("Message à la structure (facultatif)", MESSAGE_TO_STRUCTURE_HELP)
    field_order = ["opinion", "internal_note", "message_to_applicant"]
    consequences = [
        "Avis favorable ou défavorable, la demande passe ensuite à l'équipe nationale, qui décide.",
        "La structure est prévenue par e-mail, avec votre message s'il y en a un ; votre note interne ne lui est "
        "jamais transmise.",
    ]


class RenewalDecisionForm(DecisionForm):
    decision = forms.ChoiceField(label="Décision", choices=RequestDecision.choices, widget=forms.RadioSelect)
    posts_granted = forms.IntegerField(
        label="Nombre de postes accordés",
        required=False,
        min_value=1,
        help_text="Obligatoire pour accorder : au plus le nombre demandé, au moins le nombre de conseillers qui "
        "poursuivent.",
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
        "Accorder : la nouvelle convention commence le lendemain de la fin de l'actuelle ; les conseillers qui "
        "poursuivent y sont rattachés à cette date, les autres contrats prennent fin avec l'actuelle. La structure "
        "est prévenue par e-mail.",
        "Refuser : les postes et les contrats prennent fin à la date de fin de la convention ; le motif et votre "
        "message sont envoyés à la structure.",
        "Renvoyer au préfet : la préfecture reçoit votre note interne et donne un nouvel avis.",
    ]


class RenewalCancelForm(DsfrBaseForm):
    comment = forms.CharField(
        label="Pourquoi annuler la demande ?",
        min_length=10,
        max_length=1000,
        help_text="Entre 10 et 1 000 caractères. Lu par la structure, la préfecture et l'équipe nationale. Sans "
        "reconventionnement, les postes et les contrats prennent fin à la date de fin de la convention.",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
    )
