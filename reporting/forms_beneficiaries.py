"""Forms of « Mes bénéficiaires »: a followed person's record, the list's search, and the import's upload."""

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from common.forms import SingleLineCharField
from directory.forms import PHONE_VALIDATOR, CommuneField
from reporting.beneficiary_rules import FIRST_BIRTH_YEAR, age_band_for, format_phone
from reporting.enums import AgeBand, Gender, SocialStatus
from reporting.forms import InlineRadioSelect

ONLY_YOU = "Visible de vous seul."
CONSENT_LABEL = (
    "J'ai informé la personne de ce suivi : ce qui est enregistré, pourquoi, qui le voit, combien de temps, et ses "
    "droits (voir l'encadré ci-dessus)"
)
SORTS = [
    ("nom", "Nom"),
    ("dernier", "Dernier accompagnement"),
    ("nombre", "Nombre d'accompagnements"),
]


class BeneficiaryForm(DsfrBaseForm):
    """A followed person: names required, the rest optional; the year of birth decides the tranche d'âge."""

    last_name = SingleLineCharField(
        label="Nom",
        max_length=100,
        help_text=ONLY_YOU,
        error_messages={"required": "Indiquez le nom de la personne."},
    )
    first_name = SingleLineCharField(
        label="Prénom",
        max_length=100,
        help_text=ONLY_YOU,
        error_messages={"required": "Indiquez le prénom de la personne."},
    )
    phone = forms.CharField(
        label="Téléphone",
        required=False,
        max_length=20,
        validators=[PHONE_VALIDATOR],
        help_text=f"Facultatif. {ONLY_YOU} Format attendu : 06 12 34 56 78",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label="Adresse e-mail",
        required=False,
        max_length=254,
        help_text=f"Facultatif. {ONLY_YOU} Format attendu : nom@domaine.fr",
        error_messages={"invalid": "Saisissez une adresse e-mail valide, ex. : nom@domaine.fr"},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    birth_year = forms.IntegerField(
        label="Année de naissance",
        required=False,
        help_text=(
            f"Facultatif. {ONLY_YOU} Elle donne la tranche d'âge, seule comptée dans les statistiques. "
            "Format attendu : 1958"
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"invalid": "Saisissez une année sur quatre chiffres, ex. : 1958."},
    )
    commune = CommuneField(
        label="Commune de résidence",
        required=False,
        help_text=f"Facultatif. {ONLY_YOU} Format attendu : nom de la commune ou code postal, ex. : Lyon ou 13001",
    )
    gender = forms.ChoiceField(
        label="Genre",
        choices=Gender.choices,
        required=False,
        initial=Gender.UNKNOWN,
        widget=InlineRadioSelect,
        help_text="Compté, sans nom, dans les statistiques de vos accompagnements (vues par votre structure, l'État).",
    )
    age_band = forms.ChoiceField(
        label="Tranche d'âge",
        choices=AgeBand.choices,
        required=False,
        initial=AgeBand.UNKNOWN,
        help_text=(
            "Comptée, sans nom, dans les statistiques. Inutile si vous indiquez l'année de naissance : elle en est "
            "déduite."
        ),
    )
    status = forms.ChoiceField(
        label="Statut",
        choices=SocialStatus.choices,
        required=False,
        initial=SocialStatus.UNKNOWN,
        widget=InlineRadioSelect,
        help_text="Compté, sans nom, dans les statistiques de vos accompagnements.",
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "Facultatif. Visibles de vous seul ; jamais de données de santé, de mots de passe ni de numéro de "
            "sécurité sociale. Elles figurent dans l'export de ses données si la personne le demande."
        ),
    )

    def __init__(self, *args, consent: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if consent:
            self.fields["informed"] = forms.BooleanField(
                label=CONSENT_LABEL,
                error_messages={"required": "Confirmez que vous avez informé la personne avant d'enregistrer."},
            )

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if year is not None and not FIRST_BIRTH_YEAR <= year <= this_year:
            raise forms.ValidationError(f"Saisissez une année entre {FIRST_BIRTH_YEAR} et {this_year}.")
        return year

    def clean(self):
        cleaned = super().clean()
        year, band = cleaned.get("birth_year"), cleaned.get("age_band") or AgeBand.UNKNOWN
        if year and band != AgeBand.UNKNOWN and band != age_band_for(year):
            self.add_error(
                "age_band",
                f"Née en {year}, la personne est dans la tranche « {AgeBand(age_band_for(year)).label} » : "
                "corrigez l'année ou la tranche d'âge, ou laissez la tranche « Non communiqué ».",
            )
        return cleaned

    def values(self) -> dict:
        """The record's values for the services (phone compacted and tranche d'âge derived there)."""
        data = self.cleaned_data
        values = {name: data[name] for name in ("last_name", "first_name", "phone", "email", "birth_year", "notes")}
        values["commune"] = data["commune"]
        values["gender"] = data["gender"] or Gender.UNKNOWN
        values["age_band"] = data["age_band"] or AgeBand.UNKNOWN
        values["status"] = data["status"] or SocialStatus.UNKNOWN
        return values

    @classmethod
    def initial_from(cls, beneficiary) -> dict:
        names = ("last_name", "first_name", "phone", "email", "birth_year", "gender", "age_band", "status", "notes")
        initial = {name: getattr(beneficiary, name) for name in names}
        initial["commune"] = beneficiary.commune
        initial["phone"] = format_phone(beneficiary.phone)
        return initial


class BeneficiarySearchForm(DsfrBaseForm):
    """The list's search (every word must match a name, the commune, the e-mail or the phone) and sort."""

    q = forms.CharField(
        label="Rechercher",
        required=False,
        max_length=100,
        help_text="Nom, prénom, commune, e-mail ou téléphone ; plusieurs mots se cumulent.",
    )
    tri = forms.ChoiceField(label="Trier par", choices=SORTS, required=False)

    @property
    def query(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""

    @property
    def sort(self) -> str:
        return (self.cleaned_data.get("tri") if self.is_valid() else "") or "nom"


class BeneficiaryImportForm(DsfrBaseForm):
    """The file to analyse, and the advisor's confirmation that the people in it were informed."""

    file = forms.FileField(
        label="Fichier CSV",
        help_text="Format attendu : CSV (UTF-8, ou « CSV (séparateur : point-virgule) » d'Excel), 1 Mo et 500 lignes "
        "au plus, avec la ligne d'en-tête du modèle.",
        error_messages={"required": "Choisissez le fichier à importer.", "empty": "Le fichier est vide."},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    informed = forms.BooleanField(
        label=(
            "J'ai informé chacune des personnes du fichier de ce suivi (ce qui est enregistré, pourquoi, qui le "
            "voit, combien de temps, et ses droits)"
        ),
        error_messages={"required": "Confirmez que vous avez informé les personnes du fichier."},
    )
