"""Espace Coop forms on the network directory: a commune typed freely, activity places, the advisor's profile."""

import re

from django import forms
from django.core.validators import RegexValidator
from django.utils.html import format_html
from dsfr.forms import DsfrBaseForm

from common.forms import SingleLineCharField
from directory.enums import AccessType, DayPart, Weekday
from directory.models import Advisor, Place
from directory.phones import display_phone, e164_phone, international_phone
from territories.models import Commune, PostalCode
from territories.selectors import (
    arrondissement_for,
    commune_for_postal_code,
    commune_label,
    is_municipal_arrondissement,
    search_communes,
)
from territories.utils import normalize_search

_LABEL = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[0-9]{5})(?:\s*,.*)?\)\s*$")
_FIVE_DIGITS = re.compile(r"^[0-9]{5}$")
MAX_SUGGESTIONS = 5

PHONE_VALIDATOR = RegexValidator(
    r"^(?:\+33 ?[1-9]|0[1-9])(?:[ .-]?[0-9]{2}){4}$|^\+(?:262|269|508|590|594|596|687|689)[ .0-9]{6,12}$",
    "Saisissez un numéro de téléphone français valide, ex. : 01 23 45 67 89 ou +33 1 23 45 67 89.",
)


FRENCH_PHONE_MESSAGE = (
    "Saisissez un numéro de téléphone français valide (métropole ou outre-mer), "
    "ex. : 01 23 45 67 89, 0590 12 34 56 ou +33 1 23 45 67 89."
)
ANY_PHONE_MESSAGE = "Saisissez un numéro de téléphone valide, ex. : 06 12 34 56 78 ou +32 470 12 34 56."
PHONE_HELP = "Format attendu : 01 23 45 67 89 ou +33 1 23 45 67 89"
_STORED_PHONE = re.compile(r"^\+[0-9]{6,15}$")


class PhoneField(forms.CharField):
    """A phone typed the usual ways (spaces, dots, +33, 0033, « (0) »), cleaned to the international form.

    French-only fields (places, structures, advisors' public contacts) take what the lieux schema takes: metropolitan
    and overseas numbers (directory.phones); others any valid number. Stored numbers are shown grouped for reading.
    """

    def __init__(self, *, french_only: bool = True, department_code: str = "", **kwargs):
        kwargs.setdefault("max_length", 25)
        kwargs.setdefault("help_text", PHONE_HELP)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)
        self.french_only = french_only
        self.department_code = department_code

    def prepare_value(self, value):
        if isinstance(value, str) and _STORED_PHONE.match(value):
            return display_phone(value)
        return super().prepare_value(value)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return ""
        convert = international_phone if self.french_only else e164_phone
        number = convert(text, self.department_code)
        if not number:
            message = FRENCH_PHONE_MESSAGE if self.french_only else ANY_PHONE_MESSAGE
            raise forms.ValidationError(message, code="phone_invalid")
        return number


def _choices_text(communes) -> str:
    return ", ".join(commune_label(commune) for commune in communes[:MAX_SUGGESTIONS])


def resolve_commune(text: str) -> Commune:
    """The one commune meant by a name, a postal code, an INSEE code or a label "Nom (code postal, …)".

    Raises a ValidationError in French that suggests how to disambiguate.
    """
    text = " ".join(text.split())
    match = _LABEL.match(text)
    if match:
        name, code = normalize_search(match["name"]), match["code"]
        communes = list(Commune.objects.filter(postal_code_rows__code=code).distinct().order_by("-population"))
        named = [commune for commune in communes if normalize_search(commune.name) == name]
        if len(named) == 1:
            return arrondissement_for(named[0], code)
        if not named and not communes:
            raise forms.ValidationError(
                "Aucune commune ne correspond à « %(text)s ».", code="commune_unknown", params={"text": text}
            )
        text = code if not named else match["name"]
    if _FIVE_DIGITS.match(text):
        communes = list(Commune.objects.filter(postal_code_rows__code=text).select_related("department").distinct())
        if not communes:
            commune = Commune.objects.filter(pk=text).first()
            if commune:
                return commune
            raise forms.ValidationError(
                "Aucune commune n'a le code postal %(code)s.", code="commune_unknown", params={"code": text}
            )
        cities = [commune for commune in communes if not is_municipal_arrondissement(commune.code)]
        if len(cities) <= 1:
            return commune_for_postal_code(text)
        cities.sort(key=lambda commune: -commune.population)
        raise forms.ValidationError(
            "Plusieurs communes ont le code postal %(code)s : saisissez par exemple « %(example)s ». "
            "Communes : %(choices)s.",
            code="commune_ambiguous",
            params={"code": text, "example": commune_label(cities[0], text), "choices": _choices_text(cities)},
        )
    name = normalize_search(text)
    if len(name) < 2:
        raise forms.ValidationError("Saisissez au moins deux lettres du nom de la commune.", code="commune_short")
    found = search_communes(text, limit=50)
    exact = [commune for commune in found if normalize_search(commune.name) == name]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise forms.ValidationError(
            "Plusieurs communes s'appellent « %(name)s » : précisez le code postal, par exemple « %(example)s ». "
            "Communes : %(choices)s.",
            code="commune_ambiguous",
            params={"name": text, "example": commune_label(exact[0]), "choices": _choices_text(exact)},
        )
    if found:
        raise forms.ValidationError(
            "Commune introuvable. Vouliez-vous dire : %(choices)s ?",
            code="commune_unknown",
            params={"choices": _choices_text(found)},
        )
    raise forms.ValidationError(
        "Commune introuvable : vérifiez l'orthographe ou saisissez le code postal.", code="commune_unknown"
    )


class CommuneInput(forms.TextInput):
    """A text input that static JS may enhance with suggestions from /territoires/communes/."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "data-commune-search": "", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Commune):
            return commune_label(value)
        return super().format_value(value)


class CommuneField(forms.CharField):
    """A commune typed as a name, a postal code or "Nom (code postal)", resolved on the server."""

    widget = CommuneInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 150)
        kwargs.setdefault("help_text", "Format attendu : nom de la commune ou code postal, ex. : Marseille ou 13001.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, str) and _FIVE_DIGITS.match(value) and not self.disabled:
            commune = Commune.objects.filter(pk=value).first()
            return commune_label(commune) if commune else value
        return super().prepare_value(value)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        return resolve_commune(text)


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Saisissez une heure valide, ex. : 09:00."},
    )


def hours_field_name(day: str, part: str, bound: str) -> str:
    return f"hours_{day}_{part}_{bound}"


class WebsiteField(forms.URLField):
    """A web address: one typed without a scheme keeps getting http:// (said explicitly: Django 6 changes it)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "http")
        super().__init__(**kwargs)


class PlaceForm(DsfrBaseForm, forms.ModelForm):
    """An activity place: address and commune, opening hours per half-day, access, itinerancy, public visibility."""

    commune = CommuneField(label="Commune", error_messages={"required": "Indiquez la commune du lieu."})
    access_types = forms.MultipleChoiceField(
        label="Modalités d'accès",
        choices=AccessType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="« La structure n'accueille pas de public » ne se combine pas avec les autres choix.",
        error_messages={"required": "Cochez au moins une modalité d'accès."},
    )
    latitude = forms.FloatField(
        label="Latitude",
        required=False,
        min_value=-90,
        max_value=90,
        help_text=(
            "Facultatif : laissez vide pour que l'adresse soit localisée automatiquement (à défaut, le centre de la "
            "commune). Format attendu : 48.8566"
        ),
        localize=False,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    longitude = forms.FloatField(
        label="Longitude",
        required=False,
        min_value=-180,
        max_value=180,
        help_text="Format attendu : 2.3522",
        localize=False,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    phone = PhoneField(label="Téléphone du lieu", required=False)

    class Meta:
        model = Place
        field_classes = {"name": SingleLineCharField, "address": SingleLineCharField, "website": WebsiteField}
        fields = [
            "name",
            "address",
            "postal_code",
            "commune",
            "latitude",
            "longitude",
            "access_types",
            "itinerant",
            "is_public",
            "phone",
            "email",
            "website",
        ]
        labels = {
            "name": "Nom du lieu",
            "address": "Adresse",
            "postal_code": "Code postal",
            "itinerant": "Lieu d'itinérance (chaque point d'itinérance est un lieu à part)",
            "is_public": "Afficher ce lieu sur la carte publique « Trouver un conseiller »",
            "email": "E-mail du lieu",
            "website": "Site web du lieu",
        }
        error_messages = {
            "name": {"required": "Indiquez le nom du lieu."},
            "address": {"required": "Indiquez l'adresse du lieu."},
        }
        help_texts = {
            "name": "Ex. : Médiathèque Louise-Michel",
            "address": "Numéro et voie, ex. : 12 rue de la République",
            "postal_code": "Facultatif : par défaut, celui de la commune. Format attendu : 5 chiffres",
            "email": "Format attendu : nom@domaine.fr",
            "website": "Format attendu : https://www.exemple.fr",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hours = (self.instance.opening_hours if self.instance.pk else None) or {}
        for day in Weekday:
            for part in DayPart:
                span = (hours.get(day.value) or {}).get(part.value)
                for index, bound in enumerate(("start", "end")):
                    name = hours_field_name(day.value, part.value, bound)
                    word = "ouverture" if bound == "start" else "fermeture"
                    # The day is read by screen readers only: on screen it heads the group of four fields.
                    label = format_html('<span class="fr-sr-only">{} </span>{} : {}', day.label, part.label, word)
                    self.fields[name] = _time_field(label)
                    if span:
                        self.initial.setdefault(name, span[index])
        self.fields["postal_code"].validators.append(
            RegexValidator(r"^[0-9]{5}$", "Le code postal doit comporter 5 chiffres.")
        )
        if self.instance.pk:
            self.initial["commune"] = self.instance.commune
            self.fields["phone"].department_code = self.instance.department_id

    def opening_hours_rows(self):
        """[(day label, [(part label, start field, end field), …]), …] for the template's table."""
        return [
            (
                day.label,
                [
                    (
                        part.label,
                        self[hours_field_name(day.value, part.value, "start")],
                        self[hours_field_name(day.value, part.value, "end")],
                    )
                    for part in DayPart
                ],
            )
            for day in Weekday
        ]

    def clean_access_types(self):
        values = self.cleaned_data["access_types"]
        if AccessType.NO_PUBLIC in values and len(values) > 1:
            raise forms.ValidationError(
                "« La structure n'accueille pas de public » ne peut pas être cochée avec un autre accès."
            )
        return values

    def clean(self):
        cleaned = super().clean()
        hours = {}
        for day in Weekday:
            hours[day.value] = {}
            for part in DayPart:
                start_name = hours_field_name(day.value, part.value, "start")
                end_name = hours_field_name(day.value, part.value, "end")
                start, end = cleaned.get(start_name), cleaned.get(end_name)
                hours[day.value][part.value] = None
                if start is None and end is None:
                    continue
                label = f"{day.label} {part.label.lower()}"
                if start is None or end is None:
                    missing = start_name if start is None else end_name
                    if missing not in self.errors:
                        self.add_error(missing, f"{label} : indiquez l'heure d'ouverture et l'heure de fermeture.")
                    continue
                if start >= end:
                    self.add_error(end_name, f"{label} : l'heure de fermeture doit être après l'heure d'ouverture.")
                    continue
                hours[day.value][part.value] = [start.strftime("%H:%M"), end.strftime("%H:%M")]
        cleaned["opening_hours"] = hours
        commune = cleaned.get("commune")
        if commune is not None:
            if not cleaned.get("postal_code"):
                cleaned["postal_code"] = commune.main_postal_code
            elif not PostalCode.objects.filter(code=cleaned["postal_code"], commune=commune).exists():
                self.add_error(
                    "postal_code",
                    f"Le code postal {cleaned['postal_code']} n'est pas celui de {commune.name}"
                    f" ({', '.join(commune.postal_codes[:3])}).",
                )
            else:
                # Paris, Lyon or Marseille with the postal code of an arrondissement: the place is in that one.
                cleaned["commune"] = commune = arrondissement_for(commune, cleaned["postal_code"])
            if cleaned.get("latitude") is None and cleaned.get("longitude") is None:
                cleaned["latitude"], cleaned["longitude"] = commune.latitude, commune.longitude
            elif cleaned.get("latitude") is None or cleaned.get("longitude") is None:
                self.add_error("longitude", "Indiquez la latitude et la longitude, ou aucune des deux.")
        return cleaned

    def place_values(self) -> dict:
        """The Place fields to save, from the cleaned data."""
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["opening_hours"] = self.cleaned_data["opening_hours"]
        return values


class ProfileForm(DsfrBaseForm, forms.ModelForm):
    """The advisor's professional contact, line manager and visibility on the public map."""

    professional_phone = PhoneField(label="Téléphone professionnel", required=False)
    line_manager_phone = PhoneField(label="Téléphone du supérieur hiérarchique", required=False)

    class Meta:
        model = Advisor
        field_classes = {"line_manager_name": SingleLineCharField, "line_manager_function": SingleLineCharField}
        fields = [
            "professional_email",
            "professional_phone",
            "line_manager_name",
            "line_manager_function",
            "line_manager_email",
            "line_manager_phone",
            "show_on_map",
        ]
        labels = {
            "professional_email": "E-mail professionnel",
            "line_manager_name": "Nom et prénom du supérieur hiérarchique",
            "line_manager_function": "Fonction du supérieur hiérarchique",
            "line_manager_email": "E-mail du supérieur hiérarchique",
            "show_on_map": "Afficher mon nom sur la carte publique « Trouver un conseiller »",
        }
        help_texts = {
            "professional_email": "Format attendu : nom@domaine.fr",
            "line_manager_email": "Format attendu : nom@domaine.fr",
            "line_manager_function": "Ex. : Directrice du centre social",
            "show_on_map": "Sinon, vos lieux restent visibles avec la mention « Conseiller numérique ».",
        }

    def clean(self):
        cleaned = super().clean()
        manager = [cleaned.get(name) for name in ("line_manager_function", "line_manager_email", "line_manager_phone")]
        if any(manager) and not cleaned.get("line_manager_name"):
            self.add_error("line_manager_name", "Indiquez le nom de votre supérieur hiérarchique.")
        return cleaned
