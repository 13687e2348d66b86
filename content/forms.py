"""Filter forms of the public listings (GET, no JavaScript needed) and the advisor finder."""

from django import forms
from dsfr.forms import DsfrBaseForm

from content.enums import ResourceType
from content.selectors import FilterChoices, ResourceFilters

MAX_QUERY_LENGTH = 200

RADIUS_CHOICES = [(5, "5 km"), (10, "10 km"), (20, "20 km"), (50, "50 km"), (100, "100 km")]
DEFAULT_RADIUS = 20


class ResourceFilterForm(DsfrBaseForm):
    """The library filters; invalid values are reported and ignored, the valid ones still apply."""

    q = forms.CharField(label="Rechercher une ressource", required=False, max_length=MAX_QUERY_LENGTH)
    type = forms.ChoiceField(label="Type de ressource", required=False, widget=forms.RadioSelect)
    thematique = forms.MultipleChoiceField(label="Thématiques", required=False, widget=forms.CheckboxSelectMultiple)
    public = forms.ChoiceField(label="Public", required=False)
    tag = forms.ChoiceField(label="Mot-clé", required=False)

    def __init__(self, *args, choices: FilterChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", "Tous les types"), *ResourceType.choices]
        self.fields["thematique"].choices = choices.thematiques
        self.fields["public"].choices = [("", "Tous les publics"), *choices.publics]
        self.fields["tag"].choices = [("", "Tous les mots-clés"), *choices.tags]
        unknown = "La valeur « %(value)s » n'existe pas : elle est ignorée."
        for field in ("type", "public", "tag"):
            self.fields[field].error_messages["invalid_choice"] = unknown
        self.fields["thematique"].error_messages["invalid_choice"] = (
            "La thématique « %(value)s » n'existe pas : elle est ignorée."
        )
        self.fields["q"].error_messages["max_length"] = (
            f"La recherche ne peut pas dépasser {MAX_QUERY_LENGTH} caractères : elle est ignorée."
        )

    def clean_q(self):
        q = self.cleaned_data["q"]
        if any(ord(char) < 32 for char in q):
            raise forms.ValidationError("La recherche contient des caractères non autorisés : elle est ignorée.")
        return " ".join(q.split())

    def filters(self) -> ResourceFilters:
        """The filters to apply: the valid values only (an unknown value never hides every result)."""
        self.is_valid()
        data = self.cleaned_data
        known = dict(self.fields["thematique"].choices)
        # One unknown thématique invalidates the field: keep the known ones the visitor also ticked.
        thematiques = data.get("thematique") or [value for value in self.data.getlist("thematique") if value in known]
        return ResourceFilters(
            q=data.get("q", ""),
            type=data.get("type") or "",
            thematiques=tuple(dict.fromkeys(thematiques)),
            public=data.get("public") or "",
            tag=data.get("tag") or "",
        )

    def active_filters(self, filters: ResourceFilters) -> list[tuple[str, str]]:
        """(label, query string without it) of each applied filter: the visitor removes one with a link."""
        labels = {name: dict(self.fields[name].choices) for name in ("type", "thematique", "public", "tag")}
        applied = [("q", filters.q, f"« {filters.q} »")] if filters.q else []
        if filters.type:
            applied.append(("type", filters.type, labels["type"][filters.type]))
        applied += [("thematique", slug, labels["thematique"][slug]) for slug in filters.thematiques]
        if filters.public:
            applied.append(("public", filters.public, labels["public"][filters.public]))
        if filters.tag:
            applied.append(("tag", filters.tag, labels["tag"][filters.tag]))
        links = []
        for name, value, label in applied:
            query = self.data.copy()
            query.pop("page", None)
            query.setlist(name, [kept for kept in query.getlist(name) if kept != value])
            links.append((label, query.urlencode()))
        return links


class NewsFilterForm(DsfrBaseForm):
    thematique = forms.ChoiceField(label="Thématique", required=False)

    def __init__(self, *args, thematiques, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thematique"].choices = [("", "Toutes les thématiques"), *((t.slug, t.name) for t in thematiques)]
        self.fields["thematique"].error_messages["invalid_choice"] = (
            "La thématique « %(value)s » n'existe pas : toutes les actualités sont affichées."
        )


class PlaceSearchForm(DsfrBaseForm):
    """Where to look for places: a commune name or postal code (q), or a commune picked from a list (commune)."""

    q = forms.CharField(
        label="Commune ou code postal",
        help_text="Format attendu : nom de commune (ex. Lille) ou code postal à 5 chiffres (ex. 75011)",
        required=False,
        max_length=100,
    )
    commune = forms.RegexField(regex=r"^[0-9][0-9AB][0-9]{3}$", required=False, widget=forms.HiddenInput)
    rayon = forms.TypedChoiceField(
        label="Distance maximale",
        choices=RADIUS_CHOICES,
        coerce=int,
        empty_value=DEFAULT_RADIUS,
        required=False,
        initial=DEFAULT_RADIUS,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].error_messages["invalid"] = "Le code de commune est invalide."
        self.fields["rayon"].error_messages["invalid_choice"] = "Choisissez une distance dans la liste."
        self.fields["q"].error_messages["max_length"] = "Saisissez au plus 100 caractères."

    def clean_q(self):
        q = " ".join(self.cleaned_data["q"].split())
        if any(ord(char) < 32 for char in q):
            raise forms.ValidationError("La recherche contient des caractères non autorisés.")
        if q and len(q) < 2:
            raise forms.ValidationError("Saisissez au moins 2 caractères (nom de commune ou code postal).")
        return q
