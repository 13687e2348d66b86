"""The national team's forms: create a partner token, revoke one, filter its calls log."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from common.dates import add_years, fr_date
from common.forms import BoundedDateField, SingleLineCharField
from partners.enums import Right, ScopeLevel
from territories.models import Department, Region

CHECKBOXES_TEMPLATE = "dsfr/form_field_snippets/checkboxselectmultiple_snippet.html"
MAX_VALIDITY_YEARS = 3
MAX_RATE_LIMIT = 6000


def start_of(day) -> datetime:
    """Midnight (Paris time) at the start of a day."""
    return timezone.make_aware(datetime.combine(day, time.min))


class ApiTokenForm(DsfrBaseForm):
    """Who the partner is, what territory and data it may read, how fast, and from when to when."""

    name = SingleLineCharField(
        label="Nom du partenaire",
        max_length=150,
        help_text="Ce que le partenaire est, tel qu'il apparaîtra dans la liste, ex. « Observatoire du numérique de "
        "la Métropole de Lyon ».",
        error_messages={"required": "Indiquez le nom du partenaire."},
    )
    organisation = SingleLineCharField(
        label="Organisme",
        max_length=200,
        help_text="L'organisme responsable de l'usage des données, ex. « Métropole de Lyon ».",
        error_messages={"required": "Indiquez l'organisme responsable."},
    )
    contact_email = forms.EmailField(
        label="E-mail du contact technique",
        max_length=254,
        help_text="Visible de l'équipe nationale uniquement, pour prévenir le partenaire (expiration, incident, "
        "révocation) ; jamais publié ni transmis. Format attendu : nom@domaine.fr",
        error_messages={
            "required": "Indiquez l'e-mail du contact technique.",
            "invalid": "Saisissez une adresse e-mail valide, par exemple nom@domaine.fr.",
        },
    )
    level = forms.ChoiceField(
        label="Périmètre",
        choices=ScopeLevel.choices,
        widget=forms.RadioSelect,
        help_text="Le territoire dont le partenaire lit les données ; il ne voit rien au-delà.",
        error_messages={"required": "Choisissez un périmètre.", "invalid_choice": "Choisissez un périmètre."},
    )
    region = forms.ModelChoiceField(
        label="Région",
        queryset=Region.objects.order_by("name"),
        required=False,
        empty_label="Choisir une région",
        help_text="Obligatoire pour un périmètre régional.",
        error_messages={"invalid_choice": "Choisissez une région de la liste."},
    )
    department = forms.ModelChoiceField(
        label="Département",
        queryset=Department.objects.order_by("code"),
        required=False,
        empty_label="Choisir un département",
        help_text="Obligatoire pour un périmètre départemental.",
        error_messages={"invalid_choice": "Choisissez un département de la liste."},
    )
    rights = forms.MultipleChoiceField(
        label="Droits",
        choices=Right.choices,
        widget=forms.CheckboxSelectMultiple,
        template_name=CHECKBOXES_TEMPLATE,
        help_text="Cochez seulement ce dont le partenaire a besoin. L'annuaire des conseillers ne contient que ce "
        "que montre « Trouver un conseiller » (noms des conseillers qui l'ont accepté, lieux publics).",
        error_messages={
            "required": "Cochez au moins un droit.",
            "invalid_choice": "Choix inconnu : choisissez dans la liste.",
        },
    )
    rate_limit = forms.IntegerField(
        label="Requêtes par minute",
        initial=60,
        min_value=1,
        max_value=MAX_RATE_LIMIT,
        help_text=f"Au-delà, l'API répond 429 avec l'en-tête Retry-After. Entre 1 et {MAX_RATE_LIMIT} ; "
        "60 par défaut.",
        error_messages={
            "required": "Indiquez le nombre de requêtes par minute.",
            "invalid": "Saisissez un nombre entier.",
            "min_value": "Saisissez un nombre supérieur ou égal à 1.",
            "max_value": f"Saisissez un nombre inférieur ou égal à {MAX_RATE_LIMIT}.",
        },
    )
    valid_from = BoundedDateField(
        label="Valable à partir du",
        help_text="Format attendu : JJ/MM/AAAA. Avant cette date, le jeton est refusé.",
        error_messages={"required": "Indiquez la date de début de validité."},
    )
    expires_on = BoundedDateField(
        label="Valable jusqu'au (inclus)",
        help_text=f"Format attendu : JJ/MM/AAAA. {MAX_VALIDITY_YEARS} ans au plus après le début de validité ; "
        "le jeton est refusé à partir du lendemain.",
        error_messages={"required": "Indiquez la date de fin de validité."},
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["valid_from"].initial = self.today
        self.fields["expires_on"].initial = add_years(self.today, 1)

    def clean_valid_from(self):
        value = self.cleaned_data["valid_from"]
        if value and value < self.today:
            raise forms.ValidationError("Choisissez aujourd'hui ou une date à venir.")
        return value

    def clean(self):
        cleaned = super().clean()
        level, region, department = cleaned.get("level"), cleaned.get("region"), cleaned.get("department")
        if level == ScopeLevel.REGION:
            if region is None and "region" not in self.errors:
                self.add_error("region", "Choisissez la région du partenaire.")
            cleaned["department"] = None
        elif level == ScopeLevel.DEPARTMENT:
            if department is None and "department" not in self.errors:
                self.add_error("department", "Choisissez le département du partenaire.")
            cleaned["region"] = None
        elif level == ScopeLevel.NATIONAL:
            cleaned["region"] = cleaned["department"] = None
        start, end = cleaned.get("valid_from"), cleaned.get("expires_on")
        if start and end:
            if end < start:
                self.add_error("expires_on", "Choisissez une date égale ou postérieure au début de validité.")
            elif end > add_years(start, MAX_VALIDITY_YEARS):
                self.add_error(
                    "expires_on",
                    f"Choisissez une date au plus tard le {fr_date(add_years(start, MAX_VALIDITY_YEARS))} "
                    f"({MAX_VALIDITY_YEARS} ans après le début de validité).",
                )
        return cleaned

    def token_fields(self) -> dict:
        """The keyword arguments of services.api_token_create for the valid form."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "organisation": data["organisation"],
            "contact_email": data["contact_email"],
            "level": data["level"],
            "region": data["region"],
            "department": data["department"],
            "rights": data["rights"],
            "rate_limit": data["rate_limit"],
            "valid_from": start_of(data["valid_from"]),
            "expires_at": start_of(data["expires_on"] + timedelta(days=1)),
        }


class RevokeForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Motif de la révocation",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Lu par l'équipe nationale seulement (fiche du jeton, journal d'audit) : l'API dit au partenaire "
        "que son jeton est révoqué, sans ce motif. Ex. « fin de la convention », « jeton exposé ». "
        "1 000 caractères au plus.",
        error_messages={
            "required": "Indiquez le motif de la révocation.",
            "max_length": "1 000 caractères au plus.",
        },
    )

    def clean_reason(self):
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise forms.ValidationError("Indiquez le motif de la révocation.")
        return value


STATUS_FILTERS = [
    ("", "Tous les appels"),
    ("2xx", "Réussis (2xx, 304)"),
    ("401", "Refusés : jeton invalide (401)"),
    ("403", "Refusés : droit manquant (403)"),
    ("404", "Introuvables (404)"),
    ("422", "Paramètres invalides (400, 422)"),
    ("429", "Limite de requêtes atteinte (429)"),
    ("5xx", "Erreurs du serveur (5xx)"),
]


class CallFilterForm(DsfrBaseForm):
    statut = forms.ChoiceField(
        label="Statut",
        required=False,
        choices=STATUS_FILTERS,
        error_messages={"invalid_choice": "Choisissez un statut de la liste."},
    )

    def filter(self, calls):
        if not self.is_valid():
            return calls
        value = self.cleaned_data["statut"]
        if value == "2xx":
            return calls.filter(status__gte=200, status__lt=400)
        if value == "422":
            return calls.filter(status__in=[400, 422])
        if value == "5xx":
            return calls.filter(status__gte=500)
        if value:
            return calls.filter(status=int(value))
        return calls
