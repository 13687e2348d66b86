"""Forms of the Espace Coop: the activity report (individual and workshop), list filters and statistics filters."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.html import conditional_escape
from dsfr.forms import DsfrBaseForm

from common.form_renderer import FAST_TEMPLATES, input_tag, plain_option
from common.forms import BoundedDateField, BoundedPeriodMixin, SingleLineCharField
from directory.forms import CommuneField
from reporting.counters import GROUPS, MATERIAL_BITS, PROCEDURE_BITS, THEME_BITS, to_mask
from reporting.enums import (
    PROCEDURE_HINTS,
    THEME_HINTS,
    ActivityKind,
    AgeBand,
    Autonomy,
    Gender,
    Material,
    PlaceType,
    Procedure,
    RedirectionStructure,
    SocialStatus,
    TagScope,
    Theme,
    WorkshopLevel,
)
from reporting.models import Tag
from reporting.selectors import PROGRAMME_START, Filters, Period

MAX_PARTICIPANTS = 200
MAX_MINUTES = 23 * 60 + 59
CUSTOM_DURATION = "autre"
CHECKBOXES_TEMPLATE = "dsfr/form_field_snippets/checkboxselectmultiple_snippet.html"
YES, NO = "oui", "non"
NOTES_WARNING = (
    "Il est interdit d'y noter des informations sensibles (données de santé, mots de passe, numéros de "
    "sécurité sociale, etc.) ou permettant d'identifier la personne."
)


def duration_label(minutes: int) -> str:
    """15 → "15 min", 60 → "1 h", 90 → "1 h 30"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def duration_part_field(label: str, unit: str, maximum: int) -> forms.IntegerField:
    """The hours or minutes input of a custom duration (« Autre durée »)."""
    message = f"Entre 0 et {maximum} {unit}."
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=maximum,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": maximum}),
        error_messages={"min_value": message, "max_value": message},
    )


HINTED_OPTION_TEMPLATE = "reporting/widgets/hinted_checkbox_option.html"


def hinted_option(widget: dict) -> str | None:
    """reporting/widgets/hinted_checkbox_option.html without the template engine (see common.form_renderer); the
    report-form test of tests/common/test_form_renderer.py fails when the two differ."""
    if not plain_option(widget):
        return None
    hint = f'<span class="fr-hint-text">{conditional_escape(widget["hint"])}</span>' if widget.get("hint") else ""
    return (
        f'<div class="fr-checkbox-group">\n  {input_tag(widget)}\n'
        f'  <label class="fr-label" for="{conditional_escape(widget["attrs"].get("id", ""))}">\n'
        f"    {conditional_escape(widget['label'])}\n    {hint}\n  </label>\n</div>\n"
    )


FAST_TEMPLATES[HINTED_OPTION_TEMPLATE] = hinted_option


class HintedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """DSFR checkboxes with a hint under each label (e.g. examples of a thématique)."""

    option_template_name = HINTED_OPTION_TEMPLATE

    def __init__(self, hints: dict, attrs=None):
        super().__init__(attrs)
        self.hints = {str(key): value for key, value in hints.items()}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(str(value), "")
        return option


class InlineRadioSelect(forms.RadioSelect):
    """DSFR radio buttons laid out on one line (they wrap on small screens)."""

    inline = True


class InlineCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    inline = True


def _count_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_PARTICIPANTS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_PARTICIPANTS}),
        error_messages={
            "invalid": "Saisissez un nombre entier.",
            "min_value": "Le nombre ne peut pas être négatif.",
            "max_value": f"Le nombre ne peut pas dépasser {MAX_PARTICIPANTS}.",
        },
    )


def tag_label(tag) -> str:
    """A tag's name with its scope, as filters and exports show it."""
    if tag.scope == TagScope.DEPARTMENT:
        return f"{tag.name} (départementale {tag.department_id})"
    if tag.scope == TagScope.NATIONAL:
        return f"{tag.name} (nationale)"
    return f"{tag.name} (personnelle)"


class TagChoiceField(forms.ModelMultipleChoiceField):
    """The tags of a report: DSFR checkboxes over the tags its author may use (set per request by the views)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Tag.objects.none())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Étiquettes")
        kwargs.setdefault(
            "help_text",
            "Facultatif. Vos étiquettes personnelles ne sont visibles que de vous ; les étiquettes départementales et "
            "nationales sont comptées dans les statistiques de votre équipe et du territoire.",
        )
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": "L'étiquette choisie n'est pas disponible : rechargez la page et choisissez-en une "
                "dans la liste.",
                "invalid_pk_value": "Choisissez une étiquette dans la liste.",
            },
        )
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return obj.name

    def groups(self, bound_field) -> list[tuple[str, list]]:
        """(group label, [checkbox subwidgets]) per tag scope, in the order Personnel, Départemental, National."""
        grouped = {scope: [] for scope in TagScope.values}
        for widget in bound_field.subwidgets:
            grouped[widget.data["value"].instance.scope].append(widget)
        return [(TagScope(scope).label, widgets) for scope, widgets in grouped.items() if widgets]


class ActivityForm(DsfrBaseForm):
    """Fields common to both kinds of report; `kind` is fixed by the subclass."""

    kind = ""
    token = forms.UUIDField(widget=forms.HiddenInput)
    date = BoundedDateField(
        label="Date",
        help_text="Format attendu : JJ/MM/AAAA. Vous pouvez enregistrer une activité passée.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Indiquez la date de l'activité.", "invalid": "Saisissez une date valide."},
    )
    duration = forms.CharField(
        label="Durée",
        widget=InlineRadioSelect,
        error_messages={"required": "Choisissez une durée."},
    )
    duration_hours = duration_part_field("Heures", "heures", 23)
    duration_minutes = duration_part_field("Minutes", "minutes", 59)
    place_type = forms.ChoiceField(
        label="Lieu de l'activité",
        choices=PlaceType.choices,
        widget=InlineRadioSelect,
        error_messages={"required": "Indiquez où l'activité a eu lieu."},
    )
    place = forms.ChoiceField(
        label="Lequel de vos lieux d'activité ?",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Ce lieu ne fait pas partie de vos lieux d'activité."},
    )
    commune = CommuneField(label="Commune", required=False)
    themes = forms.MultipleChoiceField(
        label="Thématiques de l'accompagnement",
        choices=Theme.choices,
        widget=HintedCheckboxSelectMultiple(THEME_HINTS),
        template_name=CHECKBOXES_TEMPLATE,
        help_text="Cochez toutes les thématiques abordées.",
        error_messages={"required": "Cochez au moins une thématique."},
    )
    procedures = forms.MultipleChoiceField(
        label="Démarches administratives",
        choices=Procedure.choices,
        required=False,
        widget=HintedCheckboxSelectMultiple(PROCEDURE_HINTS),
        template_name=CHECKBOXES_TEMPLATE,
        help_text="Uniquement avec la thématique « Aide aux démarches administratives ».",
    )
    materials = forms.MultipleChoiceField(
        label="Matériel utilisé",
        choices=Material.choices,
        required=False,
        widget=InlineCheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label="Notes privées",
        required=False,
        max_length=2000,
        help_text=f"Visibles de vous seul, jamais exportées pour votre équipe. {NOTES_WARNING}",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Les notes ne peuvent pas dépasser 2 000 caractères."},
    )

    tags = TagChoiceField()

    def __init__(self, *args, places=(), durations=(), tags=None, **kwargs):
        super().__init__(*args, **kwargs)
        if tags is not None:
            self.fields["tags"].queryset = tags
        self.places = {str(place.pk): place for place in places}
        self.fields["place"].choices = [(str(place.pk), place.name) for place in places]
        self.set_duration_choices(durations)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())
        today = timezone.localdate()
        self.fields["date"].widget.attrs.update({"max": today.isoformat(), "min": PROGRAMME_START.isoformat()})

    def tag_panel(self) -> dict:
        """What the tags part of the form shows: checkboxes grouped by scope (one query), how many are ticked, and
        whether it opens expanded (the author has personal tags, or some tag is ticked)."""
        groups = self.fields["tags"].groups(self["tags"])
        checked = sum(1 for _, widgets in groups for widget in widgets if widget.data["selected"])
        personal = any(label == TagScope.PERSONAL.label for label, _ in groups)
        return {"groups": groups, "checked": checked, "expanded": bool(checked or personal)}

    def set_duration_choices(self, durations) -> None:
        """Radio choices of the durations, the advisor's most used first, then « Autre durée »."""
        choices = [(str(minutes), duration_label(minutes)) for minutes in durations]
        choices.append((CUSTOM_DURATION, "Autre durée"))
        self.fields["duration"].widget.choices = choices
        initial = self.initial.get("duration")
        if initial and initial not in {value for value, _ in choices}:
            # A duration that is not among the choices shows as « Autre durée » with its hours and minutes.
            self.initial["duration"] = CUSTOM_DURATION

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError("La date ne peut pas être dans le futur.")
        if value < PROGRAMME_START:
            raise forms.ValidationError("La date doit être le 1er janvier 2020 ou après.")
        return value

    def clean(self):
        cleaned = super().clean()
        self._clean_duration(cleaned)
        self._clean_place(cleaned)
        themes = cleaned.get("themes") or []
        if cleaned.get("procedures") and Theme.ADMINISTRATIVE not in themes:
            self.add_error(
                "procedures",
                "Les démarches administratives ne se précisent qu'avec la thématique "
                "« Aide aux démarches administratives » : cochez-la ou décochez les démarches.",
            )
        materials = cleaned.get("materials") or []
        if Material.NONE in materials and len(materials) > 1:
            self.add_error("materials", "« Pas de matériel » ne peut pas être coché avec un autre matériel.")
        return cleaned

    def _clean_duration(self, cleaned) -> None:
        choice = cleaned.get("duration")
        if not choice:
            return
        if choice == CUSTOM_DURATION:
            hours, minutes = cleaned.get("duration_hours"), cleaned.get("duration_minutes")
            if "duration_hours" in self.errors or "duration_minutes" in self.errors:
                return
            if hours is None and minutes is None:
                self.add_error("duration_hours", "Indiquez la durée en heures et minutes.")
                return
            total = (hours or 0) * 60 + (minutes or 0)
            if total <= 0:
                self.add_error("duration_minutes", "La durée doit être d'au moins 1 minute.")
                return
            cleaned["duration_total"] = total
            return
        if not choice.isdigit() or not 0 < int(choice) <= MAX_MINUTES:
            self.add_error("duration", "Choisissez une durée dans la liste ou « Autre durée ».")
            return
        cleaned["duration_total"] = int(choice)

    def _clean_place(self, cleaned) -> None:
        place_type = cleaned.get("place_type")
        if place_type == PlaceType.ACTIVITY_PLACE:
            cleaned["commune"] = None
            self.errors.pop("commune", None)
            if not self.places:
                self.add_error(
                    "place_type",
                    "Vous n'avez aucun lieu d'activité : ajoutez-en un dans « Mes lieux d'activité » "
                    "ou choisissez un autre type de lieu.",
                )
            elif not cleaned.get("place") and "place" not in self.errors:
                self.add_error("place", "Choisissez l'un de vos lieux d'activité.")
        elif place_type in (PlaceType.OTHER, PlaceType.HOME):
            cleaned["place"] = ""
            self.errors.pop("place", None)
            if not cleaned.get("commune") and "commune" not in self.errors:
                self.add_error("commune", "Indiquez la commune où l'activité a eu lieu.")
        elif place_type == PlaceType.REMOTE:
            cleaned["place"] = ""
            cleaned["commune"] = None
            self.errors.pop("commune", None)
            self.errors.pop("place", None)

    def activity_values(self) -> dict:
        """The Activity fields this form sets, from valid data (the service adds the scope keys)."""
        data = self.cleaned_data
        values = {
            "kind": self.kind,
            "date": data["date"],
            "duration": data["duration_total"],
            "place_type": data["place_type"],
            "place": self.places.get(data.get("place") or ""),
            "commune": data.get("commune"),
            "themes": to_mask(data["themes"], THEME_BITS),
            "procedures": to_mask(data.get("procedures") or [], PROCEDURE_BITS),
            "materials": to_mask(data.get("materials") or [], MATERIAL_BITS),
            "notes": data.get("notes", "").strip(),
        }
        values.update(self.kind_values())
        return values

    def kind_values(self) -> dict:
        raise NotImplementedError

    @classmethod
    def initial_from(cls, activity, *, duplicate: bool = False) -> dict:
        """Form initial data from a report (a duplicate gets today's date, a new token and no notes)."""
        initial = {
            "date": timezone.localdate() if duplicate else activity.date,
            "place_type": activity.place_type,
            "place": str(activity.place_id) if activity.place_id else "",
            "commune": activity.commune if activity.place_type in (PlaceType.OTHER, PlaceType.HOME) else None,
            "themes": activity.theme_values,
            "procedures": activity.procedure_values,
            "materials": activity.material_values,
            "notes": "" if duplicate else activity.notes,
            "duration": str(activity.duration),
            "duration_hours": activity.duration // 60,
            "duration_minutes": activity.duration % 60,
        }
        if not duplicate:
            initial["token"] = activity.idempotency_token
        initial["tags"] = [link.tag_id for link in activity.tag_links.all()]
        return initial


class IndividualActivityForm(ActivityForm):
    """An individual accompaniment: one person, optionally described (genre, âge, statut), autonomy, redirection."""

    kind = ActivityKind.INDIVIDUAL
    already_accompanied = forms.BooleanField(label="Cette personne avait déjà été accompagnée", required=False)
    gender = forms.ChoiceField(
        label="Genre", choices=Gender.choices, required=False, initial=Gender.UNKNOWN, widget=InlineRadioSelect
    )
    age = forms.ChoiceField(
        label="Tranche d'âge",
        choices=AgeBand.choices,
        required=False,
        initial=AgeBand.UNKNOWN,
        widget=InlineRadioSelect,
    )
    status = forms.ChoiceField(
        label="Statut",
        choices=SocialStatus.choices,
        required=False,
        initial=SocialStatus.UNKNOWN,
        widget=InlineRadioSelect,
    )
    autonomy = forms.ChoiceField(
        label="Niveau d'autonomie de la personne",
        choices=Autonomy.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Facultatif.",
    )
    redirected = forms.ChoiceField(
        label="La personne a-t-elle été réorientée vers une autre structure ?",
        choices=[(YES, "Oui"), (NO, "Non")],
        required=False,
        widget=InlineRadioSelect,
    )
    redirection_structure = forms.ChoiceField(
        label="Vers quel type de structure ?",
        choices=RedirectionStructure.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Uniquement si la réponse précédente est « Oui ».",
    )

    def clean(self):
        cleaned = super().clean()
        redirected, structure = cleaned.get("redirected"), cleaned.get("redirection_structure")
        if redirected == YES and not structure:
            self.add_error(
                "redirection_structure", "Choisissez le type de structure vers laquelle la personne a été réorientée."
            )
        elif structure and redirected != YES:
            self.add_error(
                "redirection_structure",
                "Le type de structure ne se précise que si la personne a été réorientée : répondez « Oui » "
                "ou retirez ce choix.",
            )
        return cleaned

    def kind_values(self) -> dict:
        data = self.cleaned_data
        values = {
            "participants": 1,
            "already_accompanied": 1 if data.get("already_accompanied") else 0,
            "autonomy": data.get("autonomy") or "",
            "redirected": {YES: True, NO: False}.get(data.get("redirected") or ""),
            "redirection_structure": data.get("redirection_structure") or "",
            "title": "",
            "level": "",
        }
        for group in ("gender", "age", "status"):
            enum = GROUPS[group].enum
            chosen = data.get(group) or enum.UNKNOWN
            for value in enum.values:
                values[GROUPS[group].column(value)] = 1 if value == chosen else 0
        return values

    @classmethod
    def initial_from(cls, activity, *, duplicate: bool = False) -> dict:
        initial = super().initial_from(activity, duplicate=duplicate)
        for group in ("gender", "age", "status"):
            counts = activity.breakdown(group)
            initial[group] = next((value for value, count in counts.items() if count), "non_communique")
        initial.update(
            already_accompanied=bool(activity.already_accompanied),
            autonomy=activity.autonomy,
            redirected={True: YES, False: NO}.get(activity.redirected, ""),
            redirection_structure=activity.redirection_structure,
        )
        return initial


BREAKDOWN_INPUTS = {
    "gender": [Gender.MALE, Gender.FEMALE],
    "age": [value for value in AgeBand if value != AgeBand.UNKNOWN],
    "status": [value for value in SocialStatus if value != SocialStatus.UNKNOWN],
}
BREAKDOWN_LEGENDS = {"gender": "Genre", "age": "Tranche d'âge", "status": "Statut"}


class CollectiveActivityForm(ActivityForm):
    """A workshop: title, level, participants and their optional breakdown (the remainder is « non communiqué »)."""

    kind = ActivityKind.COLLECTIVE
    title = SingleLineCharField(
        label="Titre de l'atelier",
        max_length=200,
        help_text="Ex. : Découvrir les services de l'Assurance maladie en ligne",
        error_messages={"required": "Indiquez le titre de l'atelier."},
    )
    level = forms.ChoiceField(
        label="Niveau de l'atelier",
        choices=WorkshopLevel.choices,
        required=False,
        widget=InlineRadioSelect,
        help_text="Facultatif.",
    )
    participants = forms.IntegerField(
        label="Nombre de participants",
        min_value=1,
        max_value=MAX_PARTICIPANTS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": MAX_PARTICIPANTS}),
        error_messages={
            "required": "Indiquez le nombre de participants.",
            "invalid": "Saisissez un nombre entier.",
            "min_value": "Un atelier compte au moins 1 participant.",
            "max_value": f"Un atelier ne peut pas dépasser {MAX_PARTICIPANTS} participants.",
        },
    )
    already_accompanied = _count_field("Dont participants déjà accompagnés")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for group, values in BREAKDOWN_INPUTS.items():
            for value in values:
                self.fields[GROUPS[group].column(value)] = _count_field(value.label)

    def breakdown_fieldsets(self):
        """[(legend, [bound fields])] of the optional breakdown, for the template."""
        return [
            (BREAKDOWN_LEGENDS[group], [self[GROUPS[group].column(value)] for value in values])
            for group, values in BREAKDOWN_INPUTS.items()
        ]

    def clean(self):
        cleaned = super().clean()
        participants = cleaned.get("participants")
        if not participants:
            return cleaned
        already = cleaned.get("already_accompanied") or 0
        if already > participants:
            self.add_error(
                "already_accompanied",
                f"Les participants déjà accompagnés ({already}) ne peuvent pas dépasser le nombre de "
                f"participants ({participants}).",
            )
        for group, values in BREAKDOWN_INPUTS.items():
            names = [GROUPS[group].column(value) for value in values]
            if any(name in self.errors for name in names):
                continue
            total = sum(cleaned.get(name) or 0 for name in names)
            if total > participants:
                self.add_error(
                    names[0],
                    f"La répartition par {BREAKDOWN_LEGENDS[group].lower()} ({total}) dépasse le nombre de "
                    f"participants ({participants}).",
                )
        return cleaned

    def kind_values(self) -> dict:
        data = self.cleaned_data
        participants = data["participants"]
        values = {
            "participants": participants,
            "already_accompanied": data.get("already_accompanied") or 0,
            "autonomy": "",
            "redirected": None,
            "redirection_structure": "",
            "title": data["title"].strip(),
            "level": data.get("level") or "",
        }
        for group, inputs in BREAKDOWN_INPUTS.items():
            given = 0
            for value in inputs:
                count = data.get(GROUPS[group].column(value)) or 0
                values[GROUPS[group].column(value)] = count
                given += count
            values[GROUPS[group].column("non_communique")] = participants - given
        return values

    @classmethod
    def initial_from(cls, activity, *, duplicate: bool = False) -> dict:
        initial = super().initial_from(activity, duplicate=duplicate)
        initial.update(
            title=activity.title,
            level=activity.level,
            participants=activity.participants,
            already_accompanied=activity.already_accompanied,
        )
        for group, values in BREAKDOWN_INPUTS.items():
            for value in values:
                count = getattr(activity, GROUPS[group].column(value))
                initial[GROUPS[group].column(value)] = count or None
        return initial


ACTIVITY_FORMS = {ActivityKind.INDIVIDUAL: IndividualActivityForm, ActivityKind.COLLECTIVE: CollectiveActivityForm}


class PeriodFilterForm(BoundedPeriodMixin, DsfrBaseForm):
    """A period (du / au) and the kind, thématique and place type filters shared by lists and statistics."""

    start = BoundedDateField(label="Du", required=False)
    end = BoundedDateField(label="Au", required=False)
    kind = forms.ChoiceField(label="Type", choices=[("", "Tous les types"), *ActivityKind.choices], required=False)
    theme = forms.ChoiceField(label="Thématique", choices=[("", "Toutes"), *Theme.choices], required=False)
    place_type = forms.ChoiceField(
        label="Type de lieu", choices=[("", "Tous les lieux"), *PlaceType.choices], required=False
    )

    tag = forms.CharField(label="Étiquette", required=False, widget=forms.Select)

    def __init__(self, *args, default_period: Period, tags=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_period = default_period
        # The date inputs show the period in force, even when the page was opened without any filter.
        self.initial.setdefault("start", default_period.start)
        self.initial.setdefault("end", default_period.end)
        # Only the tags the user may see are offered; another id is ignored (ignored_tag), not an error.
        self.tag_options = {str(tag.pk): tag for tag in tags} if tags is not None else {}
        self.fields["tag"].widget.choices = [("", "Toutes les étiquettes")] + [
            (pk, tag_label(tag)) for pk, tag in self.tag_options.items()
        ]
        self.ignored_tag = False

    def clean_tag(self):
        value = (self.cleaned_data.get("tag") or "").strip()
        if value and value not in self.tag_options:
            self.ignored_tag = True
            return ""
        return value

    @property
    def chosen_tag(self):
        """The tag filtered on, if any (one the user may see)."""
        if not self.is_bound or not self.is_valid():
            return None
        return self.tag_options.get(self.cleaned_data.get("tag") or "")

    @property
    def period(self) -> Period:
        """The period asked for; the default one (or its missing bound) when the input is absent or invalid."""
        if not self.is_bound or not self.is_valid():
            return self.default_period
        start = self.cleaned_data.get("start") or self.default_period.start
        end = self.cleaned_data.get("end") or max(self.default_period.end, start)
        return Period(start, end)

    @property
    def filters(self) -> Filters:
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        tag = self.chosen_tag
        return Filters(
            kind=data.get("kind") or "",
            theme=data.get("theme") or "",
            place_type=data.get("place_type") or "",
            tag=tag.pk if tag else None,
        )

    def active_filters(self) -> list[str]:
        """The filters in words, for export headers and summaries."""
        labels = []
        filters = self.filters
        if filters.kind:
            labels.append(f"Type : {ActivityKind(filters.kind).label}")
        if filters.theme:
            labels.append(f"Thématique : {Theme(filters.theme).label}")
        if filters.place_type:
            labels.append(f"Type de lieu : {PlaceType(filters.place_type).label}")
        if filters.tag:
            labels.append(f"Étiquette : {tag_label(self.chosen_tag)}")
        return labels


class ActivityListFilterForm(PeriodFilterForm):
    """Filters of « Mes activités »: the period, kind, thématique, and one of my places."""

    place = forms.ChoiceField(label="Lieu d'activité", required=False)

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", "Tous mes lieux"), *((str(place.pk), place.name) for place in places)]

    @property
    def place_id(self) -> int | None:
        if not self.is_bound or not self.is_valid() or not self.cleaned_data.get("place"):
            return None
        return int(self.cleaned_data["place"])


# Issue 15 part 4: share links of « Mes statistiques » and the structures' monthly summary.


class StatisticsShareForm(DsfrBaseForm):
    """A new share link of my statistics, with a label only I read."""

    label = SingleLineCharField(
        label="Destinataire (facultatif)",
        max_length=100,
        required=False,
        help_text=(
            "Pour vous seul, pour retrouver ce lien dans la liste : par exemple « pour ma structure » ou « mairie ». "
            "Ce texte n'apparaît pas sur la page partagée."
        ),
    )


class MonthlySummarySettingForm(DsfrBaseForm):
    """A structure's choice about the monthly summary e-mailed to its managers."""

    enabled = forms.BooleanField(
        label="Recevoir le bilan mensuel d'activité de nos conseillers",
        required=False,
        help_text=(
            "Envoyé au début de chaque mois à tous les gestionnaires de la structure : accompagnements, activités et "
            "thématiques principales de chaque conseiller le mois précédent, sans aucun nom de personne accompagnée."
        ),
    )
