"""Forms of the transfers of posts: the national team's start form and the decision forms of its two steps."""

from django import forms
from dsfr.forms import DsfrBaseForm

from common.forms import BoundedDateField, SingleLineCharField
from directory.enums import AdvisorStatus
from directory.models import Advisor, Structure
from workflows.enums import PrefectureOpinion, RequestDecision
from workflows.forms.decisions import DecisionForm
from workflows.forms.fields import DateInput, internal_note_field, message_field, refusal_reason_field

STRUCTURE_HINT = "SIRET (14 chiffres) ou numéro de la structure dans l'annuaire. Format attendu : 21750001600019."


def _structure(value: str):
    """A structure from its SIRET or its number in the directory, or None."""
    digits = value.replace(" ", "")
    if not digits.isdigit():
        return None
    if len(digits) == 14:
        return Structure.objects.filter(siret=digits).first()
    return Structure.objects.filter(pk=int(digits)).first() if len(digits) <= 12 else None


class TransferForm(DsfrBaseForm):
    """The national team starts a transfer of posts between two structures."""

    from_structure = SingleLineCharField(
        label="Structure qui cède les postes", max_length=20, help_text=STRUCTURE_HINT
    )
    structure = SingleLineCharField(label="Structure qui reçoit les postes", max_length=20, help_text=STRUCTURE_HINT)
    posts = forms.IntegerField(
        label="Nombre de postes transférés",
        min_value=1,
        max_value=999,
        help_text="Au moins 1, au plus les postes de la structure qui cède. Sans conseiller, les postes doivent être "
        "vacants.",
    )
    advisor = SingleLineCharField(
        label="Conseiller transféré avec son poste (facultatif)",
        max_length=254,
        required=False,
        help_text="E-mail professionnel ou numéro du conseiller, en poste dans la structure qui cède : son contrat "
        "se poursuit chez le nouvel employeur. Format attendu : prenom.nom@conseiller-numerique.fr.",
    )
    effective_on = BoundedDateField(
        label="Date d'effet", widget=DateInput, help_text="Aujourd'hui ou plus tard. Format attendu : JJ/MM/AAAA."
    )
    ask_prefecture = forms.BooleanField(
        label="Demander l'avis du préfet du département d'accueil",
        required=False,
        help_text="Sans avis demandé, le transfert passe directement à la décision nationale.",
    )
    motivation = forms.CharField(
        label="Motif du transfert",
        max_length=2500,
        help_text="Lu par les deux structures, les préfectures et les hubs concernés (10 caractères au moins).",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2500}),
    )
    field_order = ["from_structure", "structure", "posts", "advisor", "effective_on", "ask_prefecture", "motivation"]

    def clean_from_structure(self):
        structure = _structure(self.cleaned_data["from_structure"])
        if structure is None:
            raise forms.ValidationError("Aucune structure ne correspond à ce SIRET ou à ce numéro.")
        return structure

    def clean_structure(self):
        structure = _structure(self.cleaned_data["structure"])
        if structure is None:
            raise forms.ValidationError("Aucune structure ne correspond à ce SIRET ou à ce numéro.")
        return structure

    def clean_advisor(self):
        value = self.cleaned_data["advisor"].strip()
        if not value:
            return None
        advisors = Advisor.objects.filter(status=AdvisorStatus.ACTIVE)
        advisor = (
            advisors.filter(pk=int(value)).first()
            if value.isdigit()
            else advisors.filter(professional_email__iexact=value).first()
        )
        if advisor is None:
            raise forms.ValidationError("Aucun conseiller en poste ne correspond à cet e-mail ou à ce numéro.")
        return advisor


class TransferCancelForm(DsfrBaseForm):
    comment = forms.CharField(
        label="Raison de l'annulation",
        max_length=1000,
        help_text="Envoyée par e-mail aux deux structures (10 caractères au moins).",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )


class TransferPrefectureForm(DecisionForm):
    opinion = forms.ChoiceField(label="Avis du préfet", choices=PrefectureOpinion.choices, widget=forms.RadioSelect)
    internal_note = internal_note_field(
        "Note interne pour l'équipe nationale", "Entre 10 et 1 000 caractères.", required=True
    )
    message_to_applicant = message_field(
        "Message aux structures (facultatif)",
        "Envoyé par e-mail aux deux structures et visible dans leur espace.",
    )
    field_order = ["opinion", "internal_note", "message_to_applicant"]
    consequences = [
        "Avis favorable ou défavorable, le transfert passe ensuite à la décision de l'équipe nationale.",
        "Votre note interne n'est lue que par les agents, jamais par les structures.",
    ]


class TransferDecisionForm(DecisionForm):
    decision = forms.ChoiceField(label="Décision", choices=RequestDecision.choices, widget=forms.RadioSelect)
    reason = refusal_reason_field("Motif de refus", "Obligatoire pour un refus : il sera envoyé aux deux structures.")
    message_to_applicant = message_field(
        "Message aux structures (facultatif)",
        "Envoyé par e-mail aux deux structures et visible dans leur espace. Obligatoire avec « Autre motif ».",
    )
    internal_note = internal_note_field(
        extra="Obligatoire pour renvoyer au préfet : elle lui dit quoi réexaminer (10 caractères au moins)."
    )
    field_order = ["decision", "reason", "message_to_applicant", "internal_note"]
    consequences = [
        "Accorder : le transfert est confirmé ; il prend effet à sa date (aussitôt si c'est aujourd'hui) : postes "
        "retirés de la structure qui cède et ajoutés à celle qui reçoit, contrat du conseiller poursuivi chez le "
        "nouvel employeur.",
        "Refuser : le transfert prend fin ; le motif et votre message sont envoyés aux deux structures.",
        "Renvoyer au préfet (si son avis a été demandé) : la préfecture reçoit votre note interne.",
    ]
