"""Forms of the coordinators' activities: one per type (La Coop's fields), and the filters of their list and stats."""

import uuid

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from common.forms import BoundedDateField, BoundedPeriodMixin, SingleLineCharField
from reporting.enums import (
    AnimationTheme,
    AnimationType,
    CoordinationKind,
    EventType,
    Initiative,
    Organiser,
    PartnershipNature,
    TerritorialLevel,
)
from reporting.forms import CHECKBOXES_TEMPLATE, InlineRadioSelect, duration_label, duration_part_field
from reporting.selectors import PROGRAMME_START, Period
from reporting.services.coordination import KIND_FIELDS, MAX_COUNT, PARTNER_TYPES, coordination_errors

CUSTOM_DURATION = "autre"
DURATIONS = [30, 60, 90, 120, 180, 240, 420]
PARTNER_ROWS = 5
MAX_PARTNER_ROWS = 30
NOTES_HELP = (
    "Visibles de vous seul : elles n'apparaissent ni dans le tableau de pilotage, ni dans ses exports. "
    "N'y notez aucune information sensible ni aucun nom de personne."
)
KIND_INTROS = {
    CoordinationKind.ANIMATION: (
        "Réunion, comité, groupe de travail, webinaire… que vous animez pour les acteurs de la médiation numérique."
    ),
    CoordinationKind.EVENT: "Un événement auquel vous participez ou que vous organisez : grand public, NEC, ANCTour…",
    CoordinationKind.PARTNERSHIP: "Un rendez-vous ou un travail avec des partenaires : élus, financeurs, structures…",
}
KIND_TITLES = {
    CoordinationKind.ANIMATION: "Enregistrer une animation",
    CoordinationKind.EVENT: "Enregistrer un événement",
    CoordinationKind.PARTNERSHIP: "Enregistrer un partenariat",
}


def _count_field(label: str, *, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_COUNT,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_COUNT}),
        error_messages={
            "invalid": "Saisissez un nombre entier.",
            "min_value": "Le nombre ne peut pas être négatif.",
            "max_value": f"Le nombre ne peut pas dépasser {MAX_COUNT}.",
        },
    )


def _other_field(label: str) -> SingleLineCharField:
    return SingleLineCharField(
        label=label,
        required=False,
        max_length=200,
        error_messages={"max_length": "200 caractères au plus."},
    )


def _checkboxes(label: str, choices, *, help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        template_name=CHECKBOXES_TEMPLATE,
        help_text=help_text,
        error_messages={"invalid_choice": "Choix inconnu : choisissez dans la liste."},
    )


class CoordinationForm(DsfrBaseForm):
    """Fields common to the three types; `kind` and the type's fields come from the subclass."""

    kind = ""
    kind_fields: tuple[str, ...] = ()
    token = forms.UUIDField(widget=forms.HiddenInput)
    date = BoundedDateField(
        label="Date",
        help_text="Format attendu : JJ/MM/AAAA. Une activité passée peut être enregistrée, pas une activité à venir.",
        error_messages={"required": "Indiquez la date de l'activité.", "invalid": "Saisissez une date valide."},
    )
    duration = forms.ChoiceField(
        label="Durée (facultatif)",
        required=False,
        widget=InlineRadioSelect,
        choices=[(str(minutes), duration_label(minutes)) for minutes in DURATIONS]
        + [(CUSTOM_DURATION, "Autre durée")],
        error_messages={"invalid_choice": "Choisissez une durée dans la liste ou « Autre durée »."},
    )
    duration_hours = duration_part_field("Heures", "heures", 168)
    duration_minutes = duration_part_field("Minutes", "minutes", 59)
    name = SingleLineCharField(
        label="Nom (facultatif)",
        required=False,
        max_length=200,
        help_text="Il apparaît dans vos listes, vos exports et ceux du pilotage. Ex. : Comité de pilotage FNE 2026",
        error_messages={"max_length": "200 caractères au plus."},
    )
    territorial_level = forms.ChoiceField(
        label="Échelon territorial (facultatif)",
        required=False,
        choices=TerritorialLevel.choices,
        widget=InlineRadioSelect,
        error_messages={"invalid_choice": "Choix inconnu : choisissez dans la liste."},
    )
    tags = forms.MultipleChoiceField(
        label="Étiquettes (facultatif)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        template_name=CHECKBOXES_TEMPLATE,
        help_text="Vos étiquettes, celles de votre département et les étiquettes nationales.",
        error_messages={"invalid_choice": "Cette étiquette ne peut pas être utilisée."},
    )
    notes = forms.CharField(
        label="Notes privées (facultatif)",
        required=False,
        max_length=2000,
        help_text=NOTES_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Les notes ne peuvent pas dépasser 2 000 caractères."},
    )

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tag_objects = {str(tag.pk): tag for tag in tags}
        self.fields["tags"].choices = [(str(tag.pk), tag.name) for tag in tags]
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())
        self.fields["date"].widget.attrs.update(
            {"max": timezone.localdate().isoformat(), "min": PROGRAMME_START.isoformat()}
        )

    # Values and rules

    def _duration(self, cleaned) -> int | None:
        choice = cleaned.get("duration")
        if choice != CUSTOM_DURATION:
            return int(choice) if choice else None
        hours, minutes = cleaned.get("duration_hours"), cleaned.get("duration_minutes")
        if "duration_hours" in self.errors or "duration_minutes" in self.errors:
            return None
        total = (hours or 0) * 60 + (minutes or 0)
        if total <= 0:
            self.add_error("duration_hours", "Indiquez la durée en heures et minutes (au moins 1 minute).")
            return None
        return total

    def kind_values(self, cleaned) -> dict:
        return {name: cleaned.get(name) for name in self.kind_fields}

    def clean(self):
        cleaned = super().clean()
        values = {
            "date": cleaned.get("date"),
            "duration": self._duration(cleaned),
            "name": cleaned.get("name") or "",
            "territorial_level": cleaned.get("territorial_level") or "",
            "notes": (cleaned.get("notes") or "").strip(),
        }
        values.update(self.kind_values(cleaned))
        for field, message in coordination_errors(self.kind, values).items():
            target = self.error_field(field)
            if target not in self.errors and field not in self.errors:
                self.add_error(target, message)
        self.values = {"kind": self.kind, **values}
        return cleaned

    def error_field(self, name: str) -> str:
        """The form field that shows a rule's message (a value may come from several inputs)."""
        return name if name in self.fields else None

    def activity_values(self) -> dict:
        """The CoordinationActivity fields of valid data."""
        return self.values

    def chosen_tags(self) -> list:
        return [self.tag_objects[pk] for pk in self.cleaned_data.get("tags") or []]

    @classmethod
    def initial_from(cls, activity, *, duplicate: bool = False) -> dict:
        """Form initial data from an activity (a duplicate gets today's date, a new token and no notes)."""
        duration = activity.duration
        initial = {
            "date": timezone.localdate() if duplicate else activity.date,
            "name": activity.name,
            "territorial_level": activity.territorial_level,
            "notes": "" if duplicate else activity.notes,
            "duration": "" if duration is None else (str(duration) if duration in DURATIONS else CUSTOM_DURATION),
            "duration_hours": duration // 60 if duration else None,
            "duration_minutes": duration % 60 if duration else None,
            "tags": [str(pk) for pk in activity.tags.values_list("pk", flat=True)],
        }
        initial.update({name: getattr(activity, name) for name in cls.kind_fields})
        if not duplicate:
            initial["token"] = activity.idempotency_token
        return initial


class AnimationForm(CoordinationForm):
    """An animation: who took part (counts), its type, on whose initiative, its thématiques."""

    kind = CoordinationKind.ANIMATION
    kind_fields = tuple(KIND_FIELDS[CoordinationKind.ANIMATION])
    advisors_count = _count_field("Médiateurs numériques", help_text="Conseillers et médiateurs numériques.")
    structures_count = _count_field("Structures")
    other_actors_count = _count_field("Autres acteurs", help_text="Élus, partenaires, financeurs…")
    animation_type = forms.ChoiceField(
        label="Type d'animation",
        choices=AnimationType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le type d'animation.", "invalid_choice": "Choix inconnu."},
    )
    animation_type_other = _other_field("Précisez le type d'animation")
    initiative = forms.ChoiceField(
        label="Initiative (facultatif)",
        required=False,
        choices=Initiative.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choix inconnu."},
    )
    animation_themes = _checkboxes("Thématiques de l'animation (facultatif)", AnimationTheme.choices)
    animation_theme_other = _other_field("Précisez l'autre thématique")

    def kind_values(self, cleaned) -> dict:
        values = super().kind_values(cleaned)
        for name in ("advisors_count", "structures_count", "other_actors_count"):
            values[name] = values[name] or 0
        values["animation_themes"] = values["animation_themes"] or []
        for name in ("animation_type", "animation_type_other", "initiative", "animation_theme_other"):
            values[name] = values[name] or ""
        return values


class EventForm(CoordinationForm):
    """An event: its participants, its type, who organised it."""

    kind = CoordinationKind.EVENT
    kind_fields = tuple(KIND_FIELDS[CoordinationKind.EVENT])
    participants = _count_field("Nombre de participants")
    event_type = forms.ChoiceField(
        label="Type d'événement",
        choices=EventType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le type d'événement.", "invalid_choice": "Choix inconnu."},
    )
    event_type_other = _other_field("Précisez le type d'événement")
    organisers = _checkboxes("Organisé par (facultatif)", Organiser.choices)
    organiser_other = _other_field("Précisez l'autre organisateur")

    def kind_values(self, cleaned) -> dict:
        values = super().kind_values(cleaned)
        values["participants"] = values["participants"] or 0
        values["organisers"] = values["organisers"] or []
        for name in ("event_type", "event_type_other", "organiser_other"):
            values[name] = values[name] or ""
        return values


class PartnershipForm(CoordinationForm):
    """A partnership: its natures and the partner structures (rows of name + type; more rows when sent)."""

    kind = CoordinationKind.PARTNERSHIP
    # The partner structures are typed in rows of their own (see __init__), not in one field.
    kind_fields = tuple(name for name in KIND_FIELDS[CoordinationKind.PARTNERSHIP] if name != "partner_structures")
    partnership_natures = _checkboxes("Nature du partenariat", PartnershipNature.choices)
    partnership_nature_other = _other_field("Précisez l'autre nature")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner_count = max(PARTNER_ROWS, len(self.initial.get("partner_structures") or []) + 1)
        if self.is_bound:
            sent = [key for key in self.data if key.startswith("partner_name_") and key[13:].isdigit()]
            highest = max((int(key[13:]) for key in sent), default=-1)
            self.partner_count = min(MAX_PARTNER_ROWS, max(PARTNER_ROWS, highest + 1))
        for index in range(self.partner_count):
            self.fields[f"partner_name_{index}"] = SingleLineCharField(
                label=f"Nom de la structure {index + 1}",
                required=False,
                max_length=200,
                error_messages={"max_length": "200 caractères au plus."},
            )
            self.fields[f"partner_type_{index}"] = forms.ChoiceField(
                label=f"Type de la structure {index + 1}",
                required=False,
                choices=[("", "Choisir un type"), *PARTNER_TYPES],
                error_messages={"invalid_choice": "Choix inconnu : choisissez dans la liste."},
            )
        for index, row in enumerate((self.initial.get("partner_structures") or [])[: self.partner_count]):
            self.initial[f"partner_name_{index}"] = row.get("name", "")
            self.initial[f"partner_type_{index}"] = row.get("type", "")

    def partner_rows(self):
        """[(index, name field, type field)] for the template."""
        return [
            (index, self[f"partner_name_{index}"], self[f"partner_type_{index}"])
            for index in range(self.partner_count)
        ]

    def kind_values(self, cleaned) -> dict:
        values = super().kind_values(cleaned)
        values["partnership_natures"] = values["partnership_natures"] or []
        values["partnership_nature_other"] = values["partnership_nature_other"] or ""
        rows = []
        for index in range(self.partner_count):
            name, kind = cleaned.get(f"partner_name_{index}") or "", cleaned.get(f"partner_type_{index}") or ""
            if name and not kind:
                self.add_error(f"partner_type_{index}", "Choisissez le type de cette structure.")
            elif kind and not name:
                self.add_error(f"partner_name_{index}", "Indiquez le nom de cette structure.")
            elif name and kind:
                rows.append({"name": name, "type": kind})
        values["partner_structures"] = rows
        return values

    def error_field(self, name: str) -> str:
        return "partner_name_0" if name == "partner_structures" else super().error_field(name)

    @classmethod
    def initial_from(cls, activity, *, duplicate: bool = False) -> dict:
        initial = super().initial_from(activity, duplicate=duplicate)
        initial["partner_structures"] = activity.partner_structures
        return initial


COORDINATION_FORMS = {
    CoordinationKind.ANIMATION: AnimationForm,
    CoordinationKind.EVENT: EventForm,
    CoordinationKind.PARTNERSHIP: PartnershipForm,
}


class CoordinationFilterForm(BoundedPeriodMixin, DsfrBaseForm):
    """Filters of the coordination list and statistics: a period, a type, a tag."""

    start = BoundedDateField(label="Du", required=False)
    end = BoundedDateField(label="Au", required=False)
    kind = forms.ChoiceField(label="Type", choices=[("", "Tous les types"), *CoordinationKind.choices], required=False)
    tag = forms.ChoiceField(label="Étiquette", required=False)

    def __init__(self, *args, default_period: Period, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.default_period = default_period
        self.tag_names = {str(tag.pk): tag.name for tag in tags}
        self.fields["tag"].choices = [("", "Toutes les étiquettes"), *self.tag_names.items()]
        self.initial.setdefault("start", default_period.start)
        self.initial.setdefault("end", default_period.end)

    def _valid(self) -> dict:
        return self.cleaned_data if self.is_bound and self.is_valid() else {}

    @property
    def period(self) -> Period:
        data = self._valid()
        if not data:
            return self.default_period
        start = data.get("start") or self.default_period.start
        end = data.get("end") or max(self.default_period.end, start)
        return Period(start, end)

    def apply(self, activities):
        """The activities of the period, type and tag asked for."""
        period, data = self.period, self._valid()
        activities = activities.filter(date__range=(period.start, period.end))
        if data.get("kind"):
            activities = activities.filter(kind=data["kind"])
        if data.get("tag"):
            activities = activities.filter(tags=int(data["tag"]))
        return activities

    def active_filters(self) -> list[str]:
        data, labels = self._valid(), []
        if data.get("kind"):
            labels.append(f"Type : {CoordinationKind(data['kind']).label}")
        if data.get("tag"):
            labels.append(f"Étiquette : {self.tag_names[data['tag']]}")
        return labels
