"""Forms of the tag pages (Coop and pilotage): create, rename, merge. The services check the rights again."""

from django import forms
from django.db.models import Q
from dsfr.forms import DsfrBaseForm

from common.forms import SingleLineCharField
from reporting.enums import TagScope
from reporting.models import Tag
from reporting.services.tags import NAME_MAX_LENGTH, WIDTH, creatable_departments, creatable_scopes
from territories.models import Department

SCOPE_HINTS = {
    TagScope.PERSONAL: "Visible de vous seul : vous seul pouvez la mettre sur vos activités.",
    TagScope.DEPARTMENT: "Proposée aux conseillers et coordinateurs du département ; comptée dans les statistiques du "
    "territoire.",
    TagScope.NATIONAL: "Proposée à tous les conseillers ; comptée dans toutes les statistiques.",
}


def _name_field() -> forms.CharField:
    return SingleLineCharField(
        label="Nom de l'étiquette",
        max_length=NAME_MAX_LENGTH,
        help_text=f"{NAME_MAX_LENGTH} caractères au plus. Exemple : « Permanence en mairie ».",
        error_messages={
            "required": "Indiquez le nom de l'étiquette.",
            "max_length": f"Le nom ne peut pas dépasser {NAME_MAX_LENGTH} caractères.",
        },
    )


def _description_field() -> forms.CharField:
    return SingleLineCharField(
        label="Description",
        required=False,
        max_length=200,
        help_text="Facultatif, 200 caractères au plus. Lue par toutes les personnes à qui l'étiquette est proposée.",
        error_messages={"max_length": "La description ne peut pas dépasser 200 caractères."},
    )


class TagCreateForm(DsfrBaseForm):
    """A new tag: its name, description, scope (among those the user may create) and department if departmental."""

    name = _name_field()
    description = _description_field()
    scope = forms.ChoiceField(
        label="Portée",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez la portée de l'étiquette.",
            "invalid_choice": "Vous ne pouvez pas créer ce type d'étiquette.",
        },
    )
    department = forms.ModelChoiceField(
        label="Département",
        queryset=Department.objects.none(),
        required=False,
        empty_label="Choisissez un département",
        help_text="Uniquement pour une étiquette départementale.",
        error_messages={"invalid_choice": "Vous ne pouvez pas créer d'étiquette pour ce département."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = creatable_scopes(user)
        self.fields["scope"].choices = [(scope, TagScope(scope).label) for scope in allowed]
        hints = (f"{TagScope(scope).label} : {SCOPE_HINTS[scope]}" for scope in allowed)
        self.fields["scope"].help_text = " ".join(hints)
        if len(allowed) == 1:
            self.initial.setdefault("scope", allowed[0])
        departments = creatable_departments(user).order_by("code")
        self.fields["department"].queryset = departments
        self.offers_departments = TagScope.DEPARTMENT in allowed

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == TagScope.DEPARTMENT and not cleaned.get("department"):
            if "department" not in self.errors:
                self.add_error("department", "Choisissez le département de cette étiquette.")
        if cleaned.get("scope") != TagScope.DEPARTMENT:
            cleaned["department"] = None
        return cleaned


class TagRenameForm(DsfrBaseForm):
    """A tag's new name and description."""

    name = _name_field()
    description = _description_field()


class TagMergeForm(DsfrBaseForm):
    """The tag the source's reports move to: one the user manages, of equal or wider scope."""

    target = forms.ModelChoiceField(
        label="Fusionner dans l'étiquette",
        queryset=Tag.objects.none(),
        empty_label="Choisissez une étiquette",
        help_text="Les activités de l'étiquette fusionnée passent dans celle-ci, puis l'étiquette fusionnée est "
        "supprimée. Cette action est définitive.",
        error_messages={
            "required": "Choisissez l'étiquette qui recevra les activités.",
            "invalid_choice": "Choisissez une étiquette de la liste.",
        },
    )

    def __init__(self, *args, source: Tag, manageable, **kwargs):
        super().__init__(*args, **kwargs)
        wider = Q(scope__in=[scope for scope, width in WIDTH.items() if width > WIDTH[source.scope]])
        same = Q(scope=source.scope)
        if source.scope == TagScope.PERSONAL:
            same &= Q(owner=source.owner_id)
        if source.scope == TagScope.DEPARTMENT:
            same &= Q(department=source.department_id)
        candidates = manageable.exclude(pk=source.pk).filter(wider | same)
        self.fields["target"].queryset = candidates.order_by("scope", "name")
        self.fields["target"].label_from_instance = _merge_label

    @property
    def has_candidates(self) -> bool:
        return self.fields["target"].queryset.exists()


def _merge_label(tag: Tag) -> str:
    if tag.scope == TagScope.DEPARTMENT:
        return f"{tag.name} — départementale ({tag.department_id})"
    return f"{tag.name} — {TagScope(tag.scope).label.lower()}"
