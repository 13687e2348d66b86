"""DSFR forms: the two public application forms, the decision forms of each step, and the structure's forms."""

import io
import re

from django import forms
from django.conf import settings
from django.utils import timezone
from dsfr.forms import DsfrBaseForm
from pypdf import PdfReader

from common.forms import BoundedDateField, SingleLineCharField
from directory.enums import StructureType
from directory.validators import normalize_siret, validate_siret
from territories.models import Commune
from territories.selectors import (
    arrondissement_for,
    commune_label,
    communes_named_with_postal_code,
    is_municipal_arrondissement,
    search_communes,
)
from territories.utils import normalize_search
from workflows.audiences import INTERNAL_NOTE_HELP, MESSAGE_TO_BOTH_HELP, MESSAGE_TO_STRUCTURE_HELP
from workflows.enums import (
    ContractType,
    MaxDistance,
    PrefectureOpinion,
    RecruitmentHubDecision,
    RefusalReason,
    RuptureDecision,
    RuptureMotive,
    StructureHubDecision,
)
from workflows.models import AdvisorApplication, StructureApplication

PHONE = re.compile(r"^(\+\d{11,12}|0\d{9})$")
YES_NO = [("oui", "Oui"), ("non", "Non")]
ENGAGEMENTS = [
    "proposer des activités gratuites de montée en compétences numériques aux habitants ;",
    "laisser au conseiller numérique le temps de participer aux rencontres locales et nationales et à la "
    "formation continue ;",
    "sélectionner le candidat dans un délai maximum d'un mois sur la plateforme ;",
    "signer dans les 15 jours suivants un contrat avec le candidat retenu ;",
    "laisser partir le conseiller numérique en formation initiale ;",
    "fournir au conseiller numérique les moyens et équipements nécessaires à ses missions (ordinateur, téléphone "
    "portable, voiture si nécessaire).",
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _phone(value: str) -> str:
    digits = value.replace(" ", "").replace(".", "")
    if digits and not PHONE.match(digits):
        raise forms.ValidationError("Numéro invalide. Format attendu : 0122334455 ou +33122334455.")
    return digits


class HoneypotMixin(forms.Form):
    """A field hidden from people: bots fill it, and their submission is silently dropped."""

    website = forms.CharField(
        label="Site web (laissez ce champ vide)",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website", "").strip())


_LABEL_WITH_POSTAL_CODE = re.compile(r"\s*(?P<name>.*?)\s*\((?P<code>[0-9]{5})\b[^)]*\)\s*")
_POSTAL_CODE_IN_LABEL = re.compile(r"\b([0-9]{5})\b")


class CommuneMixin(forms.Form):
    """A commune typed as text, resolved on the server (the JavaScript autocompletion only fills the code)."""

    commune_query = forms.CharField(
        label="Commune",
        max_length=150,
        help_text="Saisissez le nom ou le code postal de votre commune. Format attendu : Marseille ou 13001.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-commune-autocomplete": "id_commune_code"}),
    )
    commune_code = forms.CharField(required=False, widget=forms.HiddenInput, label="Commune trouvée")

    def clean_commune(self) -> Commune | None:
        query = (self.cleaned_data.get("commune_query") or "").strip()
        code = (self.cleaned_data.get("commune_code") or "").strip()
        if code:
            commune = Commune.objects.select_related("department").filter(pk=code).first()
            if commune is not None:
                postal_code = _POSTAL_CODE_IN_LABEL.search(query)
                return arrondissement_for(commune, postal_code[1]) if postal_code else commune
        if not query:
            return None
        candidates = self._candidates(query)
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            self.add_error("commune_query", "Aucune commune ne correspond. Vérifiez l'orthographe ou le code postal.")
            return None
        self.fields["commune_code"] = forms.ChoiceField(
            label="Plusieurs communes correspondent : choisissez la vôtre",
            choices=[(c.code, f"{commune_label(c)} — {c.department.name}") for c in candidates],
            widget=forms.RadioSelect,
            required=False,
        )
        self._bound_fields_cache.pop("commune_code", None)  # cleaning already bound the hidden version
        self.add_error("commune_query", "Plusieurs communes correspondent : choisissez la vôtre dans la liste.")
        return None

    @staticmethod
    def _candidates(query: str) -> list[Commune]:
        label = _LABEL_WITH_POSTAL_CODE.fullmatch(query)
        if label:
            # "Paris (75011, …)" from the autocompletion: the commune of that name with that postal code, refined to
            # its arrondissement (Paris 11e), not the city.
            named = communes_named_with_postal_code(label["name"], label["code"])
            if len(named) == 1:
                return named
        name = re.sub(r"\s*\(.*\)\s*$", "", query).strip()
        if re.fullmatch(r"\d{5}", name):
            communes = list(
                Commune.objects.select_related("department")
                .filter(postal_code_rows__code=name)
                .order_by("-population")
            )
            arrondissements = [c for c in communes if is_municipal_arrondissement(c.code)]
            return arrondissements[:1] or communes
        results = search_communes(name, 10)
        exact = [c for c in results if normalize_search(c.name) == normalize_search(name)]
        return exact if len(exact) == 1 else results


class PublicApplicationForm(HoneypotMixin, CommuneMixin, DsfrBaseForm):
    """Shared by the two public forms: the commune must resolve."""

    def clean(self):
        cleaned = super().clean()
        cleaned["commune"] = self.clean_commune()
        return cleaned


class StructureApplicationForm(PublicApplicationForm, forms.ModelForm):
    siret = forms.CharField(
        label="SIRET",
        max_length=20,
        help_text="Format attendu : 14 chiffres, par exemple 12345678901234.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    type = forms.ChoiceField(label="Votre structure est", choices=StructureType.choices, widget=forms.RadioSelect)
    contact_email = forms.EmailField(
        label="Adresse e-mail du contact",
        help_text="Format attendu : nom@domaine.fr. Le lien de confirmation y sera envoyé.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = forms.CharField(
        label="Téléphone du contact", max_length=20, help_text="Format attendu : 0122334455 ou +33122334455."
    )
    advisors_wanted = forms.IntegerField(
        label="Combien de conseillers numériques souhaitez-vous accueillir ?",
        min_value=1,
        max_value=50,
        help_text="Au moins 1.",
    )
    start_date = BoundedDateField(
        label="À partir de quand êtes-vous prêt à accueillir votre conseiller numérique ?",
        help_text="Format attendu : JJ/MM/AAAA, aujourd'hui ou plus tard.",
        widget=DateInput,
    )
    candidate_identified = forms.ChoiceField(
        label="Avez-vous déjà identifié un candidat pour le poste ?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Si oui, invitez ce candidat à s'inscrire sur la plateforme.",
    )
    motivation = forms.CharField(
        label="Votre motivation",
        max_length=2500,
        help_text="2 500 caractères au maximum.",
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 2500}),
    )
    engagement = forms.BooleanField(
        label="Je m'engage, au nom de ma structure, à respecter les engagements ci-dessus.",
        error_messages={"required": "Vous devez accepter les engagements pour déposer votre candidature."},
    )

    class Meta:
        model = StructureApplication
        fields = [
            "siret",
            "name",
            "type",
            "address",
            "contact_first_name",
            "contact_last_name",
            "contact_function",
            "contact_email",
            "contact_phone",
            "advisors_wanted",
            "start_date",
            "candidate_identified",
            "motivation",
            "engagement",
        ]
        labels = {"name": "Dénomination", "address": "Adresse"}
        help_texts = {"address": "Numéro et voie, par exemple : 3 place de la Mairie."}
        field_classes = dict.fromkeys(
            ("name", "address", "contact_first_name", "contact_last_name", "contact_function"),
            SingleLineCharField,
        )

    field_order = [*Meta.fields[:4], "commune_query", "commune_code", *Meta.fields[4:], "website"]

    def clean_siret(self):
        from workflows.services import siret_in_use

        siret = normalize_siret(self.cleaned_data["siret"])
        validate_siret(siret)
        used = siret_in_use(siret)
        if used == "structure":
            raise forms.ValidationError(
                "Vous êtes déjà inscrit : une structure validée utilise ce SIRET. Connectez-vous à votre espace "
                "structure ou écrivez à l'équipe nationale pour demander des postes supplémentaires."
            )
        if used == "application":
            raise forms.ValidationError(
                "Une candidature est déjà en cours pour ce SIRET : suivez-la avec le lien reçu par e-mail."
            )
        return siret

    def clean_contact_phone(self):
        phone = _phone(self.cleaned_data["contact_phone"])
        if not phone:
            raise forms.ValidationError("Indiquez un numéro de téléphone.")
        return phone

    def clean_start_date(self):
        value = self.cleaned_data["start_date"]
        if value < timezone.localdate():
            raise forms.ValidationError("La date ne peut pas être passée.")
        return value

    def clean_candidate_identified(self):
        return self.cleaned_data["candidate_identified"] == "oui"

    def application_data(self) -> dict:
        data = {field: self.cleaned_data[field] for field in self.Meta.fields}
        data["commune"] = self.cleaned_data["commune"]
        return data


class CandidateForm(PublicApplicationForm, forms.ModelForm):
    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="Format attendu : nom@domaine.fr. Le lien de confirmation y sera envoyé.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="Téléphone (facultatif)",
        required=False,
        max_length=20,
        help_text="Format attendu : 0122334455 ou +33122334455.",
    )
    situations = forms.MultipleChoiceField(
        label="Êtes-vous actuellement dans l'une des situations suivantes ?",
        choices=[
            ("is_job_seeker", "Demandeur d'emploi"),
            ("is_employed", "En emploi"),
            ("is_in_training", "En formation"),
            ("has_diploma", "Diplômé dans le secteur de la médiation numérique (formation certifiante ou non)"),
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    diploma_name = SingleLineCharField(
        label="Nom du diplôme",
        required=False,
        max_length=200,
        help_text="Obligatoire si vous êtes diplômé en médiation numérique.",
    )
    has_experience = forms.ChoiceField(
        label="Avez-vous une expérience professionnelle de médiation numérique ?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    available_from = BoundedDateField(
        label="À quel moment êtes-vous prêt(e) à démarrer votre mission et la formation ?",
        help_text="Format attendu : JJ/MM/AAAA, aujourd'hui ou plus tard.",
        widget=DateInput,
    )
    max_distance_km = forms.TypedChoiceField(
        label="Jusqu'à quelle distance de chez vous acceptez-vous de travailler ?",
        choices=MaxDistance.choices,
        coerce=int,
    )
    motivation = forms.CharField(
        label="Votre motivation",
        max_length=2500,
        help_text="2 500 caractères au maximum.",
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 2500}),
    )
    cv = forms.FileField(
        label="Votre CV (facultatif)",
        required=False,
        help_text="Format PDF uniquement, 10 Mo au maximum. Il ne sera visible que des structures et des agents "
        "chargés du recrutement.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = AdvisorApplication
        fields = ["first_name", "last_name", "email", "phone"]
        labels = {"first_name": "Prénom", "last_name": "Nom"}
        field_classes = {"first_name": SingleLineCharField, "last_name": SingleLineCharField}

    field_order = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "commune_query",
        "commune_code",
        "situations",
        "diploma_name",
        "has_experience",
        "available_from",
        "max_distance_km",
        "motivation",
        "cv",
        "website",
    ]

    def clean_email(self):
        from workflows.enums import OPEN_CANDIDATE_STATUSES

        email = self.cleaned_data["email"].strip().lower()
        if AdvisorApplication.objects.filter(email__iexact=email, status__in=OPEN_CANDIDATE_STATUSES).exists():
            raise forms.ValidationError(
                "Une candidature en cours utilise déjà cette adresse e-mail. Retrouvez le lien de gestion dans "
                "l'e-mail de confirmation que vous avez reçu."
            )
        return email

    def clean_phone(self):
        return _phone(self.cleaned_data.get("phone", ""))

    def clean_available_from(self):
        value = self.cleaned_data["available_from"]
        if value < timezone.localdate():
            raise forms.ValidationError("La date ne peut pas être passée.")
        return value

    def clean_cv(self):
        upload = self.cleaned_data.get("cv")
        if not upload:
            return None
        return validate_pdf(upload)

    def clean(self):
        cleaned = super().clean()
        situations = set(cleaned.get("situations") or [])
        experience = cleaned.get("has_experience") == "oui"
        if "has_experience" in cleaned and not situations and not experience:
            self.add_error("situations", "Vous devez cocher au moins une case (ou avoir une expérience).")
        if "has_diploma" in situations and not (cleaned.get("diploma_name") or "").strip():
            self.add_error("diploma_name", "Indiquez le nom de votre diplôme.")
        return cleaned

    def candidate_data(self) -> dict:
        situations = set(self.cleaned_data["situations"])
        data = {
            field: self.cleaned_data[field]
            for field in [
                "first_name",
                "last_name",
                "email",
                "phone",
                "available_from",
                "max_distance_km",
                "motivation",
            ]
        }
        data.update({flag: flag in situations for flag in ["is_job_seeker", "is_employed", "is_in_training"]})
        data["has_diploma"] = "has_diploma" in situations
        data["diploma_name"] = self.cleaned_data["diploma_name"].strip() if data["has_diploma"] else ""
        data["has_experience"] = self.cleaned_data["has_experience"] == "oui"
        data["commune"] = self.cleaned_data["commune"]
        if self.cleaned_data.get("cv"):
            data["cv"] = self.cleaned_data["cv"]
        return data


def validate_pdf(upload):
    """A real, readable PDF of at most CV_MAX_BYTES, checked by content (not by its name or declared type)."""
    if upload.size > settings.CV_MAX_BYTES:
        raise forms.ValidationError(
            "Le fichier dépasse 10 Mo. Réduisez sa taille (par exemple en l'exportant à nouveau)."
        )
    if upload.size == 0:
        raise forms.ValidationError("Le fichier est vide.")
    upload.seek(0)
    head = upload.read(1024)
    if b"%PDF-" not in head:
        raise forms.ValidationError("Le fichier n'est pas un PDF. Enregistrez votre CV au format PDF.")
    upload.seek(0)
    try:
        reader = PdfReader(io.BytesIO(upload.read()), strict=False)
        if reader.is_encrypted:
            raise forms.ValidationError("Le PDF est protégé par un mot de passe : envoyez une version non protégée.")
        if len(reader.pages) < 1:
            raise ValueError("no page")
    except forms.ValidationError:
        raise
    except Exception:  # noqa: BLE001 -- pypdf raises many kinds of errors on damaged files
        raise forms.ValidationError(
            "Ce PDF est illisible ou endommagé. Enregistrez-le à nouveau au format PDF."
        ) from None
    upload.seek(0)
    return upload


# --- Decision forms -----------------------------------------------------------------------------------------------


def _text(label: str, help_text: str, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=1000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
    )


def internal_note_field(label: str = "Note interne (facultative)", extra: str = "", required: bool = False):
    """A text for the agents only: the label and hint say so."""
    return _text(label, f"{INTERNAL_NOTE_HELP} {extra}".strip(), required=required)


def message_field(label: str, help_text: str):
    """A text for the applicant side (structure, candidate): the label and hint say who reads it."""
    return _text(label, help_text)


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
    reason = forms.ChoiceField(
        label="Motif (en cas d'avis défavorable)",
        choices=[("", "Choisir un motif"), *RefusalReason.choices],
        required=False,
        help_text="Obligatoire si l'avis est défavorable : il sera envoyé au candidat et à la structure.",
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
    reason = forms.ChoiceField(
        label="Motif de refus",
        choices=[("", "Choisir un motif"), *RefusalReason.choices],
        required=False,
        help_text="Obligatoire pour un refus : il sera envoyé à la structure.",
    )
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
    reason = forms.ChoiceField(
        label="Motif de refus",
        choices=[("", "Choisir un motif"), *RefusalReason.choices],
        required=False,
        help_text="Obligatoire pour un refus : il sera envoyé au candidat et à la structure.",
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
    consequences = ["La fin de contrat repart en validation ; le hub est prévenu par e-mail."]


class RuptureNotifyForm(DsfrBaseForm):
    end_date = BoundedDateField(
        label="Date de fin de contrat",
        widget=DateInput,
        help_text="Au plus tard la date de fin du contrat. Format attendu : JJ/MM/AAAA.",
    )
    motive = forms.ChoiceField(label="Motif", choices=RuptureMotive.choices, widget=forms.RadioSelect)
    comment = message_field("Précisions (facultatives)", "Lues par le hub, l'équipe nationale et votre structure.")
    field_order = ["end_date", "motive", "comment"]


class CancelForm(DsfrBaseForm):
    message_to_applicant = forms.CharField(
        label="Message au candidat : raison de l'annulation",
        max_length=1000,
        help_text="Envoyé par e-mail au candidat.",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )


class RuptureCancelForm(DsfrBaseForm):
    comment = forms.CharField(
        label="Raison de l'annulation",
        max_length=1000,
        help_text="Envoyée par e-mail au conseiller, à la structure et au hub (10 caractères au moins).",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )


class TrainingImportForm(DsfrBaseForm):
    file = forms.FileField(
        label="Fichier CSV de l'organisme de formation",
        help_text="Colonnes : email;date_debut;date_fin;terminee;certifie (dates JJ/MM/AAAA, oui/non). "
        "2 Mo au maximum.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError("Le fichier dépasse 2 Mo.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("Le fichier doit être un CSV encodé en UTF-8.") from None


class PoolSearchForm(DsfrBaseForm):
    distance = forms.TypedChoiceField(
        label="Distance maximale de la structure",
        choices=[(d, f"{d} km") for d in (5, 10, 15, 20, 40, 100)],
        coerce=int,
        initial=20,
        required=False,
    )
    available_by = BoundedDateField(
        label="Disponible au plus tard le", required=False, widget=DateInput, help_text="Format attendu : JJ/MM/AAAA."
    )
    diploma = forms.ChoiceField(
        label="Diplôme en médiation numérique", choices=[("", "Indifférent"), *YES_NO], required=False
    )
    experience = forms.ChoiceField(
        label="Expérience en médiation numérique", choices=[("", "Indifférent"), *YES_NO], required=False
    )
