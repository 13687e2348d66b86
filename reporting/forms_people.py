"""Followed people on the activity report form: a picker of my followed people, and « Nouvelle personne suivie ».

`with_people(form_class)` gives the report form with these fields. Validating the form reads no person: the service
checks that each chosen one is the advisor's and still followed (one statement, see reporting/services/people.py)
and the view shows its refusal next to the picker. The choices (my 50 most recent people, a search, the people
already chosen) are read only when the form is displayed.
"""

from functools import cache

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import F, Q

from common.forms import SingleLineCharField
from reporting.enums import ActivityKind, AgeBand, Gender, SocialStatus
from reporting.forms import InlineRadioSelect
from reporting.models import Beneficiary

RECENT = 50
SEARCH_RESULTS = 20
INFORMED_LABEL = (
    "J'ai informé la personne que je garde une fiche de suivi à son nom, visible de moi seul, qu'elle peut la "
    "consulter, la faire corriger ou supprimer à tout moment, et qu'elle est anonymisée après la durée de "
    "conservation indiquée sur la page « Données personnelles »."
)


def search_people(advisor_id, query: str, *, limit: int = SEARCH_RESULTS):
    """My followed people whose first or last name contains every word of the query (names only)."""
    people = Beneficiary.objects.followed().filter(advisor=advisor_id)
    for word in query.split()[:5]:
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return people.order_by("last_name", "first_name", "pk")[:limit]


def _recent_people(advisor_id):
    return (
        Beneficiary.objects.followed()
        .filter(advisor=advisor_id)
        .order_by(F("last_activity_on").desc(nulls_last=True), "-created_at", "-pk")[:RECENT]
    )


class PersonChoice:
    """Accept any pk at validation (the service checks ownership); list the choices only when displayed."""

    def valid_value(self, value):
        return str(value).isdigit()


class PersonField(PersonChoice, forms.TypedChoiceField):
    pass


class PeopleField(PersonChoice, forms.TypedMultipleChoiceField):
    pass


class FollowedPeopleMixin:
    """The followed people of a report: chosen from my list, or one created inline (with her consent)."""

    def __init__(self, *args, advisor=None, people_query: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.advisor = advisor
        self.people_query = people_query.strip()
        individual = self.kind == ActivityKind.INDIVIDUAL
        if individual:
            self.fields["beneficiaires"] = PersonField(
                label="Personne suivie",
                required=False,
                coerce=int,
                empty_value=None,
                choices=self._choices,
                widget=forms.RadioSelect,
                help_text="Facultatif : sans personne suivie, l'accompagnement reste anonyme.",
            )
        else:
            self.fields["beneficiaires"] = PeopleField(
                label="Participants suivis",
                required=False,
                coerce=int,
                choices=self._choices,
                widget=forms.CheckboxSelectMultiple,
                help_text="Facultatif : cochez les personnes que vous suivez ; elles s'ajoutent aux autres "
                "participants.",
            )
            self._count_others_only(self.fields["participants"])
            # The base form made its bound fields already: the new label and hint need a new one.
            self._bound_fields_cache.pop("participants", None)
        self.fields["personne_recherche"] = SingleLineCharField(
            label="Rechercher une personne suivie", required=False, max_length=100, help_text="Prénom ou nom."
        )
        self.fields["nouvelle_prenom"] = SingleLineCharField(label="Prénom", required=False, max_length=100)
        self.fields["nouvelle_nom"] = SingleLineCharField(label="Nom", required=False, max_length=100)
        for name, label, enum in (
            ("nouvelle_genre", "Genre", Gender),
            ("nouvelle_age", "Tranche d'âge", AgeBand),
            ("nouvelle_statut", "Statut", SocialStatus),
        ):
            self.fields[name] = forms.ChoiceField(
                label=label, choices=enum.choices, required=False, initial=enum.UNKNOWN, widget=InlineRadioSelect
            )
        self.fields["nouvelle_informee"] = forms.BooleanField(label=INFORMED_LABEL, required=False)

    @staticmethod
    def _count_others_only(field) -> None:
        """The workshop's count becomes the other (anonymous) participants: 0 is fine when people are chosen."""
        field.label = "Autres participants (non suivis)"
        field.required = False
        field.min_value = 0
        field.validators = [v for v in field.validators if not isinstance(v, MinValueValidator)]
        field.validators.append(MinValueValidator(0))
        field.error_messages["min_value"] = "Le nombre ne peut pas être négatif."
        field.widget.attrs["min"] = 0
        field.help_text = (
            "Sans compter les personnes suivies cochées ci-dessus. La répartition et les « déjà accompagnés » "
            "ci-dessous décrivent ces autres participants seulement."
        )

    def _choices(self):
        """My 50 most recent people, the search results and whoever is already chosen, by name (read once)."""
        if getattr(self, "_people_choices", None) is None:
            self._people_choices = self._read_choices()
        return self._people_choices

    def _read_choices(self):
        if self.advisor is None:
            return []
        people = {person.pk: person for person in _recent_people(self.advisor.pk)}
        if self.people_query:
            people.update({person.pk: person for person in search_people(self.advisor.pk, self.people_query)})
        missing = [pk for pk in self.chosen_ids() if pk not in people]
        if missing:
            people.update(
                # A person linked earlier and since erased or merged stays listed (as « Personne anonymisée »).
                {p.pk: p for p in Beneficiary.objects.filter(advisor=self.advisor.pk, pk__in=missing)}
            )
        ordered = sorted(people.values(), key=lambda p: (p.last_name.lower(), p.first_name.lower(), p.pk))
        choices = [(person.pk, str(person)) for person in ordered]
        if self.kind == ActivityKind.INDIVIDUAL:
            choices.insert(0, ("", "Aucune : personne non suivie"))
        return choices

    def chosen_ids(self) -> list[int]:
        """The people chosen in the submitted data (or the initial ones), as pks."""
        if self.is_bound:
            raw = (
                self.data.getlist("beneficiaires") if hasattr(self.data, "getlist") else self.data.get("beneficiaires")
            )
        else:
            raw = self.initial.get("beneficiaires")
        if raw in (None, ""):
            return []
        values = raw if isinstance(raw, list | tuple) else [raw]
        return [int(value) for value in values if str(value).isdigit()]

    def has_choices(self) -> bool:
        return len(self._choices()) > (1 if self.kind == ActivityKind.INDIVIDUAL else 0)

    def clean_participants(self):
        value = self.cleaned_data.get("participants")
        return value if value is not None or self.kind == ActivityKind.INDIVIDUAL else 0

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("beneficiaires")
        chosen = [] if chosen in (None, "") else chosen if isinstance(chosen, list) else [chosen]
        cleaned["people"] = chosen
        if self.wants_new_person():
            if not cleaned.get("nouvelle_prenom") and not cleaned.get("nouvelle_nom"):
                self.add_error("nouvelle_prenom", "Indiquez au moins le prénom ou le nom de la nouvelle personne.")
            if not cleaned.get("nouvelle_informee"):
                self.add_error(
                    "nouvelle_informee", "Informez la personne de son suivi et cochez cette case pour l'enregistrer."
                )
            if self.kind == ActivityKind.INDIVIDUAL and chosen:
                self.add_error(
                    "beneficiaires",
                    "Choisissez une personne suivie ou créez-en une nouvelle, pas les deux : un accompagnement "
                    "individuel concerne une seule personne.",
                )
        if self.kind == ActivityKind.COLLECTIVE:
            self._clean_workshop_people(cleaned, len(chosen) + (1 if self.wants_new_person() else 0))
        return cleaned

    def _clean_workshop_people(self, cleaned, followed: int) -> None:
        anonymous = cleaned.get("participants")
        if anonymous is None or "participants" in self.errors:
            return
        if anonymous + followed == 0:
            # The messages of a workshop without anybody, as before followed people existed.
            typed = (self.data.get("participants") or "").strip() if self.is_bound else ""
            message = "Un atelier compte au moins 1 participant." if typed else "Indiquez le nombre de participants."
            self.add_error("participants", message)
            return
        if anonymous + followed > 200:
            self.add_error("participants", "Un atelier ne peut pas dépasser 200 participants.")
        if anonymous == 0:
            # The workshop form checks the breakdown only when there are other participants.
            described = [name for name in self.breakdown_names() if cleaned.get(name)]
            if cleaned.get("already_accompanied"):
                described.append("already_accompanied")
            for name in described:
                self.add_error(name, "Il n'y a aucun autre participant (non suivi) à décrire : laissez ce champ vide.")

    def breakdown_names(self) -> list[str]:
        return [field.name for _, fields in self.breakdown_fieldsets() for field in fields]

    def wants_new_person(self) -> bool:
        data = self.data if self.is_bound else {}
        return bool((data.get("nouvelle_prenom") or "").strip() or (data.get("nouvelle_nom") or "").strip())

    def new_person_values(self) -> dict:
        data = self.cleaned_data
        return {
            "first_name": data.get("nouvelle_prenom") or "",
            "last_name": data.get("nouvelle_nom") or "",
            "gender": data.get("nouvelle_genre") or Gender.UNKNOWN,
            "age_band": data.get("nouvelle_age") or AgeBand.UNKNOWN,
            "status": data.get("nouvelle_statut") or SocialStatus.UNKNOWN,
        }

    def new_person_fields(self):
        return [self[name] for name in ("nouvelle_prenom", "nouvelle_nom", "nouvelle_genre", "nouvelle_age")] + [
            self["nouvelle_statut"]
        ]


@cache
def with_people(form_class):
    """The report form class with the followed people fields."""
    return type(f"{form_class.__name__}WithPeople", (FollowedPeopleMixin, form_class), {})


def anonymous_initial(initial: dict, activity, links) -> dict:
    """The initial data of a workshop's form: its anonymous part (its counts minus its followed people's)."""
    initial["beneficiaires"] = [link.beneficiary_id for link in links]
    if activity.kind != ActivityKind.COLLECTIVE:
        initial["beneficiaires"] = initial["beneficiaires"][0] if links else None
        return initial
    initial["participants"] = activity.participants - len(links)
    initial["already_accompanied"] = activity.already_accompanied - sum(link.already_accompanied for link in links)
    for name in initial:
        if name.startswith(("gender_", "age_", "status_")) and initial[name] is not None:
            group, value = name.split("_", 1)
            minus = sum(1 for link in links if getattr(link, {"age": "age_band"}.get(group, group)) == value)
            initial[name] = (initial[name] - minus) or None
    return initial
