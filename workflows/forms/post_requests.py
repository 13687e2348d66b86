"""The avenant's forms (the structure's request, the prefecture's opinion, the decision) and the structure's
self-service forms (contact and address, co-manager invitation)."""

from django import forms
from django.core.validators import MaxValueValidator
from dsfr.forms import DsfrBaseForm

from common.forms import SingleLineCharField
from directory.forms import PhoneField
from territories.models import Commune
from territories.utils import normalize_search
from workflows.audiences import MESSAGE_TO_STRUCTURE_HELP
from workflows.enums import PostRequestType, PostReturnMotive, PrefectureOpinion, RequestDecision
from workflows.forms.decisions import DecisionForm
from workflows.forms.fields import CommuneMixin, internal_note_field, message_field, refusal_reason_field


class PostRequestForm(DsfrBaseForm):
    """The structure's avenant: more posts (with motivation) or vacant posts given back (with the official motive)."""

    type = forms.ChoiceField(label="Votre demande", choices=PostRequestType.choices, widget=forms.RadioSelect)
    posts_requested = forms.IntegerField(
        label="Nombre de postes demandés ou rendus",
        min_value=1,
        max_value=50,
        help_text="Au moins 1. Seuls les postes vacants (sans conseiller en poste ni recrutement en cours) peuvent "
        "être rendus.",
    )
    motivation = forms.CharField(
        label="Motivation",
        required=False,
        max_length=2500,
        help_text="Obligatoire pour demander des postes : entre 10 et 2 500 caractères. Lue par la préfecture, le hub "
        "et l'équipe nationale.",
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 2500}),
    )
    return_motive = forms.ChoiceField(
        label="Motif du rendu de poste",
        choices=PostReturnMotive.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Obligatoire pour rendre des postes.",
    )
    return_motive_other = SingleLineCharField(
        label="Précisez le motif",
        required=False,
        max_length=300,
        help_text="Obligatoire avec « Autre motif ». 300 caractères au maximum.",
    )
    field_order = ["type", "posts_requested", "motivation", "return_motive", "return_motive_other"]


class PostRequestPrefectureForm(DecisionForm):
    opinion = forms.ChoiceField(label="Avis du préfet", choices=PrefectureOpinion.choices, widget=forms.RadioSelect)
    internal_note = internal_note_field(
        "Note interne pour le hub et l'équipe nationale", "Entre 10 et 1 000 caractères.", required=True
    )
    message_to_applicant = message_field("Message à la structure (facultatif)", MESSAGE_TO_STRUCTURE_HELP)
    field_order = ["opinion", "internal_note", "message_to_applicant"]
    consequences = [
        "Avis favorable ou défavorable, l'avenant passe ensuite à la décision du hub ou de l'équipe nationale.",
        "La structure est prévenue par e-mail, avec votre message s'il y en a un ; votre note interne ne lui est "
        "jamais transmise.",
    ]


class PostRequestDecisionForm(DecisionForm):
    decision = forms.ChoiceField(label="Décision", choices=RequestDecision.choices, widget=forms.RadioSelect)
    posts_granted = forms.IntegerField(label="Nombre de postes accordés", required=False, min_value=1)
    reason = refusal_reason_field("Motif de refus", "Obligatoire pour un refus : il sera envoyé à la structure.")
    message_to_applicant = message_field(
        "Message à la structure (facultatif)", f"{MESSAGE_TO_STRUCTURE_HELP} Obligatoire avec « Autre motif »."
    )
    internal_note = internal_note_field(
        extra="Obligatoire pour renvoyer au préfet : elle lui dit quoi réexaminer (10 caractères au moins)."
    )
    field_order = ["decision", "posts_granted", "reason", "message_to_applicant", "internal_note"]
    consequences = [
        "Accorder : les postes de la convention de la structure changent aujourd'hui (ajoutés ou retirés) ; la "
        "structure et la préfecture sont prévenues par e-mail.",
        "Refuser : l'avenant prend fin ; le motif et votre message sont envoyés à la structure.",
        "Renvoyer au préfet : la préfecture reçoit votre note interne et donne un nouvel avis.",
    ]

    def __init__(self, *args, posts_requested=None, is_return=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["posts_granted"]
        if posts_requested:
            field.max_value = posts_requested
            field.widget.attrs["max"] = posts_requested
            field.validators.append(MaxValueValidator(posts_requested))
            what = "rendus" if is_return else "demandés"
            field.help_text = f"Obligatoire pour accorder : entre 1 et {posts_requested} (postes {what})." + (
                " Seuls les postes encore vacants peuvent être retirés." if is_return else ""
            )
            if not self.is_bound and "posts_granted" not in self.initial:
                self.initial["posts_granted"] = posts_requested


class StructureContactForm(CommuneMixin, DsfrBaseForm):
    """A structure's contact and address (SIRET, name and type are not editable here)."""

    address = SingleLineCharField(
        label="Adresse", max_length=255, help_text="Numéro et voie, par exemple : 3 place de la Mairie."
    )
    contact_first_name = SingleLineCharField(label="Prénom du contact", max_length=100)
    contact_last_name = SingleLineCharField(label="Nom du contact", max_length=100)
    contact_function = SingleLineCharField(label="Fonction du contact", max_length=150, required=False)
    contact_email = forms.EmailField(
        label="Adresse e-mail du contact",
        help_text="Format attendu : nom@domaine.fr.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = PhoneField(label="Téléphone du contact", required=False)
    field_order = [
        "address",
        "commune_query",
        "commune_code",
        "contact_first_name",
        "contact_last_name",
        "contact_function",
        "contact_email",
        "contact_phone",
    ]

    def clean_commune(self):
        """The hidden code holds the structure's commune (or the autocompletion's choice): a name typed over it
        without the script wins, so that the commune changes without JavaScript too."""
        code = (self.cleaned_data.get("commune_code") or "").strip()
        if code:
            commune = Commune.objects.filter(pk=code).only("name").first()
            query = normalize_search(self.cleaned_data.get("commune_query") or "")
            if commune is None or not query.startswith(normalize_search(commune.name)):
                self.cleaned_data["commune_code"] = ""
        return super().clean_commune()

    def clean(self):
        cleaned = super().clean()
        commune = self.clean_commune()
        if commune is None and not self.has_error("commune_query"):
            self.add_error("commune_query", "Indiquez la commune de la structure.")
        cleaned["commune"] = commune
        return cleaned


class ManagerInviteForm(DsfrBaseForm):
    """A co-manager of the structure: an e-mail invitation to create an account (or a new role on an account)."""

    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="Format attendu : nom@domaine.fr. L'invitation y sera envoyée.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    first_name = SingleLineCharField(label="Prénom", max_length=100)
    last_name = SingleLineCharField(label="Nom", max_length=100)
    field_order = ["email", "first_name", "last_name"]
