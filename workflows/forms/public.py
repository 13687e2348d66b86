"""The two public application forms (host a conseiller numérique, become one) and the CV check."""

import io

from django import forms
from django.conf import settings
from django.utils import timezone
from dsfr.forms import DsfrBaseForm
from pypdf import PdfReader

from common.forms import BoundedDateField, SingleLineCharField
from directory.enums import StructureType
from directory.forms import PhoneField
from directory.validators import normalize_siret, validate_siret
from workflows.enums import (
    MaxDistance,
)
from workflows.forms.fields import (
    YES_NO,
    CommuneMixin,
    DateInput,
    HoneypotMixin,
)
from workflows.models import AdvisorApplication, StructureApplication

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
    contact_phone = PhoneField(
        label="Téléphone du contact", error_messages={"required": "Indiquez un numéro de téléphone."}
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
        siret = normalize_siret(self.cleaned_data["siret"])
        validate_siret(siret)
        used = StructureApplication.objects.siret_in_use(siret)
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
    phone = PhoneField(
        label="Téléphone (facultatif)",
        required=False,
        french_only=False,
        help_text="Format attendu : 06 12 34 56 78, ou +32 470 12 34 56 pour un numéro étranger.",
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
        email = self.cleaned_data["email"].strip().lower()
        if AdvisorApplication.objects.open().filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "Une candidature en cours utilise déjà cette adresse e-mail. Retrouvez le lien de gestion dans "
                "l'e-mail de confirmation que vous avez reçu."
            )
        return email

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
