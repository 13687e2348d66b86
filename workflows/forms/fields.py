"""Shared pieces of the DSFR forms: date input, honeypot, commune lookup, audience texts (phones: PhoneField)."""

import re

from django import forms

from territories.models import Commune
from territories.selectors import (
    arrondissement_for,
    commune_label,
    communes_named_with_postal_code,
    is_municipal_arrondissement,
    search_communes,
)
from territories.utils import normalize_search
from workflows.audiences import INTERNAL_NOTE_HELP
from workflows.enums import RefusalReason

YES_NO = [("oui", "Oui"), ("non", "Non")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


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


def text_field(label: str, help_text: str, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=1000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
    )


def internal_note_field(label: str = "Note interne (facultative)", extra: str = "", required: bool = False):
    """A text for the agents only: the label and hint say so."""
    return text_field(label, f"{INTERNAL_NOTE_HELP} {extra}".strip(), required=required)


def message_field(label: str, help_text: str):
    """A text for the applicant side (structure, candidate): the label and hint say who reads it."""
    return text_field(label, help_text)


def refusal_reason_field(label: str, help_text: str) -> forms.ChoiceField:
    """The official refusal reason of a negative decision (required by the service when the decision refuses)."""
    return forms.ChoiceField(
        label=label, choices=[("", "Choisir un motif"), *RefusalReason.choices], required=False, help_text=help_text
    )
